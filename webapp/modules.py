"""Per-platform module state: the one service behind the admin toggle page and ``flask modules``.

Every change goes through here so that plans, locks, hooks, events and the audit log behave the
same from the browser and from the command line.
"""
from __future__ import annotations

import atexit
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, current_app, g, has_request_context, request
from pydantic import ValidationError
from sqlalchemy import select

from webapp import events
from webapp.events import ModuleEvent, ModuleEventData
from webapp.extensions import db
from webapp.models import Platform, PlatformModule, User, utcnow
from webapp.registry import ModuleDefinition, get_registry, module_of_endpoint
from webapp.security import audit
from webapp.tenancy import current_platform


class ModuleError(Exception):
    """A module operation that cannot be done; the message is shown to the user."""

    status_code = 400


class UnknownModule(ModuleError):
    status_code = 404


class ModuleLocked(ModuleError):
    status_code = 409


class ModuleForbidden(ModuleError):
    status_code = 403


class ConfigInvalid(ModuleError):
    status_code = 422

    def __init__(self, module: str, errors: dict[str, str]):
        super().__init__(f"The configuration of '{module}' is not valid.")
        self.errors = errors


@dataclass
class ModuleState:
    module: ModuleDefinition
    enabled: bool
    config: dict
    updated_by: str | None = None
    updated_at: datetime | None = None

    @property
    def state(self) -> str:
        if self.module.is_core:
            return "locked"
        return "enabled" if self.enabled else "disabled"


@dataclass
class Plan:
    """What a toggle will do: ``changes`` are switched, ``module`` last when enabling."""

    module: ModuleDefinition
    action: str  # "enable" | "disable"
    changes: list[str] = field(default_factory=list)

    @property
    def also(self) -> list[str]:
        return [code for code in self.changes if code != self.module.code]


def get_platform(code: str) -> Platform:
    platform = db.session.scalar(select(Platform).where(Platform.code == code))
    if platform is None:
        raise UnknownModule(f"There is no platform '{code}'.")
    return platform


def get_definition(code: str) -> ModuleDefinition:
    module = get_registry().get(code)
    if module is None:
        raise UnknownModule(f"There is no module '{code}'.")
    return module


def module_states(platform: Platform, *, fresh: bool = False) -> dict[str, ModuleState]:
    """Every module's state on ``platform``, in dependency order (one query, cached per request).

    ``fresh`` bypasses the cache and the session's identity map: changes read under the platform
    lock so that a plan reflects what other transactions committed.
    """
    cache = g.setdefault("module_states", {}) if has_request_context() else {}
    if platform.id in cache and not fresh:
        return cache[platform.id]
    query = (
        select(PlatformModule, User.email)
        .outerjoin(User, User.id == PlatformModule.updated_by_id)
        .where(PlatformModule.platform_id == platform.id)
    )
    if fresh:
        query = query.execution_options(populate_existing=True)
    rows = {row.module_code: (row, email) for row, email in db.session.execute(query)}
    states = {}
    for module in get_registry():
        row, email = rows.get(module.code, (None, None))
        enabled = True if module.is_core else (row.enabled if row else module.default_enabled)
        states[module.code] = ModuleState(
            module=module,
            enabled=enabled,
            config={**module.default_config, **(row.config if row else {})},
            updated_by=email,
            updated_at=row.updated_at if row else None,
        )
    cache[platform.id] = states
    return states


def enabled_counts(platforms: list[Platform]) -> dict[int, int]:
    """Number of enabled modules per platform id, from one query over all their rows."""
    ids = [p.id for p in platforms]
    explicit: dict[int, dict[str, bool]] = {pid: {} for pid in ids}
    if ids:
        rows = db.session.execute(
            select(PlatformModule.platform_id, PlatformModule.module_code, PlatformModule.enabled)
            .where(PlatformModule.platform_id.in_(ids))
        )
        for platform_id, code, enabled in rows:
            explicit[platform_id][code] = enabled
    registry = get_registry()
    return {
        pid: sum(1 for m in registry if m.is_core or explicit[pid].get(m.code, m.default_enabled))
        for pid in ids
    }


def enabled_codes(platform: Platform | None) -> set[str]:
    if platform is None:
        return {m.code for m in get_registry() if m.is_core}
    return {code for code, state in module_states(platform).items() if state.enabled}


def is_enabled(platform: Platform | str | None, code: str) -> bool:
    if isinstance(platform, str):
        platform = db.session.scalar(select(Platform).where(Platform.code == platform))
    return code in enabled_codes(platform)


def _check_may_change(module: ModuleDefinition, user: User | None) -> None:
    if module.is_core:
        raise ModuleLocked(f"'{module.name}' is a core module and is always enabled.")
    if module.is_internal and user is not None and not user.is_super_admin:
        raise ModuleForbidden(f"Only super admins can change the internal module '{module.name}'.")


def plan_enable(platform: Platform, code: str, user: User | None = None, *, fresh: bool = False) -> Plan:
    module = get_definition(code)
    _check_may_change(module, user)
    states = module_states(platform, fresh=fresh)
    changes = [c for c in get_registry().enable_plan(code) if not states[c].enabled]
    for required in changes:
        _check_may_change(get_definition(required), user)
    return Plan(module, "enable", changes)


