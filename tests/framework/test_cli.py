"""``flask modules``, ``flask users`` and ``flask demo`` share the services of the web pages."""
import pytest
from sqlalchemy import func, select

from blueprints.tenancy.permissions import may_use_platform
from webapp import modules as module_service
from webapp.extensions import db
from webapp.models import Platform, User


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


def test_modules_list_shows_every_module_with_its_tier(cli):
    result = cli("modules", "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 15 and lines[0].split()[:2] == ["core", "core"]
    assert any(line.split()[:2] == ["marketplace", "optional"] and "inventory, orders" in line for line in lines)


def test_modules_list_for_a_platform_shows_states(cli, platform):
    result = cli("modules", "list", "--platform", "main")
    states = {line.split()[0]: line.split()[3] for line in result.output.strip().splitlines()}
    assert states["core"] == "locked" and states["catalog"] == "disabled" and states["monitoring"] == "enabled"


def test_enable_prints_the_plan_and_enables_requirements(cli, platform):
    result = cli("modules", "enable", "orders", "--platform", "main")
    assert result.exit_code == 0
    assert "Also enabled (required by orders): payments, catalog" in result.output
    assert module_service.is_enabled(platform, "orders") and module_service.is_enabled(platform, "payments")


def test_disable_asks_for_confirmation_and_shows_the_impact(cli, platform):
    module_service.enable(platform, "marketplace")
    refused = cli("modules", "disable", "catalog", "--platform", "main", input="n\n")
    assert refused.exit_code != 0
    assert "marketplace, orders, inventory" in refused.output and "No data is deleted" in refused.output
    assert module_service.is_enabled(platform, "catalog")
    confirmed = cli("modules", "disable", "catalog", "--platform", "main", "--yes")
    assert confirmed.exit_code == 0
    assert not any(module_service.is_enabled(platform, c) for c in ("catalog", "inventory", "orders", "marketplace"))


def test_cli_refuses_core_modules_unknown_modules_and_platforms_clearly(cli, platform):
    core = cli("modules", "disable", "tenancy", "--platform", "main", "--yes")
    assert core.exit_code == 1 and "core module and is always enabled" in core.output
    unknown = cli("modules", "enable", "teleport", "--platform", "main")
    assert unknown.exit_code == 1 and "There is no module 'teleport'" in unknown.output
    no_platform = cli("modules", "enable", "catalog", "--platform", "atlantis")
    assert no_platform.exit_code == 1 and "There is no platform 'atlantis'" in no_platform.output


def test_enable_twice_says_nothing_changed(cli, platform):
    cli("modules", "enable", "analytics", "--platform", "main")
    again = cli("modules", "enable", "analytics", "--platform", "main")
    assert again.exit_code == 0 and "already enabled" in again.output


def test_users_create_admin(cli):
    result = cli("users", "create-admin", "Boss@Example.com", "--password", "a long password")
    assert result.exit_code == 0 and "Created super admin boss@example.com" in result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.com"))
    assert user.is_super_admin and user.password_hash.startswith("$argon2id$")


def test_users_create_admin_refuses_weak_passwords_and_duplicates(cli):
    weak = cli("users", "create-admin", "a@example.com", "--password", "short")
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    cli("users", "create-admin", "a@example.com", "--password", "a long password")
    duplicate = cli("users", "create-admin", "a@example.com", "--password", "a long password")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output


def test_demo_seed_is_idempotent(cli):
    first = cli("demo", "seed")
    second = cli("demo", "seed")
    assert first.exit_code == 0 and second.exit_code == 0
    assert "buttek-demo" in first.output
    assert db.session.scalar(select(func.count()).select_from(Platform).where(Platform.code == "main")) == 1
    admin = db.session.scalar(select(User).where(User.email == "admin@buttek.demo"))
    assert admin.is_super_admin
    platform = db.session.scalar(select(Platform).where(Platform.code == "main"))
    assert module_service.is_enabled(platform, "marketplace")


def test_demo_seed_is_refused_in_production(app, cli, monkeypatch):
    monkeypatch.setitem(app.config, "BUTTEK_ENV", "production")
    result = cli("demo", "seed")
    assert result.exit_code == 1 and "refused in production" in result.output


def test_users_create_platform_admin_runs_only_the_named_platform(cli, platform):
    result = cli("users", "create-admin", "ops@example.com", "--password", "a long password",
                 "--platform-admin", "main")
    assert result.exit_code == 0 and "Created platform admin ops@example.com" in result.output
    user = db.session.scalar(select(User).where(User.email == "ops@example.com"))
    assert may_use_platform(user, platform.id)
    other = Platform(code="other", name="Other")
    db.session.add(other)
    db.session.flush()
    assert not may_use_platform(user, other.id)
    unknown = cli("users", "create-admin", "x@example.com", "--password", "a long password", "--platform-admin", "nope")
    assert unknown.exit_code == 1 and "No platform is called nope" in unknown.output
