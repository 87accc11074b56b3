"""Per-module Alembic branches: discovery, ordering and naming rules.

The framework's own tables live on the ``framework`` branch in ``migrations/versions``; each
module owns a branch labelled with its code in ``blueprints/<pkg>/migrations/versions``, in files
named ``<code>_<NNN>_<description>.py`` whose first revision ``depends_on`` the framework and the
branches of the modules it requires.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import click
from flask.cli import with_appcontext

from webapp.config import PROJECT_ROOT
from webapp.extensions import db
from webapp.registry import ModuleRegistry, get_registry

FRAMEWORK_BRANCH = "framework"
FRAMEWORK_VERSIONS = PROJECT_ROOT / "migrations" / "versions"
MIGRATIONS_DIRECTORY = PROJECT_ROOT / "migrations"
FILE_NAME = re.compile(r"^(?P<code>[a-z][a-z_]*?)_(?P<number>\d{3})_(?P<description>[a-z0-9_]+)\.py$")


class MigrationNameError(ValueError):
    pass


@dataclass(frozen=True)
class MigrationFile:
    branch: str
    number: int
    description: str
    path: Path
    revision: str
    down_revision: str | None
    branch_labels: tuple[str, ...]
    depends_on: tuple[str, ...]


def _literal(tree: ast.Module, name: str):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def read_migration(path: Path, branch: str) -> MigrationFile:
    """Parse a revision file's identifiers without importing it."""
    match = FILE_NAME.match(path.name)
    if match is None:
        raise MigrationNameError(
            f"{path}: migration files are named <code>_<NNN>_<description>.py (e.g. {branch}_001_initial.py)."
        )
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return MigrationFile(
        branch=branch,
        number=int(match["number"]),
        description=match["description"],
        path=path,
        revision=_literal(tree, "revision"),
        down_revision=_literal(tree, "down_revision"),
        branch_labels=_as_tuple(_literal(tree, "branch_labels")),
        depends_on=_as_tuple(_literal(tree, "depends_on")),
    )


def _files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith("__"))


def discover_module_migrations(registry: ModuleRegistry | None = None) -> dict[str, list[MigrationFile]]:
    """Branch name -> its revision files in number order; the framework branch first."""
    registry = registry or get_registry()
    found = {FRAMEWORK_BRANCH: [read_migration(p, FRAMEWORK_BRANCH) for p in _files(FRAMEWORK_VERSIONS)]}
    for module in registry:
        files = [read_migration(p, module.package) for p in _files(module.migrations_path)]
        if files:
            found[module.code] = sorted(files, key=lambda f: f.number)
    return found


def get_all_migration_paths(registry: ModuleRegistry | None = None) -> list[Path]:
    registry = registry or get_registry()
    paths = [FRAMEWORK_VERSIONS]
    paths += [m.migrations_path for m in registry if m.migrations_path is not None]
    return paths


def get_migration_order(registry: ModuleRegistry | None = None) -> list[str]:
    """Branches in the order they must be applied: framework, then modules by dependency."""
    registry = registry or get_registry()
    discovered = discover_module_migrations(registry)
    return [FRAMEWORK_BRANCH] + [m.code for m in registry if m.code in discovered]


def validate_migration_names(registry: ModuleRegistry | None = None) -> list[str]:
    """Every problem with file names and branch wiring, as messages naming the module."""
    registry = registry or get_registry()
    problems: list[str] = []
    try:
        discovered = discover_module_migrations(registry)
    except MigrationNameError as exc:
        return [str(exc)]
    for branch, files in discovered.items():
        prefix = branch.replace("-", "_")
        module = registry.get(branch)
        previous = None
        for expected_number, migration in enumerate(files, start=1):
            where = f"Module '{branch}' migration {migration.path.name}"
            if not migration.path.name.startswith(prefix + "_"):
                problems.append(f"{where}: the file name must start with '{prefix}_'.")
            if migration.number != expected_number:
                problems.append(
                    f"{where}: expected number {expected_number:03d} (numbers run 001, 002, … without gaps)."
                )
            if migration.down_revision != previous:
                problems.append(f"{where}: down_revision should be {previous!r}, found {migration.down_revision!r}.")
            if expected_number == 1:
                if migration.branch_labels != (branch,):
                    problems.append(f"{where}: the first revision must carry branch_labels=({branch!r},).")
                if module is not None:
                    wanted = {FRAMEWORK_BRANCH, *module.requires}
                    missing = wanted - set(migration.depends_on)
                    if missing:
                        problems.append(f"{where}: depends_on lacks the branches {sorted(missing)}.")
            previous = migration.revision
    return problems


def configure_alembic(config):
    """Flask-Migrate hook: every branch's folder is a version location."""
    config.set_main_option("version_locations", " ".join(str(p) for p in get_all_migration_paths()))
    # The app has configured logging already; alembic.ini's would replace the root handlers.
    config.attributes["skip_logging_config"] = True
    config.set_main_option("path_separator", "space")
    return config


def upgrade_database(revision: str = "heads") -> None:
    """Apply migrations up to every branch head (the default of ``flask db upgrade`` here)."""
    from flask_migrate import upgrade

    upgrade(directory=str(MIGRATIONS_DIRECTORY), revision=revision)


@click.command("upgrade")
@click.argument("revision", default="heads")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Upgrade to REVISION (default: the heads of every module branch)."""
    problems = validate_migration_names()
    if problems:
        raise click.ClickException("Migration files are inconsistent:\n" + "\n".join(problems))
    upgrade_database(revision)


def init_module_migrations(app, migrate) -> None:
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIRECTORY))
    if configure_alembic not in migrate.configure_callbacks:
        migrate.configure(configure_alembic)
    # With one branch per module there are many heads; `flask db upgrade` means all of them.
    db_group = app.cli.commands.get("db")
    if db_group is None:
        from flask_migrate.cli import db as db_group

        app.cli.add_command(db_group)
    db_group.add_command(upgrade_command)
