"""The event bus: lifecycle and domain events, module gating, failing subscribers."""
import logging

from webapp import events
from webapp import modules as module_service
from webapp.events import ModuleEvent, ModuleEventData


def test_subscribe_as_decorator_and_emit():
    received = []

    @events.subscribe("orders.order_paid")
    def on_paid(data):
        received.append(data)

    try:
        assert events.emit("orders.order_paid", {"order": 1}) == 1
    finally:
        events.unsubscribe("orders.order_paid", on_paid)
    assert received == [{"order": 1}]
    assert events.emit("orders.order_paid", {"order": 2}) == 0


def test_failing_subscriber_is_logged_and_others_still_run(caplog):
    received = []

    def broken(_):
        raise ValueError("boom")

    with (
        caplog.at_level(logging.ERROR, logger="webapp.events"),
        events.subscribed(ModuleEvent.STARTUP, broken),
        events.subscribed(ModuleEvent.STARTUP, received.append),
    ):
        delivered = events.emit(ModuleEvent.STARTUP, ModuleEventData(module="core"))
    assert delivered == 1 and len(received) == 1
    assert "failed" in caplog.text and "boom" in caplog.text


def test_module_subscriber_only_hears_platforms_where_its_module_is_enabled(platform):
    heard = []

    class Paid:
        def __init__(self, platform_code):
            self.platform = platform_code

    with events.subscribed("orders.order_paid", heard.append, module="loyalty"):
        events.emit("orders.order_paid", Paid("main"))
        assert heard == []
        module_service.enable(platform, "loyalty")
        events.emit("orders.order_paid", Paid("main"))
    assert len(heard) == 1


def test_event_data_carries_module_platform_user_config_and_time():
    data = ModuleEventData(module="loyalty", platform="main", user=7, config={"points_per_euro": 2})
    assert data.time is not None and data.config["points_per_euro"] == 2


def test_config_change_emits_config_changed(platform):
    received = []
    with events.subscribed(ModuleEvent.CONFIG_CHANGED, received.append):
        module_service.update_config(platform, "loyalty", {"points_per_euro": 3})
    assert received[0].module == "loyalty" and received[0].config["points_per_euro"] == 3


def test_disable_emits_disabled_for_every_module_switched_off(platform):
    module_service.enable(platform, "marketplace")
    received = []
    with events.subscribed(ModuleEvent.DISABLED, received.append):
        module_service.disable(platform, "catalog")
    assert [e.module for e in received] == ["marketplace", "orders", "inventory", "catalog"]


def test_module_hooks_are_called_and_a_failing_hook_does_not_break_the_toggle(platform, monkeypatch, caplog):
    calls = []
    definition = module_service.get_definition("analytics")
    monkeypatch.setattr(definition, "on_enable", lambda data: calls.append(("enable", data.module)))

    def broken(_):
        raise RuntimeError("hook bug")

    monkeypatch.setattr(definition, "on_disable", broken)
    module_service.enable(platform, "analytics")
    module_service.disable(platform, "analytics")
    assert calls == [("enable", "analytics")]
    assert not module_service.is_enabled(platform, "analytics")
    assert "hook bug" in caplog.text


def test_startup_event_and_hooks_run_when_the_app_is_built(monkeypatch):
    from webapp import create_app

    started = []
    with events.subscribed(ModuleEvent.STARTUP, lambda data: started.append(data.module)):
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert "core" in started and "monitoring" in started and len(started) == 15


def test_shutdown_is_emitted_for_every_module_in_reverse_order():
    from webapp.modules import stop_modules

    stopped = []
    with events.subscribed(ModuleEvent.SHUTDOWN, lambda data: stopped.append(data.module)):
        stop_modules()
    assert stopped[0] == "monitoring" and stopped[-1] == "core" and len(stopped) == 15
