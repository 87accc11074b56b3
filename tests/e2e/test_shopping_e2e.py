"""Shopping as people do it, in Chromium: a merchant creates a linen apron in two sizes with the editor's
variant generator and stocks it in two locations; a shopper finds it by search, picks size M, adds it to the
cart, asks for more than is left, and signs in to find the cart kept."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import _new_page
from tests.e2e.live import reset_modules

STORE = "/store/boulangerie-centre"
SHOP = "/s/boulangerie-centre"
OWNER = ("owner@boulangerie.demo", "buttek-demo")
CUSTOMER = ("customer@boulangerie.demo", "buttek-demo")
TITLE = "Tablier en lin"
SLUG = "tablier-en-lin"
WAREHOUSE, SHOP_FLOOR = "Entrepôt Bertrange", "Boutique Centre"  # the demo merchant's two locations


def sign_in_to_store(page) -> None:
    page.goto("/store/login")
    page.fill("input[name=email]", OWNER[0])
    page.fill("input[name=password]", OWNER[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/store/$"))  # the picker: the owner has two stores


def create_apron(merchant) -> dict[str, str]:
    """The product editor: options and values, "Generate variants", a dearer M, active, saved.
    Returns the variant ids by size."""
    merchant.goto(f"{STORE}/catalog/new")
    merchant.fill("input[name=title_fr]", TITLE)
    merchant.fill("textarea[name=description_fr]", "Un tablier en **lin lavé**, poches devant.")
    merchant.select_option("select[name=status]", "active")
    merchant.fill("input[name=option_names]", "Size")
    merchant.fill("input[name=option_values-0]", "S, M")
    merchant.fill("input[name=price_all]", "29,00")
    merchant.get_by_role("button", name="Generate variants").click()

    variants = merchant.locator("#variants")
    expect(variants, "the generator makes one row per size").to_have_attribute("data-count", "2")
    expect(merchant.locator("label[for=option_values-0]")).to_have_text("Values of Size")  # the form was re-rendered
    rows = variants.locator("tbody tr")
    for index, size in enumerate(("S", "M")):
        expect(rows.nth(index).locator("input[name$='-options']")).to_have_value(size)
        expect(rows.nth(index).locator("input[name$='-sku']")).to_have_value(f"TABLIER-EN-LIN-{size}")
        expect(rows.nth(index).locator("input[name$='-price']")).to_have_value("29,00")
    rows.nth(1).locator("input[name$='-price']").fill("32,00")
    merchant.get_by_role("button", name="Save", exact=True).click()

    expect(merchant).to_have_url(re.compile(rf"{STORE}/catalog/\d+$"))
    expect(merchant.locator("#toasts")).to_contain_text("The product is created.")
    expect(merchant.locator("select[name=status]")).to_have_value("active")
    expect(variants).to_have_attribute("data-count", "2")
    expect(rows.nth(1).locator("input[name$='-price']")).to_have_value("32,00")
    ids = {}
    for index, size in enumerate(("S", "M")):
        expect(rows.nth(index)).to_have_attribute("data-variant-id", re.compile(r"^\d+$"))
        ids[size] = rows.nth(index).get_attribute("data-variant-id")
    return ids


def receive(merchant, sku: str, location: str, units: int) -> None:
    """One row of the stock list (a variant at a location): 'Received +' units, saved in place."""
    row = merchant.locator("#stock-table tbody tr").filter(has_text=sku).filter(has_text=location)
    expect(row, f"{sku} at {location} in the stock list").to_have_count(1)
    before = int(row.get_attribute("data-available"))
    row.locator("select[name=reason]").select_option("received")
    row.locator("input[name=quantity]").fill(str(units))
    row.get_by_role("button", name="Save").click()
    expect(row, f"{units} received of {sku} at {location}").to_have_attribute("data-available", str(before + units))
    expect(row.locator("input[name=quantity]")).to_have_value("")  # a fresh row: the change was accepted


def stock_the_apron(merchant, ids: dict[str, str]) -> None:
    merchant.goto(f"{STORE}/inventory/")
    merchant.fill("#stock-search", "tablier")
    # Two sizes × two locations serving the store, none counted yet.
    expect(merchant.locator("#stock-table"), "the apron's stock rows").to_have_attribute("data-count", "4")
    # The merchant confirms the search with Enter before using the rows. (Leaving the search box by
    # clicking into a row instead fires the filter form's "change" trigger: the table is fetched again
    # and replaced under the cursor, losing the units typed meanwhile; see the report.)
    merchant.press("#stock-search", "Enter")
    expect(merchant.locator("#stock-filters.htmx-request")).to_have_count(0)
    expect(merchant.locator("#stock-table")).to_have_attribute("data-count", "4")
    expect(merchant.locator("#stock-table tbody tr[data-available='0']")).to_have_count(4)
    receive(merchant, "TABLIER-EN-LIN-M", WAREHOUSE, 2)
    receive(merchant, "TABLIER-EN-LIN-M", SHOP_FLOOR, 1)
    receive(merchant, "TABLIER-EN-LIN-S", WAREHOUSE, 5)

    # Size M's own page: both locations, 3 available in all.
    merchant.locator("#stock-table tbody tr").filter(has_text="TABLIER-EN-LIN-M").first.get_by_role(
        "link", name=TITLE).click()
    expect(merchant).to_have_url(re.compile(rf"{STORE}/inventory/stock/{ids['M']}$"))
    levels = merchant.locator("#variant-levels")
    expect(levels).to_have_attribute("data-count", "2")
    expect(levels.locator("tbody tr").filter(has_text=WAREHOUSE)).to_have_attribute("data-available", "2")
    expect(levels.locator("tbody tr").filter(has_text=SHOP_FLOOR)).to_have_attribute("data-available", "1")
    available = [int(value) for value in levels.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.available)")]
    assert sum(available) == 3, f"size M should have 3 units available in all, the stock page says {available}"


def test_merchant_stocks_a_product_that_a_shopper_finds_and_carts(browser, live, browser_problems):
    reset_modules(live.app)  # catalog and inventory on, whatever an earlier test switched off
    merchant = _new_page(browser, live, browser_problems)
    sign_in_to_store(merchant)
    ids = create_apron(merchant)
    stock_the_apron(merchant, ids)

    # A shopper, not signed in, goes from the home page to the shop and searches.
    shopper = _new_page(browser, live, browser_problems)
    shopper.goto(f"{SHOP}/")
    # The store speaks French first; this shopper reads English (the cart's messages are checked word for word).
    shopper.click("#language-switcher")
    shopper.click("a[data-language=en]")
    expect(shopper.locator("html")).to_have_attribute("lang", "en")
    badge = shopper.locator("#cart-badge-link")
    expect(badge).to_have_attribute("data-count", "0")
    shopper.locator(f"#sf-nav a[href='{SHOP}/products']").click()
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/products$"))
    shopper.fill("#shop-search-q", "tablier")
    shopper.press("#shop-search-q", "Enter")
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/search\?q=tablier$"))
    results = shopper.locator("#shop-results")
    expect(results, "exactly the new apron is found").to_have_attribute("data-count", "1")
    card = results.locator(f"article.shop-card[data-product={SLUG}]")
    expect(card.locator(".shop-card-title")).to_have_text(TITLE)
    expect(card.locator(".shop-price-now")).to_have_text("from €29.00")  # the cheaper size
    expect(card).not_to_have_attribute("data-sold-out", "true")

    # The product page opens on size S; picking M swaps the buy box and puts the variant in the address.
    card.locator("a.shop-card-link").click()
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/p/{SLUG}$"))
    expect(shopper.locator("h1"), "the product page, not the product nested in the results").to_have_count(1)
    buybox = shopper.locator("#buybox")
    expect(shopper.locator("h1")).to_have_text(TITLE)
    expect(buybox).to_have_attribute("data-variant", ids["S"])
    shopper.evaluate("window.__sameDocument = true")  # gone if anything below reloads the page
    shopper.locator("#variant-picker label").filter(has_text=re.compile(r"^\s*M\s*$")).click()
    expect(buybox, "picking M shows variant M").to_have_attribute("data-variant", ids["M"])
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/p/{SLUG}\?variant={ids['M']}$"))
    expect(shopper.locator("#variant-name")).to_have_text("M")
    expect(buybox.locator(".shop-price-now")).to_have_text("€32.00")
    expect(buybox).to_have_attribute("data-stock", "low")
    expect(shopper.locator("#stock-badge")).to_have_text("Only 3 left")
    expect(shopper.locator("#add-to-cart input[name=variant_id]")).to_have_value(ids["M"])

    # Add to cart: a toast, and the header badge counts 1, without leaving the page.
    shopper.locator("#add-to-cart button[type=submit]").click()
    toast = shopper.locator("#toasts .toast").filter(has_text=f"{TITLE} – M")
    expect(toast).to_have_text(f"{TITLE} – M is in your cart (1).")
    expect(badge, "the mini-cart badge follows the addition").to_have_attribute("data-count", "1")
    expect(badge.locator(".badge")).to_have_text("1")
    assert shopper.evaluate("window.__sameDocument === true"), "adding to the cart reloaded the product page"

    # The cart: 4 of M is more than the 3 left; the line keeps its quantity.
    badge.click()
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/cart/$"))
    line = shopper.locator(f"#cart-line-{ids['M']}")
    expect(line).to_have_attribute("data-quantity", "1")
    browser_problems.expect_status(f"{live.url}{SHOP}/cart/update", 422)
    line.locator("input[name=quantity]").fill("4")
    line.locator("input[name=quantity]").press("Enter")
    expect(line.locator("#form-error")).to_have_text(f"Only 3 left of {TITLE} – M.")
    expect(line).to_have_attribute("data-quantity", "1")
    expect(line.locator("input[name=quantity]")).to_have_value("1")
    expect(shopper.locator("#cart")).to_have_attribute("data-items", "1")
    expect(badge).to_have_attribute("data-count", "1")

    # The shopper signs in as the demo customer: the apron came along into the account's cart.
    shopper.locator(f"#sf-nav a[href='{SHOP}/account/']").click()  # "My account": the sign-in form first
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/account/login(\?next=.*)?$"))
    shopper.fill("input[name=email]", CUSTOMER[0])
    shopper.fill("input[name=password]", CUSTOMER[1])
    shopper.locator("#customer-login-form button[type=submit]").click()
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/account/$"))
    # Sign-in ends with a full page load: wait for the account page itself, or the checks below could
    # still read (and click) the page that was being left.
    expect(shopper.locator("form[action$='/account/logout']")).to_have_count(1)
    shopper.wait_for_load_state()
    expect(badge, "the cart survives signing in").to_have_attribute("data-count", "1")
    badge.click()
    expect(shopper).to_have_url(re.compile(rf"{SHOP}/cart/$"))
    expect(shopper.locator("#cart")).to_have_attribute("data-count", "1")
    expect(line).to_have_attribute("data-quantity", "1")
    expect(line).to_contain_text(TITLE)
    expect(line).not_to_have_attribute("data-problem", "")
    for page in (merchant, shopper):
        page.context.close()
    browser_problems.assert_none()
