"""Framework commands: ``flask modules …`` (same service as the admin page) and ``flask demo seed``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from webapp import modules as module_service
from webapp.extensions import db
from webapp.models import Platform
from webapp.registry import get_registry

modules_cli = AppGroup("modules", help="List, enable and disable modules per platform.")
demo_cli = AppGroup("demo", help="Demo data for development.")


def _platform(code: str) -> Platform:
    try:
        return module_service.get_platform(code)
    except module_service.ModuleError as exc:
        raise click.ClickException(str(exc)) from exc


@modules_cli.command("list")
@click.option("--platform", "platform_code", help="Show the state on this platform.")
def list_modules(platform_code: str | None) -> None:
    """List modules by tier, with their state on a platform."""
    states = module_service.module_states(_platform(platform_code)) if platform_code else None
    for module in get_registry():
        state = ""
        if states is not None:
            state = states[module.code].state
        requires = ", ".join(module.requires) or "-"
        click.echo(f"{module.code:<12} {module.tier.value:<9} {module.version:<7} {state:<9} requires: {requires}")


@modules_cli.command("enable")
@click.argument("code")
@click.option("--platform", "platform_code", required=True)
def enable_module(code: str, platform_code: str) -> None:
    """Enable CODE (and what it requires) on a platform."""
    platform = _platform(platform_code)
    try:
        plan = module_service.enable(platform, code)
    except module_service.ModuleError as exc:
        raise click.ClickException(str(exc)) from exc
    if not plan.changes:
        click.echo(f"{code} is already enabled on {platform.code}.")
        return
    if plan.also:
        click.echo(f"Also enabled (required by {code}): {', '.join(plan.also)}")
    click.echo(f"Enabled {code} on {platform.code}.")


@modules_cli.command("disable")
@click.argument("code")
@click.option("--platform", "platform_code", required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def disable_module(code: str, platform_code: str, yes: bool) -> None:
    """Disable CODE (and what depends on it) on a platform. No data is deleted."""
    platform = _platform(platform_code)
    try:
        plan = module_service.plan_disable(platform, code)
    except module_service.ModuleError as exc:
        raise click.ClickException(str(exc)) from exc
    if not plan.changes:
        click.echo(f"{code} is already disabled on {platform.code}.")
        return
    if plan.also:
        click.echo(f"These enabled modules depend on {code} and will be disabled too: {', '.join(plan.also)}")
    click.echo("No data is deleted; enabling again brings everything back.")
    if not yes and not click.confirm(f"Disable {code} on {platform.code}?", default=False):
        raise click.Abort()
    module_service.disable(platform, code)
    click.echo(f"Disabled {', '.join(plan.changes)} on {platform.code}.")


def ensure_platform(code: str, name: str, hosts: list[str]) -> Platform:
    platform = db.session.scalar(select(Platform).where(Platform.code == code))
    if platform is None:
        platform = Platform(code=code, name=name, hosts=hosts)
        db.session.add(platform)
        db.session.commit()
    return platform


@demo_cli.command("seed")
def seed() -> None:
    """Add demo data (idempotent). Refused in production."""
    if current_app.config["BUTTEK_ENV"] == "production":
        raise click.ClickException("Demo data is refused in production.")
    for module in get_registry():
        seeder = module.hook("demo_seeder")
        if seeder is not None:
            seeder()
            click.echo(f"Seeded {module.code}.")
    db.session.commit()
    click.echo("Demo data ready. Every demo account has the password 'buttek-demo'.")


def init_cli(app) -> None:
    app.cli.add_command(modules_cli)
    app.cli.add_command(demo_cli)
