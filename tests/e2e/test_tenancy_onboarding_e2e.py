"""Onboarding as people do it, in Chromium: a platform admin creates a merchant with a store,
the invited owner joins and invites a staff member, and each sees exactly what they may."""
from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import _new_page

PASSWORD = "a long enough password"


def invitation_link(live, to: str) -> str:
    """The accept link of the newest invitation mailed to ``to`` (development mails are files)."""
    folder = Path(live.app.config["MAIL_FOLDER"])
    for path in sorted(folder.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == to:
            link = re.search(r"https?://\S+/invite/[\w-]+", message.get_content()).group(0)
            return re.sub(r"^https?://[^/]+", "", link)
    raise AssertionError(f"no invitation mailed to {to}")


def join(page, link: str, name: str) -> None:
    page.goto(link)
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.get_by_role("button", name="Create my account and join").click()


def nav_labels(page) -> list[str]:
    return [label.strip() for label in page.locator("#store-nav a").all_inner_texts()]


def test_admin_onboards_a_merchant_whose_owner_invites_staff(browser, live, browser_problems, logged_in_page):
    admin = logged_in_page
    # The platform admin creates the merchant ...
    admin.goto("/admin/merchants/new")
    admin.fill("input[name=name]", "Épicerie Nord")
    admin.fill("input[name=vat_number]", "LU15027442")
    admin.fill("input[name=contact_email]", "hello@epicerie.lu")
    admin.get_by_role("button", name="Create merchant").click()
    expect(admin.locator("h1")).to_have_text("Épicerie Nord")
    # ... and its store, which invites the owner.
    admin.fill("#store-form input[name=store_code]", "epicerie-nord")
    admin.fill("#store-form input[name=name]", "Épicerie Nord")
    admin.fill("#store-form input[name=owner_email]", "owner@epicerie.lu")
    admin.get_by_role("button", name="Create store").click()
    expect(admin.locator("h1")).to_have_text("Épicerie Nord")
    expect(admin.locator("#toasts")).to_contain_text("invited owner@epicerie.lu")

    # The owner follows the e-mailed link, creates an account and lands in the store admin.
    owner = _new_page(browser, live, browser_problems)
    join(owner, invitation_link(live, "owner@epicerie.lu"), "Olga Owner")
    owner.wait_for_url(re.compile(r"/store/epicerie-nord/$"))
    assert {"Dashboard", "Team", "Store settings", "Merchant"} <= set(nav_labels(owner))

    # The owner invites a staff member from the team page.
    owner.goto("/store/epicerie-nord/team")
    owner.fill("#invite-form input[name=email]", "staff@epicerie.lu")
    owner.select_option("#invite-form select[name=role]", "staff")
    owner.get_by_role("button", name="Send invitation").click()
    expect(owner.locator("#toasts")).to_contain_text("staff@epicerie.lu")

    staff = _new_page(browser, live, browser_problems)
    join(staff, invitation_link(live, "staff@epicerie.lu"), "Sam Staff")
    staff.wait_for_url(re.compile(r"/store/epicerie-nord/$"))
    # Staff see their store but not its team, settings or merchant ...
    labels = nav_labels(staff)
    assert "Dashboard" in labels and not {"Team", "Store settings", "Merchant"} & set(labels)
    browser_problems.expect_status(f"{live.url}/store/epicerie-nord/settings", 403)
    assert staff.goto("/store/epicerie-nord/settings").status == 403
    # ... and another merchant's store does not exist for them.
    browser_problems.expect_status(f"{live.url}/store/boulangerie-centre/", 404)
    assert staff.goto("/store/boulangerie-centre/").status == 404

    # Next day: staff sign out and back in through the store login, and land in their only store.
    staff.goto("/store/epicerie-nord/")
    staff.get_by_role("button", name="Sign out").click()
    staff.wait_for_url(re.compile(r"/store/login"))
    staff.fill("input[name=email]", "STAFF@epicerie.lu")
    staff.fill("input[name=password]", PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url(re.compile(r"/store/epicerie-nord/$"))

    # The owner now sees both in the team; the admin sees the new store in the platform's list.
    owner.goto("/store/epicerie-nord/team")
    expect(owner.locator("body")).to_contain_text("staff@epicerie.lu")
    admin.goto("/admin/stores?q=epicerie")
    expect(admin.locator("#store-table")).to_have_attribute("data-count", "1")
    for page in (owner, staff):
        page.context.close()
