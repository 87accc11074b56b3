"""Start-up wiring of the customers module into the framework's extension points."""


def on_startup(_data) -> None:
    pass
