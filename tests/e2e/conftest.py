"""Browser fixtures: one live server on its own seeded SQLite file, Debian's Chromium, a page per
test that watches the console for errors and CSP violations."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import require
from tests.e2e.live import CHROMIUM, CHROMIUM_ARGS, chromium_available, live_server, reset_modules, sign_in

TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1280, "height": 900}

# Chromium logs CSP violations to the console itself; this makes sure each one is reported as an
# error with its directive, whatever the browser version does. Init scripts are not subject to CSP.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""

expect.set_options(timeout=TIMEOUT_MS)


class BrowserProblems:
    """Console errors and uncaught exceptions of a page.

    Chromium logs every 4xx answer as "Failed to load resource", including the ones a test asks
    for on purpose (a 422 invalid form, a 404 page): ``expect_status`` excuses those, by URL.
    """

    def __init__(self):
        self.problems: list[str] = []
        self._expected: set[tuple[str, int]] = set()

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))

    def expect_status(self, url: str, status: int) -> None:
        self._expected.add((url, status))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        failed_load = re.match(r"Failed to load resource: the server responded with a status of (\d+)", message.text)
        if failed_load and (url, int(failed_load.group(1))) in self._expected:
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def assert_none(self) -> None:
        assert not self.problems, "The browser reported problems:\n" + "\n".join(self.problems)


@pytest.fixture(scope="package")
def browser():
    require(chromium_available(), f"Chromium ({CHROMIUM})")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def live(browser, tmp_path_factory):
    """The live server; package-scoped so the process globals it rebinds are restored right after."""
    directory = tmp_path_factory.mktemp("e2e")
    with live_server(directory, MAIL_FOLDER=str(directory / "mail")) as server:
        yield server


@pytest.fixture
def browser_problems():
    return BrowserProblems()


def _new_page(browser, live, browser_problems, storage_state=None):
    context = browser.new_context(base_url=live.url, viewport=VIEWPORT, storage_state=storage_state)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    browser_problems.watch(page)
    return page


@pytest.fixture
def page(browser, live, browser_problems):
    """A fresh signed-out browser context; all modules are enabled again first."""
    reset_modules(live.app)
    page = _new_page(browser, live, browser_problems)
    yield page
    page.context.close()
    browser_problems.assert_none()


@pytest.fixture(scope="package")
def admin_session(browser, live):
    """The cookies of the super admin, signed in once through the form (argon2 is slow on purpose)."""
    problems = BrowserProblems()
    page = _new_page(browser, live, problems)
    sign_in(page, live.url)
    state = page.context.storage_state()
    page.context.close()
    problems.assert_none()
    return state


@pytest.fixture
def logged_in_page(browser, live, browser_problems, admin_session):
    """A fresh browser context of the signed-in super admin, on the dashboard."""
    reset_modules(live.app)
    page = _new_page(browser, live, browser_problems, storage_state=admin_session)
    page.goto("/admin/")
    expect(page.locator("#admin-nav")).to_be_visible()
    yield page
    page.context.close()
    browser_problems.assert_none()
