"""The platform admin's module page: tiers, plans, impacts, locks, config forms, 404s."""
import re

import pytest
from sqlalchemy import select

from webapp import events
from webapp import modules as module_service
from webapp.events import ModuleEvent
from webapp.extensions import db
from webapp.models import AuditLog, PlatformModule

MODULES_URL = "/admin/platforms/main/modules"


def row(html: str, code: str) -> str:
    start = rf'<div class="list-group-item module-row[^"]*" id="module-{code}"'
    match = re.search(start + r'.*?(?=<div class="list-group-item module-row|</section>|$)', html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def state_of(html: str, code: str) -> str:
    match = re.search(rf'id="module-{code}" data-state="(\w+)"', html)
    assert match, f"no data-state for {code}"
    return match.group(1)


def test_modules_are_listed_by_tier_with_core_rows_locked(client, as_super_admin):
    page = client.get(MODULES_URL).get_data(as_text=True)
    assert page.index('id="tier-core"') < page.index('id="tier-optional"') < page.index('id="tier-internal"')
    for code in ("core", "tenancy", "cms", "customers"):
        assert state_of(page, code) == "locked"
    assert state_of(page, "catalog") == "disabled"
    assert state_of(page, "monitoring") == "enabled"


def test_internal_modules_are_shown_to_super_admins_only(client, as_platform_admin):
    page = client.get(MODULES_URL).get_data(as_text=True)
    assert 'id="module-dev-tools"' not in page and 'id="module-monitoring"' not in page
    assert 'id="module-catalog"' in page
    assert client.get(MODULES_URL + "/monitoring/disable").status_code == 404
    assert client.post(MODULES_URL + "/monitoring/disable").status_code == 404


def test_enabling_shows_the_plan_before_anything_changes(htmx_client, as_super_admin, platform):
    response = htmx_client.get(MODULES_URL + "/marketplace/enable")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'data-confirming="enable"' in html
    assert list(re.findall(r'data-also="([\w-]+)"', html)) == ["payments", "catalog", "inventory", "orders"]
    assert not module_service.is_enabled(platform, "catalog")


def test_confirming_enable_swaps_the_row_and_the_other_changed_rows_out_of_band(htmx_client, as_super_admin, platform):
    response = htmx_client.post(MODULES_URL + "/inventory/enable")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert state_of(html, "inventory") == "enabled"
    assert 'id="module-catalog" data-state="enabled"' in html and 'hx-swap-oob="true"' in row(html, "catalog")
    assert "hx-swap-oob" not in row(html, "inventory").split(">")[0]
    assert "Catalog, Inventory enabled." in html
    assert "core:modules-changed" in response.headers["HX-Trigger"]
    assert module_service.is_enabled(platform, "catalog") and module_service.is_enabled(platform, "inventory")


def test_disabling_shows_the_impact_and_that_no_data_is_deleted(htmx_client, as_super_admin, platform):
    module_service.enable(platform, "marketplace")
    html = htmx_client.get(MODULES_URL + "/catalog/disable").get_data(as_text=True)
    assert 'data-confirming="disable"' in html
    assert re.findall(r'data-also="([\w-]+)"', html) == ["marketplace", "orders", "inventory"]
    assert "No data is deleted" in html
    assert module_service.is_enabled(platform, "catalog")


def test_disabling_payments_also_disables_billing_and_orders(htmx_client, as_super_admin, platform):
    module_service.enable(platform, "billing")
    module_service.enable(platform, "orders")
    response = htmx_client.post(MODULES_URL + "/payments/disable")
    html = response.get_data(as_text=True)
    assert state_of(html, "payments") == "disabled"
    assert state_of(html, "billing") == "disabled" and state_of(html, "orders") == "disabled"
    assert module_service.is_enabled(platform, "catalog")  # a requirement, not a dependent: stays on


def test_cancel_returns_the_row_to_rest(htmx_client, as_super_admin, platform):
    html = htmx_client.get(MODULES_URL + "/catalog").get_data(as_text=True)
    assert state_of(html, "catalog") == "disabled" and "data-confirming" not in html


def test_core_rows_cannot_be_toggled(htmx_client, as_super_admin, platform):
    assert htmx_client.get(MODULES_URL + "/tenancy/disable").status_code == 409
    response = htmx_client.post(MODULES_URL + "/core/disable")
    assert response.status_code == 409
    assert "always enabled" in response.get_data(as_text=True)


def test_unknown_module_platform_or_action_is_a_404(client, as_super_admin):
    assert client.get(MODULES_URL + "/nope/enable").status_code == 404
    assert client.post(MODULES_URL + "/nope/enable").status_code == 404
    assert client.get("/admin/platforms/nope/modules").status_code == 404
    assert client.post(MODULES_URL + "/catalog/explode").status_code == 404
    assert client.get(MODULES_URL + "?tier=imaginary").status_code == 404


def test_tier_filter_returns_a_fragment_for_htmx_and_the_page_for_history_restore(htmx_client, as_super_admin):
    fragment = htmx_client.get(MODULES_URL + "?tier=optional")
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and 'id="module-list"' in html
    assert 'id="tier-optional"' in html and 'id="tier-core"' not in html
    assert "HX-Request" in fragment.headers["Vary"]
    restored = htmx_client.get(MODULES_URL + "?tier=optional", history_restore=True)
    assert "<html" in restored.get_data(as_text=True)
    boosted = htmx_client.get(MODULES_URL, boosted=True)
    assert "<html" in boosted.get_data(as_text=True)


def test_toggle_is_audited_and_records_who_and_when(htmx_client, as_super_admin, platform):
    htmx_client.post(MODULES_URL + "/analytics/enable")
    row_ = db.session.scalar(select(PlatformModule).where(PlatformModule.module_code == "analytics"))
    assert row_.enabled and row_.updated_by_id == as_super_admin.id and row_.updated_at is not None
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "module.enabled"))
    assert entry.target == "analytics" and entry.platform_id == platform.id and entry.user_id == as_super_admin.id
    page = htmx_client.get(MODULES_URL + "/analytics").get_data(as_text=True)
    assert f"Changed by {as_super_admin.email}" in page


