"""The platform admin in a real browser: sign-in, module switches with their plans, history,
navigation of disabled modules and module settings, without console errors or CSP violations.

Every test starts in a fresh browser context with all modules of the platform ``main`` enabled
(see tests/e2e/conftest.py); a console error or CSP violation fails the test that caused it.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.live import demo_credentials

MODULES_PATH = "/admin/platforms/main/modules"
NO_RELOAD_MARKER = "window.__buttekMarker"


def mark_document(page: Page) -> None:
    """Tag the current document; the tag survives htmx swaps and is lost on a full page load."""
    page.evaluate(f"{NO_RELOAD_MARKER} = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate(f"{NO_RELOAD_MARKER}") == 1, "the page was fully reloaded"


def row(page: Page, code: str):
    return page.locator(f"#module-{code}")


def expect_states(page: Page, state: str, *codes: str) -> None:
    for code in codes:
        expect(row(page, code)).to_have_attribute("data-state", state)


def open_modules_page(page: Page) -> None:
    page.locator("#admin-nav").get_by_role("link", name="Platforms").click()
    expect(page).to_have_url(re.compile(r"/admin/platforms$"))
    page.locator("#platform-main").get_by_role("link", name="Modules").click()
    expect(page).to_have_url(re.compile(f"{MODULES_PATH}$"))
    expect(page.locator("#module-list")).to_be_visible()


def open_plan(page: Page, code: str, action: str):
    """Click a module's switch; its row turns into the confirm panel of ``action``."""
    page.locator(f"#toggle-{code}").click()
    panel = page.locator(f'#module-{code}[data-confirming="{action}"]')
    expect(panel).to_be_visible()
    return panel


def toggle(page: Page, code: str, action: str) -> None:
    """Switch ``code`` and confirm the plan; waits for the row's new state."""
    panel = open_plan(page, code, action)
    panel.locator(f'[data-confirm="{action}"]').click()
    expect_states(page, "enabled" if action == "enable" else "disabled", code)


def expect_toast(page: Page, text: str) -> None:
    expect(page.locator("#toasts .toast").filter(has_text=text)).to_be_visible()


# -- sign-in -------------------------------------------------------------------------------------
def test_wrong_password_shows_the_error_inline_and_the_right_one_opens_the_dashboard(
    page: Page, live, browser_problems
):
    email, password = demo_credentials()
    browser_problems.expect_status(f"{live.url}/admin/login", 422)
    page.goto("/admin/login")
    mark_document(page)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("#form-error")).to_have_text("The e-mail or password is not correct.")
    assert_not_reloaded(page)
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    expect(page.locator("input[name=email]")).to_have_value(email)

    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live.url}/admin/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("#admin-nav")).to_be_visible()


# -- module switches -----------------------------------------------------------------------------
def test_core_modules_are_locked_without_a_switch(logged_in_page: Page):
    page = logged_in_page
    open_modules_page(page)
    for code in ("core", "tenancy", "cms", "customers"):
        expect(row(page, code)).to_have_attribute("data-state", "locked")
        expect(row(page, code).locator("input[type=checkbox]")).to_have_count(0)
        expect(row(page, code)).to_contain_text("Always on")


def test_disabling_catalog_lists_and_disables_its_dependents_in_place(logged_in_page: Page):
    page = logged_in_page
    open_modules_page(page)
    mark_document(page)

    panel = open_plan(page, "catalog", "disable")
    also = panel.locator("[data-also]")
    expect(also).to_have_count(3)
    assert sorted(also.evaluate_all("items => items.map(item => item.dataset.also)")) == [
        "inventory", "marketplace", "orders",
    ]
    expect(panel).to_contain_text("No data is deleted")
    expect_states(page, "enabled", "catalog", "inventory", "orders", "marketplace")

    panel.locator('[data-confirm="disable"]').click()
    expect_states(page, "disabled", "catalog", "inventory", "orders", "marketplace")
    expect_states(page, "enabled", "payments", "billing", "loyalty")
    expect(page.locator("#module-catalog[data-confirming]")).to_have_count(0)
    expect(page.locator("#toggle-catalog")).not_to_be_checked()
    expect_toast(page, "Letzshop marketplace, Orders, Inventory, Catalog disabled.")
    assert_not_reloaded(page)


def test_enabling_marketplace_shows_the_plan_cancel_changes_nothing_confirm_enables_all(logged_in_page: Page):
    page = logged_in_page
    open_modules_page(page)
    toggle(page, "catalog", "disable")
    mark_document(page)

    panel = open_plan(page, "marketplace", "enable")
    assert sorted(panel.locator("[data-also]").evaluate_all("items => items.map(item => item.dataset.also)")) == [
        "catalog", "inventory", "orders",
    ]
    panel.locator("[data-cancel]").click()
    expect(page.locator("#module-marketplace[data-confirming]")).to_have_count(0)
    expect(page.locator("#toggle-marketplace")).not_to_be_checked()
    expect_states(page, "disabled", "marketplace", "catalog", "inventory", "orders")

    panel = open_plan(page, "marketplace", "enable")
    panel.locator('[data-confirm="enable"]').click()
    expect_states(page, "enabled", "marketplace", "catalog", "inventory", "orders")
    expect(page.locator("#toggle-marketplace")).to_be_checked()
    expect_toast(page, "Catalog, Inventory, Orders, Letzshop marketplace enabled.")
    assert_not_reloaded(page)


