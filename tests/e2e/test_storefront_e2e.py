"""The storefront as people use it, in Chromium: a merchant sets a theme and writes the about page in
French and German; a shopper switches language, registers, signs in and edits the profile; the
merchant then finds the shopper in a segment."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import _new_page

STORE = "/store/boulangerie-centre"
SHOP = "/s/boulangerie-centre"
OWNER = ("owner@boulangerie.demo", "buttek-demo")
SHOPPER = ("lena.muller@example.lu", "a long enough password")


def sign_in_to_store(page) -> None:
    page.goto("/store/login")
    page.fill("input[name=email]", OWNER[0])
    page.fill("input[name=password]", OWNER[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/store/$"))  # the picker: the owner has two stores


def test_merchant_and_shopper_use_the_storefront(browser, live, browser_problems):
    merchant = _new_page(browser, live, browser_problems)
    sign_in_to_store(merchant)

    # The merchant picks the "dark" preset and saves the theme.
    merchant.goto(f"{STORE}/cms/theme/")
    merchant.click("button[data-preset=dark]")
    expect(merchant.locator("button[data-preset=dark]")).to_have_attribute("aria-pressed", "true")
    merchant.get_by_role("button", name="Save theme").click()
    expect(merchant.locator("#toasts")).to_contain_text("saved", ignore_case=True)

    # ... and writes the about page in French and German, watching the preview.
    merchant.goto(f"{STORE}/cms/pages/")
    merchant.locator("tr[data-slug=about] a").click()
    merchant.fill("input[name=title_fr]", "Notre maison")
    merchant.fill("textarea[name=body_fr]", "Une **boulangerie** de quartier.")
    expect(merchant.locator("#page-preview strong")).to_have_text("boulangerie")
    merchant.click("#tab-de")
    merchant.fill("input[name=title_de]", "Unser Haus")
    merchant.fill("textarea[name=body_de]", "Eine **Bäckerei** im Viertel.")
    expect(merchant.locator("#page-preview strong")).to_have_text("Bäckerei")
    merchant.get_by_role("button", name="Save").click()
    expect(merchant.locator("#toasts")).to_contain_text("saved")

    # A shopper arrives (in French, the store's language) and switches to German on the about page.
    shopper = _new_page(browser, live, browser_problems)
    shopper.goto(f"{SHOP}/pages/about")
    expect(shopper.locator("html")).to_have_attribute("lang", "fr")
    expect(shopper.locator("h1")).to_have_text("Notre maison")
    expect(shopper.locator("link[href*='theme.css']")).to_have_count(1)
    shopper.click("#language-switcher")
    shopper.click("a[data-language=de]")
    expect(shopper.locator("html")).to_have_attribute("lang", "de")
    expect(shopper.locator("h1")).to_have_text("Unser Haus")  # the same page, now in German
    shopper.goto(f"{SHOP}/")
    expect(shopper.locator("html")).to_have_attribute("lang", "de")  # remembered

    # The shopper registers, signs out and signs in again.
    shopper.goto(f"{SHOP}/account/login")
    shopper.click("#register-link")
    shopper.fill("input[name=first_name]", "Lena")
    shopper.fill("input[name=last_name]", "Müller")
    shopper.fill("input[name=email]", SHOPPER[0])
    shopper.fill("input[name=password]", SHOPPER[1])
    shopper.fill("input[name=password_confirm]", SHOPPER[1])
    shopper.locator("form button[type=submit]").click()
    shopper.wait_for_url(re.compile(r"/account/$"))
    shopper.locator("form[action$='/account/logout'] button").click()
    shopper.wait_for_url(re.compile(r"/account/login$"))  # signed out, back at the sign-in form
    shopper.fill("input[name=email]", SHOPPER[0])
    shopper.fill("input[name=password]", SHOPPER[1])
    shopper.locator("form button[type=submit]").click()
    shopper.wait_for_url(re.compile(r"/account/$"))

    # ... and edits the profile: a phone number, German as the language of the shop.
    shopper.fill("#profile-form input[name=phone]", "+352 621 000 000")
    shopper.select_option("#profile-form select[name=language]", "de")
    shopper.locator("#profile-form button[type=submit]").click()
    expect(shopper.locator("#profile-form input[name=phone]")).to_have_value("+352 621 000 000")

    # The merchant finds the shopper in a segment of German speakers.
    merchant.goto(f"{STORE}/customers/segments/new")
    merchant.fill("#segment-form input[name=name]", "German speakers")
    merchant.select_option("select[aria-label='Field of rule 1']", "language")
    value = merchant.locator("input[aria-label='Value of rule 1']")
    expect(value).to_have_attribute("placeholder", "en, fr, de, lb")  # the rule row now asks for a language
    expect(merchant.locator("#segment-preview-error")).to_contain_text("Unknown language")  # nothing typed yet
    expect(merchant.locator(".htmx-settling, .htmx-swapping")).to_have_count(0)  # htmx has wired the new row
    value.fill("de")
    expect(merchant.locator("#segment-count")).not_to_have_text("0")
    merchant.get_by_role("button", name="Save segment").click()
    row = merchant.locator("tr", has_text="German speakers")
    expect(row.locator("a[data-members]")).not_to_have_attribute("data-members", "0")
    row.locator("a[data-members]").click()
    expect(merchant.locator("body")).to_contain_text(SHOPPER[0])
    for page in (merchant, shopper):
        page.context.close()
    browser_problems.assert_none()
