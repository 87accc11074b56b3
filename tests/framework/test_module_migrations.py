"""Per-module Alembic branches: naming, wiring, and a schema equal to the models."""
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from webapp import create_app
from webapp.extensions import db
from webapp.module_migrations import (
    FRAMEWORK_BRANCH,
    MIGRATIONS_DIRECTORY,
    discover_module_migrations,
    get_all_migration_paths,
    get_migration_order,
    read_migration,
    upgrade_database,
    validate_migration_names,
)
from webapp.registry import ModuleDefinition, ModuleRegistry, Tier


def test_every_module_owns_a_branch_labelled_with_its_code():
    discovered = discover_module_migrations()
    assert list(discovered)[0] == FRAMEWORK_BRANCH
    assert len(discovered) == 16
    assert discovered["marketplace"][0].branch_labels == ("marketplace",)
    assert set(discovered["marketplace"][0].depends_on) == {"framework", "inventory", "orders"}


def test_migration_order_puts_requirements_first():
    order = get_migration_order()
    assert order[0] == "framework"
    assert order.index("payments") < order.index("billing")
    assert order.index("inventory") < order.index("marketplace") and order.index("orders") < order.index("marketplace")


def test_all_paths_include_the_framework_and_every_module():
    paths = get_all_migration_paths()
    assert paths[0].name == "versions" and paths[0].parent.name == "migrations"
    assert len(paths) == 16


def test_the_shipped_migrations_follow_the_rules():
    assert validate_migration_names() == []


def _module_with_migrations(tmp_path: Path, files: dict[str, str], requires=()) -> ModuleRegistry:
    versions = tmp_path / "versions"
    versions.mkdir()
    for name, body in files.items():
        (versions / name).write_text(body)
    module = ModuleDefinition("shop", "Shop", "", "1.0.0", Tier.OPTIONAL, migrations_path=versions, requires=requires)
    others = [ModuleDefinition(code, code, "", "1.0.0", Tier.OPTIONAL, migrations_path=tmp_path / "none")
              for code in requires]
    return ModuleRegistry([*others, module])


def revision(rev, down=None, labels=None, depends=None):
    return f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = {labels!r}\ndepends_on = {depends!r}\n"


def test_badly_named_file_is_reported(tmp_path):
    registry = _module_with_migrations(tmp_path, {"0001_initial.py": revision("x")})
    problems = validate_migration_names(registry)
    assert problems and "named <code>_<NNN>_<description>.py" in problems[0]


def test_gap_in_numbers_wrong_chain_and_missing_dependencies_are_reported(tmp_path):
    registry = _module_with_migrations(tmp_path, {
        "shop_001_start.py": revision("shop_001", labels=("shop",), depends=("framework",)),
        "shop_003_more.py": revision("shop_003", down="elsewhere"),
    }, requires=("catalog",))
    problems = "\n".join(validate_migration_names(registry))
    assert "depends_on lacks the branches ['catalog']" in problems
    assert "expected number 002" in problems
    assert "down_revision should be 'shop_001'" in problems


def test_first_revision_must_carry_the_branch_label(tmp_path):
    registry = _module_with_migrations(tmp_path, {"shop_001_start.py": revision("shop_001", depends=("framework",))})
    assert "branch_labels=('shop',)" in "\n".join(validate_migration_names(registry))


def test_read_migration_does_not_import_the_file(tmp_path):
    path = tmp_path / "shop_001_start.py"
    path.write_text(revision("shop_001", labels=("shop",)) + "raise SystemExit('imported!')\n")
    assert read_migration(path, "shop").revision == "shop_001"


# -- the migrated schema equals the models, on SQLite and on PostgreSQL ----------------------
def _assert_no_drift(url: str) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        upgrade_database()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
        db.session.remove()
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {"platforms", "platform_modules", "users", "task_runs", "audit_log", "alembic_version"} <= tables


def test_migrations_bring_an_empty_sqlite_database_to_the_models(tmp_path):
    _assert_no_drift(f"sqlite:///{tmp_path / 'empty.sqlite3'}")


@pytest.mark.postgres
def test_migrations_bring_an_empty_postgresql_database_to_the_models(empty_postgres_database):
    _assert_no_drift(empty_postgres_database)


def test_flask_db_upgrade_command_applies_every_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():  # the CLI would otherwise reuse the test's own app context
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    with engine.connect() as connection:
        heads = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    engine.dispose()
    # alembic_version keeps heads only; every revision must be among them or their ancestors.
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(str(MIGRATIONS_DIRECTORY))
        script = ScriptDirectory.from_config(config)
        every_revision = {revision.revision for revision in script.walk_revisions()}
        applied = {revision.revision for revision in script.iterate_revisions(tuple(heads), "base")}
    assert applied == every_revision
    assert "marketplace_001" in heads and "catalog_001" not in heads  # catalog is below marketplace
    assert os.path.exists(tmp_path / "cli.sqlite3")