def test_toggle_emits_events_and_calls_hooks(htmx_client, as_super_admin, platform):
    received = []
    with events.subscribed(ModuleEvent.ENABLED, received.append):
        htmx_client.post(MODULES_URL + "/loyalty/enable")
    assert [(e.module, e.platform, e.user) for e in received] == [("loyalty", "main", as_super_admin.id)]


def test_a_failing_subscriber_does_not_break_the_toggle(htmx_client, as_super_admin, platform):
    def broken(_):
        raise RuntimeError("subscriber bug")

    received = []
    with events.subscribed(ModuleEvent.ENABLED, broken), events.subscribed(ModuleEvent.ENABLED, received.append):
        response = htmx_client.post(MODULES_URL + "/analytics/enable")
    assert response.status_code == 200 and received
    assert module_service.is_enabled(platform, "analytics")


def test_disabling_and_re_enabling_keeps_the_module_config(htmx_client, as_super_admin, platform):
    module_service.enable(platform, "inventory")
    module_service.update_config(platform, "inventory", {"low_stock_threshold": 12, "reservation_minutes": 45})
    htmx_client.post(MODULES_URL + "/inventory/disable")
    assert not module_service.is_enabled(platform, "inventory")
    htmx_client.post(MODULES_URL + "/inventory/enable")
    state = module_service.module_states(platform)["inventory"]
    assert state.enabled and state.config["low_stock_threshold"] == 12 and state.config["reservation_minutes"] == 45


