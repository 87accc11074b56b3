"""Full-page screenshots of the platform admin, for design review.

Starts a live server on a temporary SQLite database seeded with the demo data, signs in as the
demo super admin in Debian's Chromium and walks through the admin as a person would.

    .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]      (default: ./screenshots)

Prints one line per PNG, then any console errors the browser reported; exits 1 if a page could
not be captured.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.e2e.live import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_available,
    demo_credentials,
    live_server,
    sign_in,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
MODULES = "/admin/platforms/main/modules"


class Shooter:
    def __init__(self, page: Page, output: Path):
        self.page = page
        self.output = output
        self.saved: list[Path] = []
        self.failed: list[str] = []
        self.console: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"[{self.current}] uncaught exception: {error}"))
        self.current = ""

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            source = (message.location or {}).get("url", "")
            self.console.append(f"[{self.current}] console {message.type}: {message.text} (source: {source})")

    def shot(self, name: str, steps: Callable[[Page], None]) -> None:
        """Run ``steps``, then save ``name``.png of the whole page; a failing step is reported, not fatal."""
        self.current = name
        try:
            steps(self.page)
            self.page.mouse.move(0, 0)  # no hover highlight on whatever the last click left under the pointer
            self.page.evaluate("window.scrollTo(0, 0)")  # sticky and fixed parts where a reader expects them
            self.page.wait_for_load_state("networkidle")
            self.page.evaluate("document.fonts.ready")
            path = self.output / f"{name}.png"
            # caret="hide" would leave style="" on every input, which htmx then copies onto the
            # swapped-in form (a blocked inline style under our CSP): a screenshot artefact.
            self.page.screenshot(path=str(path), full_page=True, caret="initial")
            self.saved.append(path)
            print(f"saved  {path}")
        except Exception as exc:  # keep going: the other pages are still worth looking at
            self.failed.append(f"{name}: {exc}")
            print(f"FAILED {name}: {str(exc).splitlines()[0]}")


def quiet_console_logging() -> None:
    """The server's request log stays on the monitoring page, not on this script's stderr."""
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)


def clear_toasts(page: Page) -> None:
    page.evaluate("document.querySelectorAll('#toasts .toast').forEach((toast) => toast.remove())")


def wait_for_toast(page: Page) -> None:
    """Until a toast has faded in (Playwright counts opacity 0 as visible)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('#toasts .toast.show')].some((t) => getComputedStyle(t).opacity === '1')"
    )


def confirm_toggle(page: Page, code: str, action: str) -> None:
    page.locator(f"#toggle-{code}").click()
    page.locator(f'#module-{code} [data-confirm="{action}"]').click()
    state = "enabled" if action == "enable" else "disabled"
    expect(page.locator(f"#module-{code}")).to_have_attribute("data-state", state)


