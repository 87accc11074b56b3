"""The mail service: SMTP when MAIL_SERVER is set, else an .eml file in MAIL_FOLDER and a log line."""
from __future__ import annotations

import email
import email.policy
import logging
import smtplib
import socket

import pytest

from tests.fakes import LoopbackServer
from webapp.mail import absolute_url, send_mail


# -- without a mail server --------------------------------------------------------------------
def test_without_a_mail_server_the_message_is_written_to_the_folder_and_logged(app, mailbox, caplog):
    caplog.set_level(logging.INFO, logger="webapp.mail")
    sent = send_mail("owner@boulangerie.test", "Welcome to Buttek", "Hello,\n\nFollow this link.\n")

    mail = mailbox.only()
    assert sent.path == mail.path
    assert mail.to == "owner@boulangerie.test"
    assert mail.subject == "Welcome to Buttek"
    assert mail.message["From"] == app.config["MAIL_FROM"]
    assert mail.message["Message-ID"] == sent.message_id
    assert mail.body == "Hello,\n\nFollow this link.\n"
    log_lines = [r.getMessage() for r in caplog.records if r.name == "webapp.mail"]
    assert len(log_lines) == 1
    assert "Welcome to Buttek" in log_lines[0] and "owner@boulangerie.test" in log_lines[0]
    assert str(mail.path) in log_lines[0]  # a developer finds the link from the log


def test_each_message_gets_its_own_file(mailbox):
    for number in range(5):
        send_mail(f"user{number}@example.com", f"Message {number}", "Same body")
    assert sorted(m.to for m in mailbox.messages()) == [f"user{n}@example.com" for n in range(5)]


def test_accents_survive_in_subject_and_body(mailbox):
    send_mail("gérard@example.lu", "Bienvenue à la Boulangerie Schëtter", "Moien! Är Invitatioun: ëäöü €\n")
    mail = mailbox.only()
    assert mail.subject == "Bienvenue à la Boulangerie Schëtter"
    assert mail.body == "Moien! Är Invitatioun: ëäöü €\n"


def test_an_html_version_is_an_alternative_to_the_text(mailbox):
    send_mail("a@example.com", "Both", "Plain text\n", html="<p>Rich <b>text</b></p>")
    message = mailbox.only().message
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(preferencelist=("plain",)).get_content() == "Plain text\n"
    assert "<b>text</b>" in message.get_body(preferencelist=("html",)).get_content()


def test_a_header_injection_in_the_subject_is_refused(mailbox):
    with pytest.raises(ValueError):
        send_mail("a@example.com", "Hello\nBcc: victim@example.com", "body")
    assert mailbox.messages() == []


def test_links_outside_a_request_use_the_base_url(app):
    link = absolute_url("tenancy_public.accept_invitation", token="abc")
    assert link.startswith(app.config["BASE_URL"] + "/")
    assert link.endswith("abc")


def test_links_inside_a_request_use_its_host_when_it_is_a_platform_host(app, create_platform):
    create_platform("lu", "Luxembourg", ["shop.example.lu"])
    with app.test_request_context("/", base_url="https://shop.example.lu"):
        assert absolute_url("tenancy_public.accept_invitation", token="abc").startswith("https://shop.example.lu/")


