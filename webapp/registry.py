"""The module tier registry: what modules exist, what they require, and in which order.

Modules declare themselves as ``MODULE = ModuleDefinition(...)`` in ``blueprints/<pkg>/__init__.py``.
The framework finds them by scanning the ``blueprints`` package by name, never by importing a
module package statically, so ``webapp`` stays independent of every module.
"""
from __future__ import annotations

import enum
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from webapp.config import PROJECT_ROOT

MODULES_PACKAGE = "blueprints"
SEMVER_PARTS = 3


class Tier(enum.StrEnum):
    CORE = "core"
    OPTIONAL = "optional"
    INTERNAL = "internal"


class Surface(enum.StrEnum):
    PLATFORM_ADMIN = "admin"
    STORE_ADMIN = "store"
    STOREFRONT = "storefront"


@dataclass(frozen=True)
class Permission:
    code: str
    label: str


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    icon: str = "circle"
    permission: str | None = None
    super_admin_only: bool = False
    order: int = 100


@dataclass(frozen=True)
class StatTile:
    """One tile a module contributes to the store dashboard (``dashboard_tiles`` hook)."""

    label: str
    value: str | int
    icon: str = "bar-chart"
    href: str | None = None
    hint: str | None = None
    order: int = 100


class RegistryError(RuntimeError):
    """The declared modules are inconsistent; the message names the module at fault."""


class EmptyConfig(BaseModel):
    """Config schema of a module that has no settings."""


Hook = Callable[..., Any] | str | None


@dataclass
class ModuleDefinition:
    code: str
    name: str
    description: str
    version: str
    tier: Tier
    requires: tuple[str, ...] = ()
    permissions: tuple[Permission, ...] = ()
    config_schema: type[BaseModel] = EmptyConfig
    # None: the schema's own defaults. Given explicitly, it is validated at start-up.
    default_config: dict | None = None
    # Surface -> entries; surfaces are Surface values.
    navigation: dict[Surface, tuple[NavEntry, ...]] = field(default_factory=dict)
    # "package.module:attribute" paths, imported only when the app is built.
    blueprints: tuple[str, ...] = ()
    cli: str | None = None
    demo_seeder: str | None = None
    on_enable: Hook = None
    on_disable: Hook = None
    on_startup: Hook = None
    health_check: Hook = None
    # (store) -> list[StatTile]: what the module adds to the store admin's dashboard.
    dashboard_tiles: Hook = None
    # An optional module that a new platform starts with.
    enabled_by_default: bool = False
    # Listing order within a tier (lower first); dependencies still come before dependents.
    position: int = 100
    migrations_path: Path | None = None

    def __post_init__(self) -> None:
        self.tier = Tier(self.tier)
        self.requires = tuple(self.requires)
        if self.default_config is None:
            try:
                self.default_config = self.config_schema().model_dump(mode="json")
            except ValidationError:  # a field without a default: reported by the registry's validation
                self.default_config = {}
        if self.migrations_path is None:
            candidate = PROJECT_ROOT / MODULES_PACKAGE / self.package / "migrations" / "versions"
            self.migrations_path = candidate if candidate.is_dir() else None

    @property
    def package(self) -> str:
        return self.code.replace("-", "_")

    @property
    def is_core(self) -> bool:
        return self.tier is Tier.CORE

    @property
    def is_internal(self) -> bool:
        return self.tier is Tier.INTERNAL

    @property
    def is_optional(self) -> bool:
        return self.tier is Tier.OPTIONAL

    @property
    def default_enabled(self) -> bool:
        """State on a platform that has no row for this module."""
        return self.is_core or self.is_internal or self.enabled_by_default

    def nav(self, surface: Surface) -> tuple[NavEntry, ...]:
        return tuple(self.navigation.get(Surface(surface), ()))

    def hook(self, name: str) -> Callable[..., Any] | None:
        return resolve(getattr(self, name))

    def validate_config(self, data: dict) -> dict:
        """Return the config as the schema normalises it; raises pydantic.ValidationError."""
        return self.config_schema.model_validate(data).model_dump(mode="json")


def resolve(target: Hook) -> Any:
    """Turn a "package.module:attribute" path into the object; callables pass through."""
    if target is None or not isinstance(target, str):
        return target
    module_path, _, attribute = target.partition(":")
    module = importlib.import_module(module_path)
    return getattr(module, attribute) if attribute else module