def walk(shooter: Shooter, base_url: str) -> None:
    email, password = demo_credentials()

    def login(page: Page) -> None:
        page.goto("/admin/login")

    def login_error(page: Page) -> None:
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", "wrong password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#form-error")).to_be_visible()

    def dashboard(page: Page) -> None:
        sign_in(page, base_url, email, password)

    def platforms(page: Page) -> None:
        page.goto("/admin/platforms")

    def modules(page: Page) -> None:
        page.goto(MODULES)

    def enable_plan(page: Page) -> None:
        confirm_toggle(page, "catalog", "disable")  # so that marketplace needs a chain of modules
        clear_toasts(page)
        page.locator("#toggle-marketplace").click()
        expect(page.locator('#module-marketplace[data-confirming="enable"]')).to_be_visible()
        page.locator("#module-marketplace").scroll_into_view_if_needed()

    def after_confirm(page: Page) -> None:
        page.locator('#module-marketplace [data-confirm="enable"]').click()
        expect(page.locator("#module-marketplace")).to_have_attribute("data-state", "enabled")
        wait_for_toast(page)

    def settings_error(page: Page) -> None:
        page.goto(f"{MODULES}/inventory/config")
        page.fill("input[name=low_stock_threshold]", "-1")
        page.get_by_role("button", name="Save settings").click()
        expect(page.locator(".is-invalid").first).to_be_visible()

    def monitoring_overview(page: Page) -> None:
        page.goto("/admin/monitoring/")

    def monitoring_tasks(page: Page) -> None:
        run_check = page.get_by_role("button", name=re.compile("Run health check"))
        if run_check.count():  # on the overview page; a task run makes the table worth looking at
            run_check.first.click()
            expect(page).to_have_url(f"{base_url}/admin/monitoring/tasks")
            wait_for_toast(page)
        else:
            page.goto("/admin/monitoring/tasks")

    def monitoring_logs(page: Page) -> None:
        page.goto("/admin/monitoring/logs")

    def components(page: Page) -> None:
        page.goto("/admin/dev-tools/components")

    def icons(page: Page) -> None:
        page.goto("/admin/dev-tools/icons")
        search = page.locator("#icon-search")
        if search.count():
            search.fill("heart")
            expect(page).to_have_url(f"{base_url}/admin/dev-tools/icons?q=heart")
        else:
            page.goto("/admin/dev-tools/icons?q=heart")

    def not_found(page: Page) -> None:
        page.goto("/admin/no-such-page")

    def modules_phone(page: Page) -> None:
        page.set_viewport_size(PHONE)
        page.goto(MODULES)

    def merchants(page: Page) -> None:
        page.set_viewport_size(DESKTOP)
        page.goto("/admin/merchants")

    def merchant(page: Page) -> None:
        page.get_by_role("link", name="Boulangerie Demo").click()
        expect(page.locator("h1")).to_have_text("Boulangerie Demo")

    def store_with_domain(page: Page) -> None:
        page.get_by_role("link", name="Boulangerie Centre").first.click()
        page.fill("input[name=host]", "shop.boulangerie.lu")
        page.get_by_role("button", name="Add domain").click()
        expect(page.locator("#domains")).to_have_attribute("data-count", "1")

    def users(page: Page) -> None:
        page.goto("/admin/users")

    def audit(page: Page) -> None:
        page.goto("/admin/audit")

    def admin_content_pages(page: Page) -> None:
        page.goto("/admin/cms/pages")

    def admin_content_page_editor(page: Page) -> None:
        page.locator("#pages-default tr[data-slug=terms] a").click()
        expect(page.locator("#page-form")).to_be_visible()

    def store_login(page: Page) -> None:
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/admin/login"))
        page.goto("/store/login")

    def store_dashboard(page: Page) -> None:
        page.fill("input[name=email]", "owner@boulangerie.demo")
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/store/$"))  # the picker: this owner has two stores
        page.goto("/store/boulangerie-centre/")

    def store_team(page: Page) -> None:
        page.goto("/store/boulangerie-centre/team")

    def store_settings_phone(page: Page) -> None:
        page.set_viewport_size(PHONE)
        page.goto("/store/boulangerie-centre/settings")

    def store_pages(page: Page) -> None:
        page.set_viewport_size(DESKTOP)
        page.goto("/store/boulangerie-centre/cms/pages/")

    def store_page_editor(page: Page) -> None:
        page.locator("tr[data-slug=about] a").click()
        page.fill("textarea[name=body_fr]",
                  "Depuis **1920**, quatre générations de boulangers.\n\n- Pain au levain\n- Viennoiseries")
        expect(page.locator("#page-preview strong")).to_have_text("1920")

    def store_home_sections(page: Page) -> None:
        page.goto("/store/boulangerie-centre/cms/home/")

    def store_media(page: Page) -> None:
        page.goto("/store/boulangerie-centre/cms/media/")

    def store_theme(page: Page) -> None:
        page.goto("/store/boulangerie-centre/cms/theme/")
        page.click("button[data-preset=dark]")
        expect(page.locator("button[data-preset=dark]")).to_have_attribute("aria-pressed", "true")

    def store_customers(page: Page) -> None:
        page.goto("/store/boulangerie-centre/customers/")

    def store_customer(page: Page) -> None:
        page.locator("#customer-table a, table a").first.click()
        page.wait_for_load_state()

    def store_segments(page: Page) -> None:
        page.goto("/store/boulangerie-centre/customers/segments")

    def store_product_editor(page: Page) -> None:
        page.goto("/store/boulangerie-centre/catalog/new")
        page.fill("input[name=title_fr]", "Baguette tradition")
        page.fill("input[name='variants-0-sku']", "BAG-TRAD")
        page.fill("input[name='variants-0-price']", "1,20")
        page.fill("input[name='variants-0-gtin']", "4006381333932")  # a wrong check digit: the message shows
        page.click("button[name=save]")
        expect(page.locator(".invalid-feedback").first).to_be_visible()

    def store_products(page: Page) -> None:
        page.goto("/store/boulangerie-centre/catalog/")

    def store_categories(page: Page) -> None:
        page.goto("/store/boulangerie-centre/catalog/categories")

    def store_segment_editor(page: Page) -> None:
        page.goto("/store/boulangerie-centre/customers/segments/new")

    def storefront_home(page: Page) -> None:
        page.goto("/s/boulangerie-centre/")

    def storefront_page_german(page: Page) -> None:
        page.goto("/s/boulangerie-centre/pages/about?lang=de")

    def storefront_register(page: Page) -> None:
        page.goto("/s/boulangerie-centre/account/register?lang=fr")

    def storefront_account(page: Page) -> None:
        page.goto("/s/boulangerie-centre/account/login")
        page.fill("input[name=email]", "customer@boulangerie.demo")
        page.fill("input[name=password]", password)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/account/$"))

    def storefront_not_found(page: Page) -> None:
        page.goto("/s/boulangerie-centre/pages/nothing-here")

    def storefront_home_phone(page: Page) -> None:
        page.set_viewport_size(PHONE)
        page.goto("/s/mode-lux/")

    for name, steps in [
        ("01-login", login),
        ("02-login-error", login_error),
        ("03-dashboard", dashboard),
        ("04-platforms", platforms),
        ("05-modules", modules),
        ("06-modules-enable-plan", enable_plan),
        ("07-modules-after-confirm", after_confirm),
        ("08-settings-error", settings_error),
        ("09-monitoring-overview", monitoring_overview),
        ("10-monitoring-tasks", monitoring_tasks),
        ("11-monitoring-logs", monitoring_logs),
        ("12-dev-tools-components", components),
        ("13-dev-tools-icons-heart", icons),
        ("14-not-found", not_found),
        ("15-modules-phone", modules_phone),
        ("16-merchants", merchants),
        ("17-merchant", merchant),
        ("18-store-with-domain", store_with_domain),
        ("19-users", users),
        ("20-audit-log", audit),
        ("20a-admin-content-pages", admin_content_pages),
        ("20b-admin-content-page-editor", admin_content_page_editor),
        ("21-store-login", store_login),
        ("22-store-dashboard", store_dashboard),
        ("23-store-team", store_team),
        ("24-store-settings-phone", store_settings_phone),
        ("25-store-pages", store_pages),
        ("26-store-page-editor", store_page_editor),
        ("27-store-home-sections", store_home_sections),
        ("28-store-media", store_media),
        ("29-store-theme-dark-preview", store_theme),
        ("30-store-customers", store_customers),
        ("31-store-customer", store_customer),
        ("32-store-segments", store_segments),
        ("32a-store-product-editor-error", store_product_editor),
        ("32b-store-products", store_products),
        ("32c-store-categories", store_categories),
        ("32d-store-segment-editor", store_segment_editor),
        ("33-storefront-home", storefront_home),
        ("34-storefront-page-de", storefront_page_german),
        ("35-storefront-register-fr", storefront_register),
        ("36-storefront-account", storefront_account),
        ("37-storefront-not-found", storefront_not_found),
        ("38-storefront-home-phone", storefront_home_phone),
    ]:
        shooter.shot(name, steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="screenshots", help="directory of the PNGs (default: screenshots)")
    args = parser.parse_args(argv)
    if not chromium_available():
        print(f"Chromium is not installed at {CHROMIUM}.", file=sys.stderr)
        return 2
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="buttek-screenshots-") as directory, live_server(Path(directory)) as server:
        quiet_console_logging()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=server.url, viewport=DESKTOP)
            context.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            shooter = Shooter(context.new_page(), output)
            walk(shooter, server.url)
            browser.close()

    print(f"\n{len(shooter.saved)} screenshots in {output}/")
    if shooter.console:
        print("\nThe browser reported:")
        for line in shooter.console:
            print(f"  {line}")
    if shooter.failed:
        print("\nNot captured:")
        for line in shooter.failed:
            print(f"  {line}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
