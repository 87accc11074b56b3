"""The tier registry: declarations, tiers, dependency plans and start-up validation."""
import pytest
from pydantic import BaseModel, Field

from webapp import registry
from webapp.registry import ModuleDefinition, ModuleRegistry, RegistryError, Tier

EXPECTED_TIERS = {
    "core": ["core", "tenancy", "cms", "customers"],
    "optional": ["payments", "billing", "catalog", "inventory", "orders", "marketplace", "analytics",
                 "messaging", "loyalty"],
    "internal": ["dev-tools", "monitoring"],
}


def make(code, tier=Tier.OPTIONAL, requires=(), **kwargs):
    return ModuleDefinition(code=code, name=code.title(), description=f"The {code} module", version="1.0.0",
                            tier=tier, requires=requires, **kwargs)


def test_all_fifteen_modules_are_declared_in_their_tiers():
    assert list(registry.CORE_MODULES) == EXPECTED_TIERS["core"]
    assert list(registry.OPTIONAL_MODULES) == EXPECTED_TIERS["optional"]
    assert list(registry.INTERNAL_MODULES) == EXPECTED_TIERS["internal"]
    assert len(registry.MODULES) == 15


def test_tier_helpers():
    assert registry.get_optional_module_codes() == EXPECTED_TIERS["optional"]
    assert registry.get_internal_module_codes() == ["dev-tools", "monitoring"]
    assert [m.code for m in registry.get_internal_modules()] == ["dev-tools", "monitoring"]
    assert registry.is_core_module("tenancy") and not registry.is_core_module("catalog")
    assert registry.is_internal_module("monitoring") and not registry.is_internal_module("nope")
    assert registry.get_module_tier("loyalty") is Tier.OPTIONAL and registry.get_module_tier("nope") is None
    by_tier = registry.get_modules_by_tier()
    assert {tier.value: [m.code for m in mods] for tier, mods in by_tier.items()} == EXPECTED_TIERS
    assert registry.MODULES["core"].is_core and registry.MODULES["monitoring"].is_internal


def test_declared_requirements_match_the_design():
    requires = {code: module.requires for code, module in registry.MODULES.items() if module.requires}
    assert requires == {
        "billing": ("payments",), "inventory": ("catalog",), "orders": ("payments", "catalog"),
        "marketplace": ("inventory", "orders"), "loyalty": ("customers",),
    }


def test_every_module_declares_permissions_and_a_semver_version():
    for module in registry.MODULES.values():
        assert module.permissions, module.code
        assert all(p.code.startswith(module.code + ".") for p in module.permissions), module.code
        assert len(module.version.split(".")) == 3


def test_enable_plan_lists_requirements_first_in_topological_order():
    assert registry.get_enable_plan("marketplace") == ["payments", "catalog", "inventory", "orders", "marketplace"]
    assert registry.get_enable_plan("loyalty") == ["customers", "loyalty"]
    assert registry.get_enable_plan("analytics") == ["analytics"]


def test_disable_plan_lists_dependents_first():
    assert registry.get_disable_plan("payments") == ["marketplace", "orders", "billing", "payments"]
    assert registry.get_disable_plan("catalog") == ["marketplace", "orders", "inventory", "catalog"]
    assert registry.get_disable_plan("loyalty") == ["loyalty"]


def test_plans_are_stable_whatever_the_declaration_order():
    modules = [make("a"), make("b", requires=("a",)), make("c", requires=("a",)), make("d", requires=("b", "c"))]
    forwards = ModuleRegistry(modules)
    backwards = ModuleRegistry(list(reversed(modules)))
    assert forwards.enable_plan("d") == ["a", "b", "c", "d"]
    assert forwards.disable_plan("a") == ["d", "c", "b", "a"]
    assert set(backwards.enable_plan("d")) == {"a", "b", "c", "d"} and backwards.enable_plan("d")[0] == "a"
    assert backwards.enable_plan("d") == backwards.enable_plan("d")


def test_unknown_requirement_is_refused_naming_the_module():
    with pytest.raises(RegistryError, match="'shop' requires unknown module 'ghost'"):
        ModuleRegistry([make("shop", requires=("ghost",))])


def test_cycle_is_refused_naming_the_modules():
    with pytest.raises(RegistryError, match=r"cycle: (a -> b -> a|b -> a -> b)"):
        ModuleRegistry([make("a", requires=("b",)), make("b", requires=("a",))])


def test_core_module_requiring_a_non_core_one_is_refused():
    with pytest.raises(RegistryError, match="Core module 'base' requires non-core module 'extra'"):
        ModuleRegistry([make("base", tier=Tier.CORE, requires=("extra",)), make("extra")])


def test_duplicate_code_is_refused():
    with pytest.raises(RegistryError, match="'twin' is declared twice"):
        ModuleRegistry([make("twin"), make("twin")])


def test_config_default_rejected_by_its_schema_is_refused():
    class Settings(BaseModel):
        limit: int = Field(5, ge=1)

    with pytest.raises(RegistryError, match="'limited' has a default_config that its config_schema rejects"):
        ModuleRegistry([make("limited", config_schema=Settings, default_config={"limit": 0})])


def test_version_must_be_semver():
    with pytest.raises(RegistryError, match="'odd' has version '1.0'"):
        ModuleRegistry([ModuleDefinition("odd", "Odd", "", "1.0", Tier.OPTIONAL)])


def test_every_default_config_validates_against_its_schema():
    for module in registry.MODULES.values():
        assert module.validate_config(module.default_config) == module.default_config


def test_module_definitions_are_light_to_import():
    """__init__ declares only: routes, services and models load when the app is built."""
    for module in registry.MODULES.values():
        assert all(isinstance(path, str) for path in module.blueprints)


def test_each_module_lives_in_its_own_package():
    for module in registry.MODULES.values():
        assert module.package == module.code.replace("-", "_")
        assert module.migrations_path is not None and module.migrations_path.is_dir()


def test_blueprints_belong_to_their_module(app):
    owners = app.extensions["buttek.blueprint_owners"]
    assert owners["core_admin"] == "core"
    assert owners["dev_tools_admin"] == "dev-tools"
    assert owners["monitoring_admin"] == "monitoring"
    assert registry.module_of_endpoint(app, "monitoring_admin.overview") == "monitoring"
    assert registry.module_of_endpoint(app, "observability.health") is None
    assert registry.module_of_endpoint(app, "static") is None


def test_default_config_comes_from_the_schema_and_a_field_without_default_is_refused():
    class Settings(BaseModel):
        limit: int = Field(5, ge=1)

    assert make("sized", config_schema=Settings).default_config == {"limit": 5}

    class Required(BaseModel):
        api_key: str

    with pytest.raises(RegistryError, match="'keyed' has a default_config that its config_schema rejects"):
        ModuleRegistry([make("keyed", config_schema=Required)])