class ModuleRegistry:
    """A validated set of module definitions with dependency planning."""

    def __init__(self, modules: Iterable[ModuleDefinition]):
        modules = list(modules)
        self._check_duplicates(modules)
        self.modules: dict[str, ModuleDefinition] = {m.code: m for m in modules}
        self._validate()
        self._order = self._topological_order()

    # -- validation -------------------------------------------------------------------------
    @staticmethod
    def _check_duplicates(modules: list[ModuleDefinition]) -> None:
        seen: set[str] = set()
        for module in modules:
            if module.code in seen:
                raise RegistryError(f"Module '{module.code}' is declared twice (duplicate code).")
            seen.add(module.code)

    def _validate(self) -> None:
        for module in self.modules.values():
            parts = module.version.split(".")
            if len(parts) != SEMVER_PARTS or not all(p.isdigit() for p in parts):
                raise RegistryError(
                    f"Module '{module.code}' has version '{module.version}', which is not semver (X.Y.Z)."
                )
            for required in module.requires:
                if required not in self.modules:
                    raise RegistryError(
                        f"Module '{module.code}' requires unknown module '{required}'."
                    )
                if module.is_core and not self.modules[required].is_core:
                    raise RegistryError(
                        f"Core module '{module.code}' requires non-core module '{required}'; "
                        "core modules are always on and may only require core modules."
                    )
            try:
                module.validate_config(module.default_config)
            except ValidationError as exc:
                raise RegistryError(
                    f"Module '{module.code}' has a default_config that its config_schema rejects: "
                    f"{exc.errors(include_url=False)}"
                ) from exc
        self._check_cycles()

    def _check_cycles(self) -> None:
        visiting: list[str] = []
        done: set[str] = set()

        def visit(code: str) -> None:
            if code in done:
                return
            if code in visiting:
                cycle = visiting[visiting.index(code):] + [code]
                raise RegistryError(
                    f"Module '{code}' is part of a dependency cycle: {' -> '.join(cycle)}."
                )
            visiting.append(code)
            for required in self.modules[code].requires:
                visit(required)
            visiting.pop()
            done.add(code)

        for code in self.modules:
            visit(code)

    def _topological_order(self) -> list[str]:
        """Requirements before dependents; ties keep tier, position, then declaration order (stable)."""
        tier_rank = {Tier.CORE: 0, Tier.OPTIONAL: 1, Tier.INTERNAL: 2}
        declared = list(self.modules)
        rank = {
            code: (tier_rank[self.modules[code].tier], self.modules[code].position, declared.index(code))
            for code in declared
        }
        remaining = {code: set(self.modules[code].requires) for code in declared}
        order: list[str] = []
        while remaining:
            ready = sorted((c for c, reqs in remaining.items() if not reqs), key=rank.__getitem__)
            first = ready[0]
            order.append(first)
            del remaining[first]
            for reqs in remaining.values():
                reqs.discard(first)
        return order

    # -- queries ----------------------------------------------------------------------------
    def __contains__(self, code: str) -> bool:
        return code in self.modules

    def __iter__(self):
        return (self.modules[code] for code in self._order)

    def get(self, code: str) -> ModuleDefinition | None:
        return self.modules.get(code)

    def ordered(self) -> list[ModuleDefinition]:
        return list(self)

    def by_tier(self, tier: Tier | str) -> dict[str, ModuleDefinition]:
        tier = Tier(tier)
        return {m.code: m for m in self if m.tier is tier}

    def requirements_of(self, code: str) -> list[str]:
        """Every module that ``code`` needs, directly or not, in topological order."""
        needed: set[str] = set()
        stack = list(self.modules[code].requires)
        while stack:
            current = stack.pop()
            if current not in needed:
                needed.add(current)
                stack.extend(self.modules[current].requires)
        return [c for c in self._order if c in needed]

    def dependents_of(self, code: str) -> list[str]:
        """Every module that needs ``code``, directly or not, dependents last-first (disable order)."""
        dependents: set[str] = set()
        changed = True
        while changed:
            changed = False
            for module in self.modules.values():
                if module.code in dependents:
                    continue
                if code in module.requires or dependents.intersection(module.requires):
                    dependents.add(module.code)
                    changed = True
        return [c for c in reversed(self._order) if c in dependents]

    def enable_plan(self, code: str) -> list[str]:
        """Modules to switch on to enable ``code``: its requirements first, then itself."""
        return self.requirements_of(code) + [code]

    def disable_plan(self, code: str) -> list[str]:
        """Modules to switch off to disable ``code``: its dependents first, then itself."""
        return self.dependents_of(code) + [code]