# -- over SMTP --------------------------------------------------------------------------------
class FakeSmtpServer(LoopbackServer):
    """Speaks just enough SMTP on 127.0.0.1 to take messages; keeps each (sender, recipients, data)."""

    name = "fake-smtp"

    def __init__(self, starttls: bool = False):
        self.starttls = starttls
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.commands: list[str] = []
        super().__init__(socket.create_server(("127.0.0.1", 0)))

    def serve_once(self) -> None:
        connection, _ = self.socket.accept()
        with connection:
            connection.settimeout(5)
            try:
                self._session(connection)
            except Exception as exc:  # reported by __exit__ rather than dying silently
                self.errors.append(exc)

    def _session(self, connection: socket.socket) -> None:
        reader = connection.makefile("rb")
        reply = connection.sendall
        reply(b"220 fake.smtp.test ESMTP\r\n")
        sender, recipients = "", []
        for raw in reader:
            line = raw.decode("ascii", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            self.commands.append(verb)
            if verb == "EHLO":
                extensions = [b"8BITMIME", b"SIZE 1000000"] + ([b"STARTTLS"] if self.starttls else [])
                reply(b"250-fake.smtp.test\r\n" + b"".join(b"250-" + e + b"\r\n" for e in extensions[:-1])
                      + b"250 " + extensions[-1] + b"\r\n")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                reply(b"250 OK\r\n")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                reply(b"250 OK\r\n")
            elif verb == "DATA":
                reply(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = []
                for data_line in reader:
                    if data_line == b".\r\n":
                        break
                    data.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                self.messages.append((sender, recipients, b"".join(data)))
                reply(b"250 OK queued\r\n")
            elif verb in ("RSET", "NOOP", "HELO"):
                reply(b"250 OK\r\n")
            elif verb == "QUIT":
                reply(b"221 Bye\r\n")
                return
            else:
                reply(b"502 Command not implemented\r\n")


@pytest.fixture
def smtp_config(app, monkeypatch):
    """Points the app at a fake SMTP server: smtp_config(server, tls=False)."""
    def configure(server: FakeSmtpServer, tls: bool = False) -> None:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", tls)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", "")

    return configure


def test_with_a_mail_server_the_message_is_delivered_over_smtp(app, mailbox, smtp_config, caplog):
    caplog.set_level(logging.INFO, logger="webapp.mail")
    with FakeSmtpServer() as server:
        smtp_config(server)
        sent = send_mail("owner@boulangerie.test", "Invitation to Boulangerie Schëtter",
                         "Accept here:\nhttp://127.0.0.1:5000/invite/abc\n.\nA line with a lone dot above.\n")

    assert len(server.messages) == 1
    sender, recipients, data = server.messages[0]
    assert sender == "no-reply@buttek.local"  # from MAIL_FROM
    assert recipients == ["owner@boulangerie.test"]
    message = email.message_from_bytes(data.replace(b"\r\n", b"\n"), policy=email.policy.default)
    assert message["To"] == "owner@boulangerie.test"
    assert message["Subject"] == "Invitation to Boulangerie Schëtter"
    assert message["Message-ID"] == sent.message_id
    assert message.get_content() == "Accept here:\nhttp://127.0.0.1:5000/invite/abc\n.\nA line with a lone dot above.\n"
    assert "STARTTLS" not in server.commands and server.commands[-1] == "QUIT"
    assert sent.path is None
    assert mailbox.messages() == []  # nothing written to the folder when SMTP is configured
    assert any("sent to owner@boulangerie.test over SMTP" in r.getMessage() for r in caplog.records)


def test_with_tls_required_a_server_without_starttls_gets_nothing(smtp_config):
    """MAIL_USE_TLS (the default) never falls back to sending the message in clear text."""
    with FakeSmtpServer(starttls=False) as server:
        smtp_config(server, tls=True)
        with pytest.raises(smtplib.SMTPException):
            send_mail("owner@boulangerie.test", "Secret link", "http://127.0.0.1:5000/invite/abc")
    assert server.messages == []
    assert "DATA" not in server.commands and "MAIL" not in server.commands


def test_an_unreachable_mail_server_is_an_error_not_a_silent_loss(mailbox, smtp_config):
    with FakeSmtpServer() as server:
        pass
    smtp_config(server)  # the server is closed now: nothing listens on its port
    with pytest.raises(OSError):
        send_mail("owner@boulangerie.test", "Lost?", "body")
    assert mailbox.messages() == []


def test_mail_links_never_use_a_host_the_operator_did_not_configure(app, platform, monkeypatch):
    from webapp.mail import absolute_url

    monkeypatch.setitem(app.config, "BASE_URL", "https://admin.buttek.example")
    with app.test_request_context("/", base_url="http://localhost"):  # a platform host
        assert absolute_url("core_admin.login").startswith("http://localhost/")
    with app.test_request_context("/", base_url="http://shop.evil.example"):  # a store domain or forged Host
        assert absolute_url("core_admin.login") == "https://admin.buttek.example/admin/login"
