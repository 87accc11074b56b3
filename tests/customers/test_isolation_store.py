"""The tenancy isolation walk over the customers routes, with the customers' own object ids.

tests/tenancy/test_isolation.py walks every store admin route; until its ``world`` knows the
customers ids (customer_id, note_id, tag_id, segment_id) this walk covers them, with the same rules:
another merchant's objects answer 404 and change no row.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from blueprints.customers.models import customer_tag_links
from tests.customers.conftest import make_customer, make_note, make_segment
from tests.tenancy import test_isolation as isolation
from tests.tenancy.test_isolation import world  # noqa: F401  (the fixture of the walk)
from webapp.extensions import db

CUSTOMER_TABLES = ("customers", "customer_addresses", "customer_notes", "customer_tags", "customer_segments")


@pytest.fixture
def foreign_ids(world):  # noqa: F811
    rival = world.foreign_store.merchant
    customer = make_customer(rival, "rival-customer@example.lu", tags=["vip"], addresses=1)
    note = make_note(customer, None, "Rival note")
    segment = make_segment(rival, "Rival VIP")
    return {"customer_id": customer.id, "note_id": note.id, "tag_id": customer.tags[0].id, "segment_id": segment.id}


@pytest.fixture(autouse=True)
def _watch_customer_tables(monkeypatch):
    monkeypatch.setattr(isolation, "WATCHED_TABLES", isolation.WATCHED_TABLES + CUSTOMER_TABLES)
    table_snapshot = isolation.snapshot

    def snapshot() -> dict:  # the tag links have no id column to order by
        rows = table_snapshot()
        rows["customer_tag_links"] = sorted(db.session.execute(select(customer_tag_links)).all())
        return rows

    monkeypatch.setattr(isolation, "snapshot", snapshot)


def customer_rules(app):
    rules = [rule for rule in isolation.object_rules(app, "/store/") if rule.endpoint.startswith("customers_store.")]
    assert len(rules) >= 10
    return rules


def test_another_merchants_customers_notes_tags_and_segments_are_404(app, client, world, foreign_ids):  # noqa: F811
    isolation.store_login(client, "owner@own-shop.example.com")
    own = {**world.args_store_own_code, **foreign_ids}
    rules = [rule for rule in customer_rules(app) if len(rule.arguments) > 1]
    assert isolation.leaks(app, client, rules, own, {404}) == []


def test_another_merchants_store_is_404_for_its_customers_pages(app, client, world, foreign_ids):  # noqa: F811
    isolation.store_login(client, "staff@own-shop.example.com")
    assert isolation.leaks(app, client, customer_rules(app), {**world.args_store_foreign, **foreign_ids},
                           {404}) == []


def test_the_walk_sees_a_customer_of_the_own_merchant(app, client, world, foreign_ids):  # noqa: F811
    """The walk can fail: the own merchant's customer is reachable, so it is reported."""
    own_customer = make_customer(world.own_store.merchant, "own@example.lu")
    db.session.commit()
    isolation.store_login(client, "owner@own-shop.example.com")
    rules = [rule for rule in customer_rules(app) if rule.endpoint == "customers_store.customer"]
    found = isolation.leaks(app, client, rules, {**world.args_store_own_code, "customer_id": own_customer.id},
                            {404})
    assert found
