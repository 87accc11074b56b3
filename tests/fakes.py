"""Local stand-ins for remote services (DNS, SMTP) that the real client code talks to in tests."""
from __future__ import annotations

import socket
import threading


class LoopbackServer:
    """A server on 127.0.0.1 run by a thread for the length of a ``with`` block.

    Subclasses make ``self.socket`` and implement ``serve_once`` (wait briefly for one request and
    answer it). An exception while answering is kept and fails the test on exit, never lost.
    """

    name = "fake-server"

    def __init__(self, sock: socket.socket):
        self.socket = sock
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.errors: list[Exception] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=self.name, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()
        assert not self._thread.is_alive()
        assert self.errors == []

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                self.serve_once()
            except TimeoutError:
                continue
            except OSError:
                return  # the socket was closed

    def serve_once(self) -> None:
        raise NotImplementedError