# -- history -------------------------------------------------------------------------------------
def test_tier_tabs_push_the_url_and_back_and_reload_show_the_whole_page(logged_in_page: Page, live):
    page = logged_in_page
    open_modules_page(page)
    toggle(page, "analytics", "disable")

    page.locator("#module-list").get_by_role("link", name="Optional", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?tier=optional$"))
    expect(page.locator("#tier-optional")).to_be_visible()
    expect(page.locator("#tier-core, #tier-internal")).to_have_count(0)

    page.go_back()
    expect(page).to_have_url(f"{live.url}{MODULES_PATH}")
    for tier in ("core", "optional", "internal"):
        expect(page.locator(f"#tier-{tier}")).to_be_visible()
    expect(page.locator("#admin-nav")).to_be_visible()
    expect_states(page, "disabled", "analytics")

    # Back again without htmx's history cache: the page comes from a history-restore request,
    # which must answer the whole page, not the #module-list fragment.
    page.go_forward()
    expect(page).to_have_url(re.compile(r"\?tier=optional$"))
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")  # where htmx 2 keeps its cache
    with page.expect_request(lambda request: request.headers.get("hx-history-restore-request") == "true"):
        page.go_back()
    expect(page).to_have_url(f"{live.url}{MODULES_PATH}")
    expect(page.locator("#admin-nav")).to_be_visible()
    expect(page.locator("#tier-internal")).to_be_visible()
    expect(page.locator("#module-list")).to_have_count(1)

    page.reload()
    expect(page.locator("#admin-nav")).to_be_visible()
    expect_states(page, "disabled", "analytics")
    expect_states(page, "enabled", "catalog", "orders")
    expect_states(page, "locked", "core")


# -- a disabled module disappears ----------------------------------------------------------------
def test_a_disabled_module_loses_its_menu_entry_and_its_pages_answer_404(logged_in_page: Page, live, browser_problems):
    page = logged_in_page
    nav = page.locator("#admin-nav")
    expect(nav.get_by_role("link", name="Monitoring")).to_be_visible()
    open_modules_page(page)
    toggle(page, "monitoring", "disable")

    page.reload()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Monitoring")).to_have_count(0)

    url = f"{live.url}/admin/monitoring/"
    browser_problems.expect_status(url, 404)
    response = page.goto(url)
    assert response is not None and response.status == 404
    expect(page.locator("[data-error-code='404']")).to_be_visible()
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()

    page.goto(MODULES_PATH)
    toggle(page, "monitoring", "enable")
    page.reload()
    expect(nav.get_by_role("link", name="Monitoring")).to_be_visible()
    nav.get_by_role("link", name="Monitoring").click()
    expect(page).to_have_url(f"{live.url}/admin/monitoring/")
    expect(nav.get_by_role("link", name="Monitoring")).to_have_attribute("aria-current", "page")


# -- module settings -----------------------------------------------------------------------------
def test_invalid_settings_show_inline_errors_and_valid_ones_are_saved(logged_in_page: Page, live, browser_problems):
    page = logged_in_page
    browser_problems.expect_status(f"{live.url}{MODULES_PATH}/inventory/config", 422)
    open_modules_page(page)
    row(page, "inventory").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(f"{MODULES_PATH}/inventory/config$"))
    mark_document(page)

    threshold = page.locator("input[name=low_stock_threshold]")
    threshold.fill("-1")
    page.get_by_role("button", name="Save settings").click()
    expect(threshold).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#field-low_stock_threshold .invalid-feedback")).to_be_visible()
    expect(page.locator("#form-error")).to_be_visible()
    expect(page).to_have_url(re.compile(f"{MODULES_PATH}/inventory/config$"))
    assert_not_reloaded(page)

    threshold.fill("12")
    page.get_by_role("button", name="Save settings").click()
    expect_toast(page, "Settings of Inventory saved.")
    expect(threshold).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(threshold).to_have_value("12")
    assert_not_reloaded(page)

    page.reload()
    expect(page.locator("input[name=low_stock_threshold]")).to_have_value("12")


# -- the console watch itself --------------------------------------------------------------------
def test_the_console_watch_reports_csp_violations(page: Page, browser_problems):
    """Guards the other tests' "no console errors" check against passing vacuously."""
    page.goto("/admin/login")
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body { color: red }</style>')")
    for _ in range(50):
        if any("CSP violation" in problem for problem in browser_problems.problems):
            break
        page.wait_for_timeout(100)
    assert any("CSP violation" in problem for problem in browser_problems.problems), browser_problems.problems
    browser_problems.problems.clear()