# -- config forms ----------------------------------------------------------------------------
def test_config_form_is_generated_from_the_schema(client, as_super_admin):
    html = client.get(MODULES_URL + "/payments/config").get_data(as_text=True)
    assert 'name="bank_transfer_due_days"' in html and 'type="number"' in html and 'min="1"' in html
    assert '<select class="form-select" id="config-capture" name="capture">' in html
    assert 'role="switch" id="config-stripe_enabled" name="stripe_enabled" checked' in html


def test_valid_config_is_saved_and_normalised(htmx_client, as_super_admin, platform):
    data = {"bank_transfer_due_days": "21", "capture": "manual", "paypal_enabled": "on"}
    response = htmx_client.post(MODULES_URL + "/payments/config", data=data)
    assert response.status_code == 200
    assert "Settings of Payments saved." in response.get_data(as_text=True)
    config = module_service.module_states(platform)["payments"].config
    assert config == {"stripe_enabled": False, "paypal_enabled": True, "bank_transfer_enabled": False,
                      "cash_on_delivery_enabled": False, "capture": "manual", "bank_transfer_due_days": 21}


@pytest.mark.parametrize("data, field", [
    ({"bank_transfer_due_days": "0", "capture": "automatic"}, "bank_transfer_due_days"),
    ({"bank_transfer_due_days": "abc", "capture": "automatic"}, "bank_transfer_due_days"),
    ({"bank_transfer_due_days": "10", "capture": "sometimes"}, "capture"),
])
def test_malformed_config_is_refused_inline_with_422_and_nothing_saved(htmx_client, as_super_admin, platform,
                                                                      data, field):
    before = module_service.module_states(platform)["payments"].config
    response = htmx_client.post(MODULES_URL + "/payments/config", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert re.search(rf'id="field-{field}".*?is-invalid.*?invalid-feedback', html, re.S)
    assert module_service.module_states(platform)["payments"].config == before


def test_module_without_settings_has_no_config_page(client, as_super_admin):
    assert client.get(MODULES_URL + "/dev-tools/config").status_code == 404
    assert client.get(MODULES_URL + "/nope/config").status_code == 404


# -- a disabled module's routes and menu -----------------------------------------------------
def test_disabled_module_routes_answer_404_and_menu_entries_disappear(client, as_super_admin, platform):
    page = client.get("/admin/").get_data(as_text=True)
    assert 'data-module="monitoring"' in page
    assert client.get("/admin/monitoring/").status_code == 200
    module_service.disable(platform, "monitoring", as_super_admin)
    assert client.get("/admin/monitoring/").status_code == 404
    assert 'data-module="monitoring"' not in client.get("/admin/").get_data(as_text=True)
    module_service.enable(platform, "monitoring", as_super_admin)
    assert client.get("/admin/monitoring/").status_code == 200


def test_modules_page_query_budget_is_fixed(client, as_super_admin, platform, count_queries):
    with count_queries() as few:
        assert client.get(MODULES_URL).status_code == 200
    for code in ("marketplace", "billing", "loyalty", "analytics", "messaging"):
        module_service.enable(platform, code, as_super_admin)
    with count_queries() as many:
        assert client.get(MODULES_URL).status_code == 200
    assert few.count == many.count <= 8


def test_platform_admin_cannot_change_internal_modules_via_the_service(platform, platform_admin):
    with pytest.raises(module_service.ModuleForbidden):
        module_service.disable(platform, "monitoring", platform_admin)


def test_a_toggle_refreshes_the_menu_out_of_band(htmx_client, as_super_admin, platform):
    html = htmx_client.post(MODULES_URL + "/monitoring/disable").get_data(as_text=True)
    nav = re.search(r'<ul class="nav[^"]*" id="admin-nav" hx-swap-oob="true">.*?</ul>', html, re.S)
    assert nav and 'data-module="core"' in nav.group(0) and 'data-module="monitoring"' not in nav.group(0)
    plan = htmx_client.get(MODULES_URL + "/monitoring/enable").get_data(as_text=True)
    assert 'id="admin-nav"' not in plan  # nothing changed yet, so no menu refresh
