"""Full-page screenshots of the platform admin, for design review.

Starts a live server on a temporary SQLite database seeded with the demo data, signs in as the
demo super admin in Debian's Chromium and walks through the admin as a person would; then, as the
owner of Mode Lux, through the catalog and stock pages of the store admin, and as a shopper through
its shop and cart (the demo catalog has no pictures: the script draws some and tags a few products).

    .venv/bin/python scripts/screenshots.py [--fashion-only] [OUTPUT_DIR]      (default: ./screenshots)

Prints one line per PNG, then any console errors the browser reported; exits 1 if a page could
not be captured.
"""
from __future__ import annotations

import argparse
import io
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
    reset_modules,
    sign_in,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
MODULES = "/admin/platforms/main/modules"
FASHION = "mode-lux"  # the demo store whose products have sizes and colours
FASHION_OWNER = "owner@mode.demo"
FASHION_ADMIN = f"/store/{FASHION}"
FASHION_SHOP = f"/s/{FASHION}"
VARIANT_PRODUCT = "t-shirt-col-rond"  # sizes S to XL in White and Navy


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
            load_lazy_images(self.page)
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


def load_lazy_images(page: Page) -> None:
    """A full-page shot does not scroll, so images with loading="lazy" below the fold stayed blank:
    scroll through the page and wait until every image has loaded (or failed)."""
    page.evaluate("""async () => {
        for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
            window.scrollTo(0, y);
            await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        await Promise.all([...document.images].filter((image) => !image.complete).map((image) =>
            new Promise((resolve) => { image.onload = image.onerror = resolve; })));
    }""")


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
        page.fill("input[name=title_fr]", "Pain d'épeautre")  # not one of the demo's: its address is free
        page.fill("input[name='variants-0-sku']", "BL-EPEAUTRE")
        page.fill("input[name='variants-0-price']", "1,20")
        page.fill("input[name='variants-0-gtin']", "4006381333932")  # a wrong check digit: the message shows
        page.click("button[name=save]")
        expect(page.locator("#variants .invalid-feedback").first).to_be_visible()

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


# -- the catalog, stock and shop of Mode Lux --------------------------------------------------------
COLOURS = {
    "white": "#f4f3ef", "ivory": "#efe8d6", "ecru": "#e6dcc4", "natural": "#e2d6bc", "sand": "#d3c09b",
    "beige": "#cdb896", "camel": "#b98f5e", "mustard": "#cf9f2c", "terracotta": "#b85c3c", "red": "#b0303a",
    "pink": "#e3a1b5", "burgundy": "#6a1f2d", "brown": "#6b4a31", "cognac": "#92502a", "tortoiseshell": "#5e3d26",
    "olive": "#66693a", "green": "#2e6a4e", "emerald": "#1b7557", "blue": "#3a6bb0", "indigo": "#2a3863",
    "navy": "#1e2a45", "grey": "#8b8f94", "charcoal": "#3a3c40", "black": "#1c1c1e", "multicolour": "#7a6cab",
}
SHAPES = {  # garment outlines on a 1000 × 1200 canvas
    "t-shirts": [(370, 210), (300, 240), (160, 390), (255, 465), (320, 410), (320, 1010), (680, 1010), (680, 410),
                 (745, 465), (840, 390), (700, 240), (630, 210), (585, 255), (500, 272), (415, 255)],
    "chemises": [(380, 200), (300, 235), (230, 560), (220, 1000), (305, 1000), (330, 500), (330, 1040),
                 (670, 1040), (670, 500), (695, 1000), (780, 1000), (770, 560), (700, 235), (620, 200),
                 (560, 290), (500, 240), (440, 290)],
    "pantalons": [(330, 190), (670, 190), (705, 1060), (545, 1060), (500, 470), (455, 1060), (295, 1060)],
    "robes": [(405, 170), (445, 170), (470, 245), (530, 245), (555, 170), (595, 170), (620, 430), (770, 1060),
              (230, 1060), (380, 430)],
    "accessoires": [(270, 470), (730, 470), (770, 980), (230, 980)],
}
BACKGROUNDS = ["#efece6", "#e8ecef", "#f0e9e4"]  # one per picture of a product: main, detail, back
TAGS = {
    VARIANT_PRODUCT: ["basics", "organic cotton", "summer"],
    "mariniere": ["bestseller", "sale"],
    "chemise-en-lin": ["linen", "summer", "new season"],
    "jean-droit": ["denim", "bestseller"],
    "robe-portefeuille": ["new season"],
    "echarpe-en-laine": ["winter", "sale", "gift idea"],
    "sac-bandouliere-en-cuir": ["leather", "gift idea", "made in italy"],
}
WITHOUT_PICTURES = ("t-shirt-a-poche", "casquette-en-coton")  # how a product without one looks