def discover_modules(package: str = MODULES_PACKAGE) -> list[ModuleDefinition]:
    """Import ``<package>.<pkg>`` for every sub-package and collect its ``MODULE``."""
    root = importlib.import_module(package)
    found = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        definition = getattr(module, "MODULE", None)
        if isinstance(definition, ModuleDefinition):
            if definition.package != info.name:
                raise RegistryError(
                    f"Module '{definition.code}' lives in package '{info.name}', "
                    f"expected '{definition.package}'."
                )
            found.append(definition)
    return found


_registry: ModuleRegistry | None = None


def get_registry() -> ModuleRegistry:
    global _registry
    if _registry is None:
        _registry = ModuleRegistry(discover_modules())
    return _registry


# -- the module-level API (delegates to the discovered registry) ----------------------------
def __getattr__(name: str):
    tiers = {"CORE_MODULES": Tier.CORE, "OPTIONAL_MODULES": Tier.OPTIONAL, "INTERNAL_MODULES": Tier.INTERNAL}
    if name in tiers:
        return get_registry().by_tier(tiers[name])
    if name == "MODULES":
        return {m.code: m for m in get_registry()}
    raise AttributeError(name)


def get_module(code: str) -> ModuleDefinition | None:
    return get_registry().get(code)


def get_optional_module_codes() -> list[str]:
    return list(get_registry().by_tier(Tier.OPTIONAL))


def get_internal_modules() -> list[ModuleDefinition]:
    return list(get_registry().by_tier(Tier.INTERNAL).values())


def get_internal_module_codes() -> list[str]:
    return list(get_registry().by_tier(Tier.INTERNAL))


def is_core_module(code: str) -> bool:
    module = get_module(code)
    return bool(module and module.is_core)


def is_internal_module(code: str) -> bool:
    module = get_module(code)
    return bool(module and module.is_internal)


def get_modules_by_tier() -> dict[Tier, list[ModuleDefinition]]:
    registry = get_registry()
    return {tier: list(registry.by_tier(tier).values()) for tier in Tier}


def get_module_tier(code: str) -> Tier | None:
    module = get_module(code)
    return module.tier if module else None


def get_enable_plan(code: str) -> list[str]:
    return get_registry().enable_plan(code)


def get_disable_plan(code: str) -> list[str]:
    return get_registry().disable_plan(code)


# -- wiring into the Flask app --------------------------------------------------------------
def init_registry(app) -> ModuleRegistry:
    """Validate the modules, register every blueprint, and remember which module owns which."""
    registry = get_registry()
    app.extensions["buttek.registry"] = registry
    owners: dict[str, str] = {}
    for module in registry:
        import_models(module)
        for path in module.blueprints:
            blueprint = resolve(path)
            app.register_blueprint(blueprint)
            owners[blueprint.name] = module.code
        if module.cli:
            app.cli.add_command(resolve(module.cli))
    app.extensions["buttek.blueprint_owners"] = owners
    return registry


def import_models(module: ModuleDefinition) -> None:
    """Load ``blueprints/<pkg>/models.py`` (or a ``models/`` package) so its tables join the metadata."""
    folder = PROJECT_ROOT / MODULES_PACKAGE / module.package
    if (folder / "models.py").is_file() or (folder / "models" / "__init__.py").is_file():
        importlib.import_module(f"{MODULES_PACKAGE}.{module.package}.models")


def module_of_endpoint(app, endpoint: str | None) -> str | None:
    """The code of the module whose blueprint serves ``endpoint`` (None for framework routes)."""
    if not endpoint or "." not in endpoint:
        return None
    blueprint = endpoint.rsplit(".", 1)[0].split(".")[0]
    return app.extensions["buttek.blueprint_owners"].get(blueprint)
