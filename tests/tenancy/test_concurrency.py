"""Two admins taking the same store code or host at the same moment, on PostgreSQL: one wins,
the other gets a clear refusal (a form error), never a 500."""
import threading

import pytest
from sqlalchemy import func, select

from blueprints.tenancy import services
from blueprints.tenancy.models import Merchant, Store, StoreDomain
from tests.conftest import migrated_app
from webapp.extensions import db
from webapp.models import Platform

pytestmark = pytest.mark.postgres


def seed_race() -> None:
    platform = Platform(code="race", name="Race", hosts=["race.example.com"])
    merchant = Merchant(platform=platform, name="Racer", legal_name="Racer", contact_email="r@example.com")
    db.session.add_all([platform, merchant, Store(platform=platform, merchant=merchant, store_code="base",
                                                  name="Base", languages=["fr"], default_language="fr")])


@pytest.fixture
def race_app(empty_postgres_database):
    with migrated_app(empty_postgres_database, seed=seed_race) as app:
        yield app


def at_once(app, operation, count=4):
    barrier, outcomes = threading.Barrier(count), []

    def run():
        with app.test_request_context(base_url="http://race.example.com"):
            try:
                barrier.wait(timeout=10)
                operation()
                outcomes.append("ok")
            except services.TenancyError as exc:
                outcomes.append(f"refused:{exc.field}")
            except Exception as exc:  # anything else would be a 500
                outcomes.append(f"error:{type(exc).__name__}:{exc}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_the_same_store_code_at_once_is_one_store_and_clear_refusals(race_app):
    def create():
        merchant = db.session.scalar(select(Merchant))
        services.create_store(merchant, {"store_code": "twin", "name": "Twin", "languages": ["fr"],
                                         "default_language": "fr"}, None)

    outcomes = at_once(race_app, create)
    assert outcomes.count("ok") == 1 and sorted(set(outcomes) - {"ok"}) == ["refused:store_code"], outcomes
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Store).where(Store.store_code == "twin")) == 1
        db.session.remove()


def test_the_same_host_at_once_belongs_to_one_store(race_app):
    def add():
        store = db.session.scalar(select(Store).where(Store.store_code == "base"))
        services.add_domain(store, "shop.race.lu", None)

    outcomes = at_once(race_app, add)
    assert outcomes.count("ok") == 1 and sorted(set(outcomes) - {"ok"}) == ["refused:host"], outcomes
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoreDomain)) == 1
        db.session.remove()
