"""The event bus: module lifecycle events and domain events between modules, one mechanism.

Lifecycle events use ``ModuleEvent`` members; domain events use dotted names that start with the
emitting module's code (``orders.order_paid``). A subscriber may belong to a module
(``subscribe("orders.order_paid", module="loyalty")``): it then only hears events of platforms on
which its module is enabled. A failing subscriber is logged and never breaks the emitter or the
other subscribers.
"""
from __future__ import annotations

import enum
import logging
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from webapp.models import utcnow

log = logging.getLogger(__name__)


class ModuleEvent(enum.StrEnum):
    ENABLED = "module.enabled"
    DISABLED = "module.disabled"
    STARTUP = "module.startup"
    SHUTDOWN = "module.shutdown"
    CONFIG_CHANGED = "module.config_changed"


@dataclass(frozen=True)
class ModuleEventData:
    module: str
    platform: str | None = None
    user: int | None = None
    config: dict = field(default_factory=dict)
    time: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Subscription:
    handler: Callable[[Any], Any]
    module: str | None


_subscriptions: dict[str, list[Subscription]] = defaultdict(list)
# Set by webapp.modules: (platform_code, module_code) -> bool. Kept as a hook to avoid a cycle.
_enabled_check: Callable[[str, str], bool] | None = None


def _key(event: ModuleEvent | str) -> str:
    return event.value if isinstance(event, ModuleEvent) else str(event)


def subscribe(event: ModuleEvent | str, handler: Callable | None = None, *, module: str | None = None):
    """Register ``handler`` for ``event``; usable as ``@subscribe(ModuleEvent.ENABLED)``.

    Registering the same handler twice (a start-up hook run by every app) keeps one subscription.
    """

    def register(func: Callable) -> Callable:
        subscription = Subscription(func, module)
        if subscription not in _subscriptions[_key(event)]:
            _subscriptions[_key(event)].append(subscription)
        return func

    return register(handler) if handler is not None else register


def unsubscribe(event: ModuleEvent | str, handler: Callable) -> None:
    _subscriptions[_key(event)] = [s for s in _subscriptions[_key(event)] if s.handler is not handler]


@contextmanager
def subscribed(event: ModuleEvent | str, handler: Callable, *, module: str | None = None):
    """Subscribe for the duration of a ``with`` block (tests, scripts)."""
    subscribe(event, handler, module=module)
    try:
        yield handler
    finally:
        unsubscribe(event, handler)


def set_enabled_check(check: Callable[[str, str], bool]) -> None:
    global _enabled_check
    _enabled_check = check


def emit(event: ModuleEvent | str, data: Any = None) -> int:
    """Call every subscriber of ``event`` with ``data``; returns how many succeeded."""
    platform = getattr(data, "platform", None)
    delivered = 0
    for subscription in list(_subscriptions.get(_key(event), ())):
        gated = subscription.module and platform and _enabled_check is not None
        if gated and not _enabled_check(platform, subscription.module):
            continue
        try:
            subscription.handler(data)
        except Exception:  # a subscriber's bug must not break the emitter
            log.exception("Subscriber %r of event %s failed", subscription.handler, _key(event))
            continue
        delivered += 1
    return delivered
