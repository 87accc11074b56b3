"""Segments: rules validated, evaluated as one query, counted live while editing, saved per merchant."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from blueprints.customers.models import Customer, Segment
from blueprints.customers.services import CustomerError, segments
from tests.customers.conftest import make_customer, make_segment, staff_login
from webapp.extensions import db
from webapp.models import AuditLog


@pytest.fixture
def shoppers(merchant, other_merchant):
    """Four customers of the merchant (and one vip of another merchant, never counted)."""
    old = make_customer(merchant, "old@example.lu", tags=["vip"], language="fr", created_at=datetime(2024, 1, 5))
    new = make_customer(merchant, "new@gmail.com", tags=["vip", "wholesale"], language="de", marketing_consent=True,
                        created_at=datetime(2026, 3, 1))
    plain = make_customer(merchant, "plain@example.lu", created_at=datetime(2025, 6, 1))
    erased = make_customer(merchant, "erased@example.lu", tags=["vip"], erased_at=datetime(2026, 1, 1))
    make_customer(other_merchant, "rival@example.lu", tags=["vip"])
    return old, new, plain, erased


def members(merchant, rules, match="all") -> set[str]:
    clause = segments.condition(merchant.id, segments.validate_rules(rules), match)
    return set(db.session.scalars(select(Customer.email).where(Customer.merchant_id == merchant.id,
                                                               Customer.erased_at.is_(None), clause)))


def rule(field, operator, value=""):
    return {"field": field, "operator": operator, "value": value}


def test_rules_select_the_right_customers(merchant, shoppers):
    assert members(merchant, [rule("tag", "is", "VIP")]) == {"old@example.lu", "new@gmail.com"}
    assert members(merchant, [rule("tag", "is_not", "vip")]) == {"plain@example.lu"}
    assert members(merchant, [rule("registered", "after", "2025-06-01")]) == {"new@gmail.com"}
    assert members(merchant, [rule("registered", "before", "2025-06-01")]) == {"old@example.lu"}
    assert members(merchant, [rule("language", "is", "de")]) == {"new@gmail.com"}
    assert members(merchant, [rule("language", "is_not", "de")]) == {"old@example.lu", "plain@example.lu"}
    assert members(merchant, [rule("marketing_consent", "is", "yes")]) == {"new@gmail.com"}
    assert members(merchant, [rule("email", "ends_with", "@gmail.com")]) == {"new@gmail.com"}
    assert members(merchant, [rule("tag", "is", "vip"), rule("language", "is", "fr")]) == {"old@example.lu"}
    assert members(merchant, [rule("tag", "is", "wholesale"), rule("language", "is", "fr")], "any") == {
        "old@example.lu", "new@gmail.com"}
    assert members(merchant, []) == {"old@example.lu", "new@gmail.com", "plain@example.lu"}


@pytest.mark.parametrize("rules, message", [
    ([rule("orders_count", "is", "3")], "unknown field 'orders_count'"),
    ([rule("tag", "after", "vip")], "'after' does not apply to tag"),
    ([rule("registered", "after", "yesterday")], "is not a date"),
    ([rule("language", "is", "xx")], "Unknown language"),
    ([{"field": "tag", "operator": "is", "value": "vip", "sql": "1=1"}], "malformed"),
    ("tag is vip", "malformed"),
])
def test_bad_rules_are_refused_with_a_message(rules, message):
    with pytest.raises(CustomerError, match=message):
        segments.validate_rules(rules)


def test_counting_a_segment_is_one_query(merchant, shoppers, count_queries):
    rules = segments.validate_rules([rule("tag", "is", "vip"), rule("registered", "after", "2020-01-01")])
    merchant_id = merchant.id  # loaded before counting
    with count_queries() as counter:
        assert segments.count_matching(merchant_id, rules, "all") == 2
    assert counter.count == 1


def form_data(name="VIP", match="all", rules=(("tag", "is", "vip"),)) -> dict:
    data = {"name": name, "match": match}
    for number, (field, operator, value) in enumerate(rules):
        data.update({f"rules-{number}-field": field, f"rules-{number}-operator": operator,
                     f"rules-{number}-value": value})
    return data


def test_the_preview_counts_live_and_explains_bad_rules(client, htmx_client, owner, store, shoppers):
    staff_login(client, owner)
    ok = htmx_client.post("/store/centre/customers/segments/preview", data=form_data())
    assert ok.status_code == 200 and 'data-count="2"' in ok.get_data(as_text=True)
    bad = htmx_client.post("/store/centre/customers/segments/preview", data=form_data(rules=[("spend", "is", "1")]))
    assert bad.status_code == 422 and "unknown field" in bad.get_data(as_text=True)


def test_a_segment_is_created_edited_and_deleted_with_audit_rows(client, htmx_client, owner, store, merchant,
                                                                 shoppers):
    staff_login(client, owner)
    created = htmx_client.post("/store/centre/customers/segments/new", data=form_data())
    assert created.status_code == 200 and created.headers["HX-Redirect"].endswith("/customers/segments")
    segment = db.session.scalar(select(Segment))
    assert segment.merchant_id == merchant.id and segment.rules == [rule("tag", "is", "vip")]
    edited = client.post(f"/store/centre/customers/segments/{segment.id}",
                         data=form_data(name="German VIP", rules=[("tag", "is", "vip"), ("language", "is", "de")]))
    assert edited.status_code == 303
    listing = client.get("/store/centre/customers/segments").get_data(as_text=True)
    assert "German VIP" in listing and 'data-members="1"' in listing
    members_page = client.get("/store/centre/customers/", query_string={"segment": segment.id})
    assert 'data-count="1"' in members_page.get_data(as_text=True)
    assert client.post(f"/store/centre/customers/segments/{segment.id}/delete").status_code == 303
    assert db.session.scalar(select(Segment)) is None
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("customers.segment%"))
                                 .order_by(AuditLog.id)).all()
    assert actions == ["customers.segment_created", "customers.segment_updated", "customers.segment_deleted"]


@pytest.mark.parametrize("data, message", [
    (form_data(rules=[("tag", "before", "vip")]), "does not apply"),
    (form_data(rules=[("nope", "is", "x")]), "unknown field"),
    (form_data(name=""), "This field is required."),
])
def test_invalid_segments_are_422_and_store_nothing(client, owner, store, data, message):
    staff_login(client, owner)
    response = client.post("/store/centre/customers/segments/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Segment)) is None


def test_a_duplicate_name_is_422(client, owner, store, merchant):
    make_segment(merchant, "VIP")
    staff_login(client, owner)
    response = client.post("/store/centre/customers/segments/new", data=form_data(name="vip"))
    assert response.status_code == 422 and "exists already" in response.get_data(as_text=True)


def test_rule_rows_are_added_refreshed_and_removed_without_saving(client, htmx_client, owner, store):
    staff_login(client, owner)
    added = htmx_client.post("/store/centre/customers/segments/new", data={**form_data(), "add_rule": "1"})
    assert added.status_code == 200 and 'id="segment-rules" data-count="2"' in added.get_data(as_text=True)
    refreshed = htmx_client.post("/store/centre/customers/segments/new",
                                 data={**form_data(rules=[("registered", "is", "")]), "refresh": "1"})
    assert '<option value="after" selected>' in refreshed.get_data(as_text=True)
    removed = htmx_client.post("/store/centre/customers/segments/new", data={**form_data(), "remove_rule": "0"})
    assert 'data-count="0"' in removed.get_data(as_text=True)
    assert db.session.scalar(select(Segment)) is None


def test_another_merchants_segment_is_404(client, owner, store, other_merchant):
    foreign = make_segment(other_merchant, "Theirs")
    staff_login(client, owner)
    assert client.get(f"/store/centre/customers/segments/{foreign.id}").status_code == 404
    assert client.post(f"/store/centre/customers/segments/{foreign.id}", data=form_data()).status_code == 404
    assert client.post(f"/store/centre/customers/segments/{foreign.id}/delete").status_code == 404
    assert client.get("/store/centre/customers/", query_string={"segment": foreign.id}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Segment, foreign.id).name == "Theirs"


def test_the_segment_list_costs_the_same_queries_for_1_and_20_segments(client, owner, store, merchant, shoppers,
                                                                       count_queries):
    make_segment(merchant, "S0")
    staff_login(client, owner)
    client.get("/store/centre/customers/segments")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/store/centre/customers/segments").status_code == 200
        return counter.count

    few = queries()
    for number in range(1, 20):
        make_segment(merchant, f"S{number}", rules=[rule("tag", "is", "vip"), rule("language", "is", "fr")],
                     match="any")
    assert queries() == few <= 12


def test_a_saved_segment_whose_rules_no_longer_validate_counts_nobody(merchant, shoppers):
    broken = make_segment(merchant, "Big spenders", rules=[rule("total_spent", "above", "100")])
    good = make_segment(merchant, "VIP")
    assert segments.counts_of(merchant.id, [broken, good]) == {broken.id: 0, good.id: 2}