def plan_disable(platform: Platform, code: str, user: User | None = None, *, fresh: bool = False) -> Plan:
    module = get_definition(code)
    _check_may_change(module, user)
    states = module_states(platform, fresh=fresh)
    changes = [c for c in get_registry().disable_plan(code) if states[c].enabled]
    return Plan(module, "disable", changes)


def enable(platform: Platform, code: str, user: User | None = None) -> Plan:
    """Enable ``code`` and whatever it requires; returns the plan that was carried out."""
    _lock_platform(platform)
    plan = plan_enable(platform, code, user, fresh=True)
    _apply(platform, plan, enabled=True, user=user)
    return plan


def disable(platform: Platform, code: str, user: User | None = None) -> Plan:
    """Disable ``code`` and whatever depends on it. Data is never deleted."""
    _lock_platform(platform)
    plan = plan_disable(platform, code, user, fresh=True)
    _apply(platform, plan, enabled=False, user=user)
    return plan


def _lock_platform(platform: Platform) -> None:
    """Serialise module changes of one platform (PostgreSQL row lock; SQLite locks the file).

    Two admins (or the CLI and the web page) toggling at once would otherwise plan from the same
    old state and leave an enabled module with a disabled requirement, or insert a row twice.
    """
    db.session.execute(select(Platform.id).where(Platform.id == platform.id).with_for_update())


def _row(platform: Platform, code: str) -> PlatformModule:
    row = db.session.scalar(
        select(PlatformModule)
        .where(PlatformModule.platform_id == platform.id, PlatformModule.module_code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        row = PlatformModule(platform=platform, module_code=code, config={})
        db.session.add(row)
    return row


def _apply(platform: Platform, plan: Plan, *, enabled: bool, user: User | None) -> None:
    for code in plan.changes:
        row = _row(platform, code)
        row.enabled = enabled
        row.updated_by_id = user.id if user else None
        row.updated_at = utcnow()
    audit(
        "module.enabled" if enabled else "module.disabled",
        target=plan.module.code,
        platform=platform,
        user=user,
        details={"changes": plan.changes},
    )
    db.session.commit()
    _forget_cache(platform)
    event = ModuleEvent.ENABLED if enabled else ModuleEvent.DISABLED
    hook_name = "on_enable" if enabled else "on_disable"
    for code in plan.changes:
        module = get_definition(code)
        data = ModuleEventData(
            module=code,
            platform=platform.code,
            user=user.id if user else None,
            config=module_states(platform)[code].config,
        )
        _call_hook(module, hook_name, data)
        events.emit(event, data)


def update_config(platform: Platform, code: str, data: dict, user: User | None = None) -> dict:
    """Validate ``data`` against the module's schema and store it; raises ConfigInvalid."""
    module = get_definition(code)
    if module.is_internal and user is not None and not user.is_super_admin:
        raise ModuleForbidden(f"Only super admins can change the internal module '{module.name}'.")
    try:
        config = module.validate_config(data)
    except ValidationError as exc:
        errors = {}
        for error in exc.errors(include_url=False):
            name = str(error["loc"][0]) if error["loc"] else "__all__"
            errors.setdefault(name, error["msg"])
        raise ConfigInvalid(code, errors) from exc
    _lock_platform(platform)
    row = _row(platform, code)
    if row.id is None:
        row.enabled = module_states(platform, fresh=True)[code].enabled
    row.config = config
    row.updated_by_id = user.id if user else None
    row.updated_at = utcnow()
    audit("module.config_changed", target=code, platform=platform, user=user, details={"config": config})
    db.session.commit()
    _forget_cache(platform)
    event_data = ModuleEventData(module=code, platform=platform.code, user=user.id if user else None, config=config)
    events.emit(ModuleEvent.CONFIG_CHANGED, event_data)
    return config


def _call_hook(module: ModuleDefinition, name: str, data: ModuleEventData) -> None:
    hook = module.hook(name)
    if hook is None:
        return
    try:
        hook(data)
    except Exception:  # a module's hook must not leave the toggle half-done
        current_app.logger.exception("Hook %s of module %s failed", name, module.code)


def _forget_cache(platform: Platform) -> None:
    if has_request_context():
        g.get("module_states", {}).pop(platform.id, None)


def start_modules(app) -> None:
    """Run every module's ``on_startup`` hook and emit STARTUP (once per app)."""
    for module in get_registry():
        data = ModuleEventData(module=module.code)
        _call_hook(module, "on_startup", data)
        events.emit(ModuleEvent.STARTUP, data)


def stop_modules() -> None:
    """Emit SHUTDOWN for every module, last-started first (registered with atexit)."""
    for module in reversed(get_registry().ordered()):
        events.emit(ModuleEvent.SHUTDOWN, ModuleEventData(module=module.code))


_shutdown_registered = False


def guard_disabled_modules() -> None:
    """before_request: a route of a module that is off for this platform answers 404."""
    code = module_of_endpoint(current_app, request.endpoint)
    if code is None:
        return
    module = get_registry().get(code)
    if module is not None and module.is_core:
        return  # always on: no need to read the platform's module states
    if code not in enabled_codes(current_platform()):
        abort(404)


def init_modules(app) -> None:
    events.set_enabled_check(is_enabled)
    global _shutdown_registered
    app.before_request(guard_disabled_modules)
    start_modules(app)
    if not _shutdown_registered:  # once per process, however many apps it builds
        atexit.register(stop_modules)
        _shutdown_registered = True
