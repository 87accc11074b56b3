"""Module switches on PostgreSQL under concurrent changes: no 500, never an inconsistent state."""
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import migrated_app
from webapp import modules as module_service
from webapp.extensions import db
from webapp.models import Platform, PlatformModule
from webapp.registry import get_registry

pytestmark = pytest.mark.postgres


@pytest.fixture
def concurrent_app(empty_postgres_database):
    """An app on a database of its own: the concurrent transactions must really commit."""
    with migrated_app(empty_postgres_database,
                      seed=lambda: db.session.add(Platform(code="race", name="Race", hosts=[]))) as app:
        yield app


def run_together(app, *operations):
    """Start every operation at the same moment, each in its own thread and transaction."""
    barrier = threading.Barrier(len(operations))
    errors = []

    def worker(operation):
        with app.app_context():
            try:
                platform = db.session.scalar(select(Platform).where(Platform.code == "race"))
                barrier.wait(timeout=10)
                operation(platform)
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(op,)) for op in operations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def states(app) -> dict[str, bool]:
    with app.app_context():
        platform = db.session.scalar(select(Platform).where(Platform.code == "race"))
        result = {code: s.enabled for code, s in module_service.module_states(platform).items()}
        db.session.remove()
        return result


def test_the_same_module_enabled_twice_at_once_gives_one_row_and_no_error(concurrent_app):
    for _ in range(5):
        errors = run_together(concurrent_app, *[lambda p: module_service.enable(p, "analytics")] * 3)
        assert errors == []
        assert states(concurrent_app)["analytics"] is True
        run_together(concurrent_app, lambda p: module_service.disable(p, "analytics"))
    with concurrent_app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(PlatformModule)
                                 .where(PlatformModule.module_code == "analytics"))
        db.session.remove()
    assert rows == 1


def test_enabling_a_dependent_while_disabling_its_requirement_never_breaks_requirements(concurrent_app):
    registry = get_registry()
    for _ in range(8):
        run_together(concurrent_app, lambda p: module_service.enable(p, "payments"),)
        run_together(concurrent_app, lambda p: module_service.disable(p, "orders"))
        errors = run_together(
            concurrent_app,
            lambda p: module_service.enable(p, "orders"),
            lambda p: module_service.disable(p, "payments"),
        )
        assert errors == []
        current = states(concurrent_app)
        for code, enabled in current.items():
            if enabled:
                missing = [r for r in registry.get(code).requires if not current[r]]
                assert missing == [], f"{code} is on but {missing} are off"
