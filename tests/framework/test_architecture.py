"""Architecture rules that tools enforce in CI, checked here so that they cannot silently lapse."""
import tomllib

from webapp.config import PROJECT_ROOT
from webapp.registry import MODULES


def contracts() -> list[dict]:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def test_every_module_with_routes_has_a_contract_forbidding_other_modules_to_import_them():
    guarded = {c["forbidden_modules"][0] for c in contracts() if c["name"].startswith("No other module imports")}
    for module in MODULES.values():
        routes = PROJECT_ROOT / "blueprints" / module.package / "routes"
        if routes.is_dir():
            assert f"blueprints.{module.package}.routes" in guarded, f"add an import contract for {module.code}"


def test_the_layers_contract_covers_every_module():
    layers = next(c for c in contracts() if c["type"] == "layers")
    assert set(layers["containers"]) == {f"blueprints.{m.package}" for m in MODULES.values()}


def test_core_modules_are_forbidden_every_non_core_module():
    rule = next(c for c in contracts() if c["name"].startswith("Core modules never import"))
    assert set(rule["source_modules"]) == {f"blueprints.{m.package}" for m in MODULES.values() if m.is_core}
    assert set(rule["forbidden_modules"]) == {f"blueprints.{m.package}" for m in MODULES.values() if not m.is_core}


def test_module_folders_mirror_each_other():
    """A module's templates and tests live in folders named after its package."""
    for module in MODULES.values():
        if module.blueprints:
            assert (PROJECT_ROOT / "templates" / module.package).is_dir(), module.code
            assert (PROJECT_ROOT / "tests" / module.package).is_dir(), module.code