def garment_picture(category: str, colour: str, background: str) -> bytes:
    """A product photo stand-in: the garment's outline in its colour on a plain background (JPEG)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1000, 1200), background)
    draw = ImageDraw.Draw(image)
    outline = SHAPES.get(category, SHAPES["accessoires"])
    draw.polygon([(x + 14, y + 18) for x, y in outline], fill="#d5d1ca")  # a soft shadow
    fill = COLOURS.get(colour.lower(), "#8b8f94")
    draw.polygon(outline, fill=fill, outline="#b9b4ab", width=4)
    if category == "accessoires":  # a bag: its handle
        draw.arc((380, 300, 620, 620), 180, 360, fill=fill, width=28)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def dress_fashion_catalog(app) -> None:
    """Pictures (uploaded to the media library, as a merchant would) and tags for Mode Lux's products:
    one picture each in its first colour, three for the variant product, none for WITHOUT_PICTURES."""
    from sqlalchemy import select

    from blueprints.catalog.demo import FASHION_PRODUCTS
    from blueprints.catalog.models import Product, ProductImage
    from blueprints.catalog.services import slugify
    from blueprints.cms.services import media
    from blueprints.tenancy.models import Store
    from webapp.extensions import db
    from webapp.models import User

    with app.test_request_context():
        store = db.session.scalar(select(Store).where(Store.store_code == FASHION))
        owner = db.session.scalar(select(User).where(User.email == FASHION_OWNER))
        products = {product.slug: product for product in db.session.scalars(
            select(Product).where(Product.store_id == store.id))}
        for category, title, _de, _en, _price, _material, colours, *_rest in FASHION_PRODUCTS:
            product = products.get(slugify(title))
            if product is None or product.slug in WITHOUT_PICTURES or product.images:
                continue
            count = 3 if product.slug == VARIANT_PRODUCT else 1
            media_ids = []
            for number in range(count):
                colour = colours[number % len(colours)]
                item = media.upload(store, f"{product.slug}-{number + 1}.jpg", io.BytesIO(
                    garment_picture(category, colour, BACKGROUNDS[number])), owner, alt_text=f"{title}, {colour}")
                media_ids.append(item.id)
            product.images = [ProductImage(media_id=media_id, position=position)
                              for position, media_id in enumerate(media_ids)]
            product.tags = TAGS.get(product.slug, [])
        db.session.commit()
        db.session.remove()


IMPORT_CSV = """handle,title_fr,status,categories,tags,option_names,option_values,sku,price,sale_price
pull-col-roule,Pull col roulé,active,t-shirts,winter|merino,Size,S,ML-PU01-S,89.90,
pull-col-roule,Pull col roulé,active,t-shirts,winter|merino,Size,M,ML-PU01-M,89.90,
gilet-en-maille,Gilet en maille,draft,manteaux,winter,Size,M,ML-GI01-M,79.90,
veste-en-jean,Veste en jean,active,pantalons,,,,ML-VE01,douze euros,
parka,Parka,active,,,,,ML-TS01-S-WHI,149.00,
,Bonnet sans adresse,active,accessoires,,,,ML-BO99,19.90,
foulard-imprime,Foulard imprimé,active,accessoires,,,,ML-FO01,39.90,49.90
"""


def walk_fashion(shooter: Shooter, base_url: str) -> None:
    """Mode Lux: its owner's catalog and stock pages, then a shopper in its shop and cart."""
    _email, password = demo_credentials()

    def store_dashboard(page: Page) -> None:
        page.set_viewport_size(DESKTOP)
        page.context.clear_cookies()  # whoever the walk before left signed in
        page.goto("/store/login")
        page.fill("input[name=email]", FASHION_OWNER)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base_url}{FASHION_ADMIN}/")  # a single store: straight to its dashboard

    def products(page: Page) -> None:
        page.goto(f"{FASHION_ADMIN}/catalog/")
        expect(page.locator("#product-table .product-tags").first).to_be_visible()

    def product_editor(page: Page) -> None:
        page.fill("#product-search", "ML-TS01")
        expect(page.locator("#product-table")).to_have_attribute("data-count", "1")
        page.locator("#product-table tbody a.fw-semibold").first.click()
        expect(page.locator("#variants")).to_have_attribute("data-count", "8")

    def variant_matrix(page: Page) -> None:
        page.fill("input[name='option_values-1']", "White, Navy, Black")
        page.get_by_role("button", name="Generate variants").click()
        expect(page.locator("#variants")).to_have_attribute("data-count", "12")

    def imports(page: Page) -> None:
        page.goto(f"{FASHION_ADMIN}/catalog/imports")

    def import_errors(page: Page) -> None:
        page.set_input_files("#import-form input[type=file]", files=[{
            "name": "collection-hiver.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}])
        page.locator("#import-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/catalog/imports/\d+$"))
        expect(page.locator("#import-status")).to_have_attribute("data-state", re.compile("done|failed"))

    def imports_list(page: Page) -> None:
        page.goto(f"{FASHION_ADMIN}/catalog/imports")
        expect(page.locator("#import-table")).to_have_attribute("data-count", "1")

    def stock(page: Page) -> None:
        page.goto(f"{FASHION_ADMIN}/inventory/")

    def stock_variant(page: Page) -> None:
        page.fill("#stock-search", "ML-TS01-M-NAV")
        expect(page.locator("#stock-table")).to_have_attribute("data-count", "2")
        page.locator("#stock-table tbody a.fw-semibold").first.click()
        expect(page.locator("#transfer-form")).to_be_visible()

    def movements(page: Page) -> None:
        page.goto(f"{FASHION_ADMIN}/inventory/movements")

    def locations(page: Page) -> None:
        page.goto(f"{FASHION_ADMIN}/inventory/locations")

    def location_editor(page: Page) -> None:
        page.locator("#location-table tbody a").first.click()
        expect(page.locator("#location-form")).to_be_visible()

    def shop(page: Page) -> None:
        page.goto(f"{FASHION_SHOP}/products")

    def shop_category(page: Page) -> None:
        page.locator("#shop-subcategories a", has_text="Robes").click()
        page.wait_for_url(re.compile(r"/c/[a-z-]+$"))

    def shop_search(page: Page) -> None:
        page.goto(f"{FASHION_SHOP}/search?q=lin")
        page.fill("#shop-max", "70")
        page.press("#shop-max", "Enter")  # "change" and "submit" at once: the second waits for the first
        page.check("#shop-in-stock")
        expect(page).to_have_url(re.compile(r"in_stock=1"))
        expect(page.locator("#shop-results")).not_to_have_attribute("data-count", "0")

    def shop_search_nothing(page: Page) -> None:
        page.goto(f"{FASHION_SHOP}/search?q=parapluie")
        expect(page.locator("#shop-empty")).to_be_visible()

    def empty_cart(page: Page) -> None:
        page.goto(f"{FASHION_SHOP}/cart/")
        expect(page.locator("#cart")).to_have_attribute("data-count", "0")

    def product_page(page: Page) -> None:
        page.goto(f"{FASHION_SHOP}/p/{VARIANT_PRODUCT}")
        page.locator("#option-1 label", has_text="Navy").click()
        expect(page.locator("#variant-name")).to_contain_text("Navy")

    def cart(page: Page) -> None:
        def add(quantity: int) -> None:
            clear_toasts(page)
            page.fill("#quantity", str(quantity))
            page.locator("#add-to-cart button[type=submit]").click()
            wait_for_toast(page)

        add(1)  # the Navy T-shirt chosen in the shot before
        page.goto(f"{FASHION_SHOP}/p/robe-portefeuille")
        add(2)
        page.goto(f"{FASHION_SHOP}/cart/")
        expect(page.locator("#cart")).to_have_attribute("data-count", "2")

    def product_phone(page: Page) -> None:
        page.set_viewport_size(PHONE)
        page.goto(f"{FASHION_SHOP}/p/{VARIANT_PRODUCT}")

    def cart_phone(page: Page) -> None:
        page.goto(f"{FASHION_SHOP}/cart/")

    for name, steps in [
        ("40-fashion-store-dashboard", store_dashboard),
        ("41-fashion-products", products),
        ("42-fashion-product-variants", product_editor),
        ("43-fashion-variant-matrix", variant_matrix),
        ("44-fashion-imports-empty", imports),
        ("45-fashion-import-errors", import_errors),
        ("46-fashion-imports", imports_list),
        ("47-fashion-stock", stock),
        ("48-fashion-stock-variant", stock_variant),
        ("49-fashion-movements", movements),
        ("50-fashion-locations", locations),
        ("51-fashion-location-editor", location_editor),
        ("52-shop-products", shop),
        ("53-shop-category", shop_category),
        ("54-shop-search-filters", shop_search),
        ("55-shop-search-nothing", shop_search_nothing),
        ("56-shop-cart-empty", empty_cart),
        ("57-shop-product-variants", product_page),
        ("58-shop-cart", cart),
        ("59-shop-product-phone", product_phone),
        ("60-shop-cart-phone", cart_phone),
    ]:
        shooter.shot(name, steps)
    shooter.page.set_viewport_size(DESKTOP)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="screenshots", help="directory of the PNGs (default: screenshots)")
    parser.add_argument("--fashion-only", action="store_true",
                        help="only the Mode Lux catalog, stock, shop and cart pages (40-…)")
    args = parser.parse_args(argv)
    if not chromium_available():
        print(f"Chromium is not installed at {CHROMIUM}.", file=sys.stderr)
        return 2
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="buttek-screenshots-") as directory, live_server(
            Path(directory), MEDIA_FOLDER=str(Path(directory) / "media"),
            MAIL_FOLDER=str(Path(directory) / "mail")) as server:
        quiet_console_logging()
        dress_fashion_catalog(server.app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=server.url, viewport=DESKTOP)
            context.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            shooter = Shooter(context.new_page(), output)
            if not args.fashion_only:
                walk(shooter, server.url)
            reset_modules(server.app)  # the walk above switched modules off and on
            walk_fashion(shooter, server.url)
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
