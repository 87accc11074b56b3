"""The storefront shop: all products, category pages and search, with filters, sorting, pagination,
the HTMX result block, stock badges, language fallback, the header navigation and query budgets."""
from __future__ import annotations

import re
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import or_, select
from sqlalchemy import text as sql

from blueprints.catalog.models import Category, Product, ProductImage, ProductTranslation, ProductVariant
from blueprints.catalog.pricing import format_money
from blueprints.catalog.services import shop, stock
from blueprints.cms.models import MediaItem, Page, PageTranslation
from tests.conftest import require
from tests.framework.test_i18n import unmarked_strings
from tests.tenancy.factories import make_domain
from webapp import modules
from webapp.extensions import db
from webapp.models import utcnow

_numbers = count(1)
SHOP_TEMPLATES = Path(__file__).parents[2] / "templates" / "catalog" / "shop"


# -- helpers (the product page tests use them too) -----------------------------------------------
def add_category(store, slug, names=None, parent=None, position=0) -> Category:
    category = Category(store_id=store.id, slug=slug, parent_id=parent.id if parent else None, position=position,
                        texts={language: {"name": name} for language, name in (names or {"fr": slug.title()}).items()})
    db.session.add(category)
    db.session.commit()
    return category


def add_image(store) -> MediaItem:
    number = next(_numbers)
    item = MediaItem(store_id=store.id, kind="image", content_type="image/png", stored_name=f"{number:032x}.png",
                     thumbnail_name=f"{number:032x}-thumb.webp", original_name="photo.png", size_bytes=1, width=1,
                     height=1)
    db.session.add(item)
    db.session.commit()
    return item


def add_product(store, title="Baguette", *, price=120, status="active", slug=None, variants=None, option_names=(),
                product_type="physical", categories=(), images=(), texts=None, description="", created_at=None,
                vat_class="super_reduced") -> Product:
    """A product written directly (the editor's rules are tested elsewhere); ``variants`` are column values."""
    number = next(_numbers)
    texts = texts or {"fr": (title, description)}
    product = Product(
        store_id=store.id, slug=slug or f"{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}-{number}",
        product_type=product_type, status=status, vat_class=vat_class, option_names=list(option_names),
        categories=list(categories), created_at=created_at or utcnow() + timedelta(seconds=number),
        translations=[ProductTranslation(language=language, title=title_, description=description_)
                      for language, (title_, description_) in texts.items()],
        variants=[ProductVariant(store_id=store.id, sku=f"SKU-{number}-{index}", position=index,
                                 **{"options": [], "price_cents": price, **values})
                  for index, values in enumerate(variants or [{}])],
        images=[ProductImage(media_id=item.id, position=index) for index, item in enumerate(images)])
    db.session.add(product)
    db.session.commit()
    return product


def html(response) -> str:
    return response.get_data(as_text=True)


def grid_slugs(response) -> list[str]:
    return re.findall(r'<article class="shop-card" data-product="([^"]+)"', html(response))


def data_count(response) -> int:
    return int(re.search(r'id="shop-results"[^>]*data-count="(\d+)"', html(response)).group(1))


def euros(cents: int, language: str = "fr") -> str:
    return format_money(cents, "EUR", language)


@pytest.fixture
def stock_source(monkeypatch, catalog_on):
    """A stock source of the inventory module (enabled) answering from ``levels``: {variant_id: units};
    a variant left out is not counted. Its SQL condition reads the same dict when the query is built."""
    levels: dict[int, int] = {}
    monkeypatch.setattr(stock, "_sources", [])

    def sellable(store, variant_id):
        return or_(variant_id.not_in(list(levels) or [-1]),
                   variant_id.in_([i for i, units in levels.items() if units > 0] or [-1]))

    stock.register_source("inventory", lambda store, ids: {i: levels[i] for i in ids if i in levels}, sellable)
    modules.enable(catalog_on, "inventory")
    db.session.commit()
    return levels


# -- what is listed --------------------------------------------------------------------------------
def test_the_shop_lists_only_the_stores_active_products(client, store, other_store):
    shown = add_product(store, "Baguette")
    add_product(store, "Brioche", status="draft")
    add_product(store, "Old bread", status="archived")
    add_product(other_store, "Shirt")
    response = client.get(f"/s/{store.store_code}/products")
    assert response.status_code == 200
    assert grid_slugs(response) == [shown.slug] and data_count(response) == 1
    assert "Brioche" not in html(response) and "Shirt" not in html(response)


def test_a_card_shows_the_first_image_the_title_and_a_from_price(client, store):
    first, second = add_image(store), add_image(store)
    add_product(store, "Pain de campagne", images=[first, second],
                variants=[{"options": ["400 g"], "price_cents": 290}, {"options": ["800 g"], "price_cents": 490}],
                option_names=["Poids"])
    page = html(client.get(f"/s/{store.store_code}/products?lang=en"))
    card = page.split('<article class="shop-card"')[1].split("</article>")[0]
    assert first.thumbnail_name in card and second.thumbnail_name not in card
    assert "Pain de campagne" in card and f"from {euros(290, 'en')}" in card and euros(490, "en") not in card


def test_a_sale_price_is_struck_through_only_while_the_sale_runs(client, store):
    now = utcnow()
    add_product(store, "Croissant", variants=[{"price_cents": 130, "sale_price_cents": 100,
                                               "sale_ends_at": now + timedelta(days=1)}])
    add_product(store, "Chausson", variants=[{"price_cents": 210, "sale_price_cents": 150,
                                              "sale_ends_at": now - timedelta(days=1)}])
    page = html(client.get(f"/s/{store.store_code}/products"))
    croissant = page.split('data-product="croissant')[1].split("</article>")[0]
    chausson = page.split('data-product="chausson')[1].split("</article>")[0]
    assert euros(100) in croissant and '<s class="shop-price-was">' in croissant and euros(130) in croissant
    assert euros(210) in chausson and euros(150) not in chausson and "<s " not in chausson


def test_out_of_stock_shows_when_every_counted_variant_is_sold_out(client, store, stock_source):
    sold_out = add_product(store, "Tarte", variants=[{"options": ["S"]}, {"options": ["L"]}], option_names=["Size"])
    one_left = add_product(store, "Flan", variants=[{"options": ["S"]}, {"options": ["L"]}], option_names=["Size"])
    ebook = add_product(store, "Recipe book", product_type="digital")
    stock_source.update({sold_out.variants[0].id: 0, sold_out.variants[1].id: 0, one_left.variants[0].id: 0,
                         one_left.variants[1].id: 1, ebook.variants[0].id: 0})
    page = html(client.get(f"/s/{store.store_code}/products?lang=en"))
    badge = "Out of stock"
    assert badge in page.split(f'data-product="{sold_out.slug}"')[1].split("</article>")[0]
    assert badge not in page.split(f'data-product="{one_left.slug}"')[1].split("</article>")[0]
    assert badge not in page.split(f'data-product="{ebook.slug}"')[1].split("</article>")[0]  # digital never runs out

    in_stock = client.get(f"/s/{store.store_code}/products?in_stock=1")
    assert set(grid_slugs(in_stock)) == {one_left.slug, ebook.slug} and data_count(in_stock) == 2


def test_without_a_stock_source_nothing_is_out_of_stock(client, store, monkeypatch):
    monkeypatch.setattr(stock, "_sources", [])
    product = add_product(store, "Tarte")
    page = client.get(f"/s/{store.store_code}/products?in_stock=1&lang=en")
    assert grid_slugs(page) == [product.slug] and "Out of stock" not in html(page)


def test_a_store_that_hides_sold_out_products_leaves_them_out(client, store, catalog_on, stock_source):
    modules.update_config(catalog_on, "catalog", {"show_out_of_stock": False})
    sold_out, available = add_product(store, "Tarte"), add_product(store, "Flan")
    stock_source.update({sold_out.variants[0].id: 0, available.variants[0].id: 3})
    assert grid_slugs(client.get(f"/s/{store.store_code}/products")) == [available.slug]


# -- categories --------------------------------------------------------------------------------
def test_a_category_page_shows_its_products_and_its_subcategories_with_a_breadcrumb(client, store):
    bread = add_category(store, "pains", {"fr": "Pains", "en": "Bread"})
    rye = add_category(store, "seigle", {"fr": "Seigle", "en": "Rye"}, parent=bread)
    cakes = add_category(store, "gateaux", {"fr": "Gâteaux"})
    baguette = add_product(store, "Baguette", categories=[bread])
    bauerebrout = add_product(store, "Bauerebrout", categories=[rye])
    add_product(store, "Tarte", categories=[cakes])

    response = client.get(f"/s/{store.store_code}/c/pains")
    assert response.status_code == 200
    assert set(grid_slugs(response)) == {baguette.slug, bauerebrout.slug}
    page = html(response)
    assert '<h1 class="shop-title">Pains</h1>' in page
    assert 'href="/s/epicerie/c/seigle"' in page.split('id="shop-subcategories"')[1].split("</nav>")[0]

    rye_page = html(client.get(f"/s/{store.store_code}/c/seigle?lang=en"))
    crumbs = rye_page.split("<ol class=\"breadcrumb")[1].split("</ol>")[0]
    assert 'href="/s/epicerie/products">Shop</a>' in crumbs and 'href="/s/epicerie/c/pains">Bread</a>' in crumbs
    assert 'aria-current="page">Rye</li>' in crumbs


def test_an_unknown_or_foreign_category_is_a_404(client, store, other_store):
    add_category(other_store, "chemises")
    assert client.get(f"/s/{store.store_code}/c/chemises").status_code == 404
    assert client.get(f"/s/{store.store_code}/c/nothing").status_code == 404


# -- language ----------------------------------------------------------------------------------
def test_titles_follow_the_shoppers_language_and_fall_back_to_the_store_default(client, store):
    add_product(store, "Pain", texts={"fr": ("Pain aux noix", ""), "en": ("Walnut bread", "")})
    add_product(store, "Brioche", texts={"fr": ("Brioche tressée", "")})
    add_category(store, "pains", {"fr": "Pains", "en": "Bread"})
    english = html(client.get(f"/s/{store.store_code}/products?lang=en"))
    assert "Walnut bread" in english and "Pain aux noix" not in english
    assert "Brioche tressée" in english  # no English title: the French one
    assert ">Bread</a>" in english and "All products" in english
    assert "Pain aux noix" in html(client.get(f"/s/{store.store_code}/products?lang=fr"))


# -- filters, sorting, pagination --------------------------------------------------------------
def test_price_filters_accept_a_decimal_comma_and_swap_a_reversed_range(client, store):
    cheap, middle, dear = (add_product(store, "Cheap", price=120), add_product(store, "Middle", price=1250),
                           add_product(store, "Dear", price=4000))
    assert grid_slugs(client.get(f"/s/{store.store_code}/products?min=10,00&max=12,50")) == [middle.slug]
    assert set(grid_slugs(client.get(f"/s/{store.store_code}/products?min=40&max=1"))) == {cheap.slug, middle.slug,
                                                                                        dear.slug}
    assert set(grid_slugs(client.get(f"/s/{store.store_code}/products?max=12.50"))) == {cheap.slug, middle.slug}


def test_a_price_filter_counts_sale_prices(client, store):
    on_sale = add_product(store, "Sale", variants=[{"price_cents": 3000, "sale_price_cents": 900}])
    assert grid_slugs(client.get(f"/s/{store.store_code}/products?max=10")) == [on_sale.slug]


@pytest.mark.parametrize("query", ["min=abc", "max=-5", "min=1e999", "max=NaN", "page=abc", "page=-1",
                                   "page=99999999999", "sort=nonsense", "in_stock=maybe", "min=" + "9" * 40])
def test_bad_filter_values_are_left_out_never_a_server_error(client, store, query):
    product = add_product(store, "Baguette")
    response = client.get(f"/s/{store.store_code}/products?{query}")
    assert response.status_code == 200 and grid_slugs(response) == [product.slug]


def test_a_nul_character_is_refused_with_a_400(client, store):
    assert client.get(f"/s/{store.store_code}/products?min=%00").status_code == 400


def test_a_price_that_is_not_an_amount_is_named_in_a_message(client, store):
    add_product(store, "Baguette")
    page = html(client.get(f"/s/{store.store_code}/products?min=abc&lang=en"))
    assert "The minimum price “abc” is not an amount" in page


@pytest.mark.parametrize("sort, expected", [
    ("price_asc", ["b", "c", "a"]), ("price_desc", ["a", "c", "b"]), ("title", ["a", "b", "c"]),
    ("newest", ["c", "b", "a"]), ("", ["c", "b", "a"]),
])
def test_sorting(client, store, sort, expected):
    products = {"a": add_product(store, "Apple tart", price=900), "b": add_product(store, "Baguette", price=120),
                "c": add_product(store, "Croissant", price=130,
                                 variants=[{"price_cents": 500, "sale_price_cents": 130}])}
    slugs = grid_slugs(client.get(f"/s/{store.store_code}/products?sort={sort}"))
    assert slugs == [products[key].slug for key in expected]


def test_sorting_by_title_uses_the_shoppers_language(client, store):
    zebra = add_product(store, "Z", texts={"fr": ("Zèbre", ""), "en": ("Apple", "")})
    apple = add_product(store, "A", texts={"fr": ("Abricot", ""), "en": ("Zucchini", "")})
    assert grid_slugs(client.get(f"/s/{store.store_code}/products?sort=title&lang=fr")) == [apple.slug, zebra.slug]
    assert grid_slugs(client.get(f"/s/{store.store_code}/products?sort=title&lang=en")) == [zebra.slug, apple.slug]


def test_pagination_follows_the_catalog_setting_and_keeps_the_filters(client, store, catalog_on):
    modules.update_config(catalog_on, "catalog", {"products_per_page": 6})
    for number in range(8):
        add_product(store, f"Bread {number}", price=100 + number)
    first = client.get(f"/s/{store.store_code}/products?sort=price_asc&max=50")
    assert len(grid_slugs(first)) == 6 and data_count(first) == 8
    assert 'href="/s/epicerie/products?max=50&amp;sort=price_asc&amp;page=2"' in html(first)
    second = client.get(f"/s/{store.store_code}/products?sort=price_asc&max=50&page=2")
    assert len(grid_slugs(second)) == 2
    beyond = client.get(f"/s/{store.store_code}/products?sort=price_asc&max=50&page=40")
    assert grid_slugs(beyond) == grid_slugs(second)  # past the end: the last page


# -- the result block through htmx -------------------------------------------------------------
def test_filters_answer_htmx_with_the_result_block_only(store, htmx_client):
    product = add_product(store, "Baguette")
    response = htmx_client.get(f"/s/{store.store_code}/products?sort=title")
    body = html(response)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert body.lstrip().startswith('<section id="shop-results"') and "<html" not in body
    assert f'data-product="{product.slug}"' in body and 'data-count="1"' in body
    restored = htmx_client.get(f"/s/{store.store_code}/products?sort=title", history_restore=True)
    assert "<html" in html(restored)  # Back after a reload needs the whole page


def test_the_filter_form_targets_the_result_list_and_pushes_its_url(client, store):
    page = html(client.get(f"/s/{store.store_code}/products"))
    form = page.split('<form id="shop-filters"')[1].split(">")[0]
    assert 'method="get"' in form and 'hx-get="/s/epicerie/products"' in form
    assert 'hx-target="#shop-results"' in form and 'hx-push-url="true"' in form


def test_an_empty_result_says_so(client, store):
    add_product(store, "Baguette", price=120)
    response = client.get(f"/s/{store.store_code}/products?min=500&lang=en")
    assert data_count(response) == 0 and "No products match these filters." in html(response)
    empty_category = add_category(store, "vide")
    assert "There are no products here yet." in html(client.get(f"/s/{store.store_code}/c/{empty_category.slug}"
                                                                "?lang=en"))


# -- search ------------------------------------------------------------------------------------
def test_search_finds_products_by_title_words_in_any_order(client, store, other_store):
    walnut = add_product(store, "Pain aux noix")
    add_product(store, "Baguette")
    add_product(store, "Pain aux noix", status="draft")
    add_product(other_store, "Pain aux noix")
    response = client.get(f"/s/{store.store_code}/search?q=noix+pain")
    assert grid_slugs(response) == [walnut.slug] and data_count(response) == 1


def test_search_says_when_nothing_matches(client, store):
    add_product(store, "Baguette")
    for query in ("zzzz", "%25", "!!!", "_"):
        response = client.get(f"/s/{store.store_code}/search?q={query}&lang=en")
        assert response.status_code == 200 and data_count(response) == 0, query
        assert "No products match your search." in html(response)


def test_search_filters_by_category_with_its_subcategories(client, store):
    bread = add_category(store, "pains")
    rye = add_category(store, "seigle", parent=bread)
    cakes = add_category(store, "gateaux")
    in_rye = add_product(store, "Pain de seigle", categories=[rye])
    add_product(store, "Pain d'épices", categories=[cakes])
    assert grid_slugs(client.get(f"/s/{store.store_code}/search?q=pain&category=pains")) == [in_rye.slug]
    ignored = client.get(f"/s/{store.store_code}/search?q=pain&category=nope&lang=en")
    assert data_count(ignored) == 2 and "That category does not exist" in html(ignored)


def test_the_search_page_is_not_indexed_and_offers_relevance_first(client, store):
    add_product(store, "Baguette")
    page = html(client.get(f"/s/{store.store_code}/search?q=baguette&lang=en"))
    assert '<meta name="robots" content="noindex, follow">' in page
    sort = page.split('id="shop-sort"')[1].split("</select>")[0]
    assert re.search(r'value="relevance" selected', sort)
    # Before any word is typed too, so that the first search the form sends is by relevance.
    empty = html(client.get(f"/s/{store.store_code}/search"))
    assert re.search(r'value="relevance" selected', empty.split('id="shop-sort"')[1].split("</select>")[0])
    assert "relevance" not in html(client.get(f"/s/{store.store_code}/products")).split('id="shop-sort"')[1].split(
        "</select>")[0]


def test_the_portable_search_finds_skus_and_titles_on_either_database(client, store, monkeypatch):
    """SQLite's search (LIKE over titles and SKUs) is plain SQL: forced on PostgreSQL too, it must agree."""
    monkeypatch.setattr(shop, "_is_postgresql", lambda: False)
    product = add_product(store, "Baguette")
    assert grid_slugs(client.get(f"/s/{store.store_code}/search?q=bague")) == [product.slug]
    assert grid_slugs(client.get(f"/s/{store.store_code}/search?q={product.variants[0].sku.lower()}")) == [
        product.slug]


@pytest.fixture
def postgresql():
    require(db.session.get_bind().dialect.name == "postgresql", "PostgreSQL (TEST_DATABASE_URL), for full-text search")


@pytest.mark.postgres
def test_full_text_search_ranks_title_matches_first_and_matches_word_beginnings(client, store, postgresql):
    in_text = add_product(store, "Pain de mie", description="Parfait avec un croissant le matin.")
    in_title = add_product(store, "Croissant aux amandes", description="Un croissant, des amandes, du croissant.")
    add_product(store, "Baguette")
    assert grid_slugs(client.get(f"/s/{store.store_code}/search?q=croiss")) == [in_title.slug, in_text.slug]
    assert grid_slugs(client.get(f"/s/{store.store_code}/search?q=amandes+croissant")) == [in_title.slug]
    assert grid_slugs(client.get(f"/s/{store.store_code}/search?q=croissant&sort=newest")) == [in_title.slug,
                                                                                           in_text.slug]


@pytest.mark.postgres
def test_full_text_search_uses_the_gin_index(store, postgresql):
    add_product(store, "Baguette")
    db.session.execute(sql("SET LOCAL enable_seqscan = off"))  # on a tiny table the planner would scan it
    scope = shop._Scope(store, shop.Filters(q="baguette"), None, utcnow())
    query = scope.apply(select(Product.id))
    compiled = query.compile(dialect=db.session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.session.execute(sql(f"EXPLAIN {compiled}")).scalars())
    assert "ix_catalog_product_translations_search" in plan, plan


# -- navigation, the module switch, the store's own domain -------------------------------------------
def test_the_header_links_the_shop_and_the_top_categories(client, store):
    bread = add_category(store, "pains", {"fr": "Pains"})
    add_category(store, "seigle", {"fr": "Seigle"}, parent=bread)
    header = html(client.get(f"/s/{store.store_code}/")).split('<header class="sf-header">')[1].split("</header>")[0]
    assert 'href="/s/epicerie/products"' in header and 'href="/s/epicerie/c/pains"' in header
    assert "/c/seigle" not in header  # only the top level


def test_a_disabled_catalog_hides_the_shop_but_the_content_pages_stay(client, store, catalog_on):
    product = add_product(store, "Baguette", categories=[add_category(store, "pains")])
    page = Page(platform_id=store.platform_id, store_id=store.id, scope=Page.STORE, slug="about", published=True,
                placement="header", translations=[PageTranslation(language="fr", title="À propos", body="Bonjour")])
    db.session.add(page)
    db.session.commit()
    modules.disable(catalog_on, "catalog")
    for path in ("/products", "/c/pains", "/search?q=baguette", f"/p/{product.slug}"):
        assert client.get(f"/s/{store.store_code}{path}").status_code == 404, path
    home = client.get(f"/s/{store.store_code}/")
    assert home.status_code == 200 and "/products" not in html(home) and "/c/pains" not in html(home)
    about = client.get(f"/s/{store.store_code}/pages/about")
    assert about.status_code == 200 and "Bonjour" in html(about)


def test_the_shop_on_the_stores_own_domain(client, store):
    product = add_product(store, "Baguette")
    make_domain(store, "shop.epicerie.lu")
    response = client.get("/products", base_url="http://shop.epicerie.lu")
    assert response.status_code == 200 and grid_slugs(response) == [product.slug]
    assert f'href="/p/{product.slug}"' in html(response) and "/s/epicerie" not in html(response)


# -- query budgets ---------------------------------------------------------------------------------
def _fill(store, number: int, categories) -> None:
    for index in range(number):
        add_product(store, f"Pain {index}", images=[add_image(store)], categories=categories,
                    variants=[{"options": ["S"], "price_cents": 100 + index},
                              {"options": ["L"], "price_cents": 200 + index, "sale_price_cents": 150}],
                    option_names=["Size"], description="Du bon pain")


@pytest.mark.parametrize("path", ["/products", "/c/pains", "/search?q=pain", "/products?sort=price_asc&min=1",
                                  "/search?q=pain&sort=title&category=pains&in_stock=1", "/products?page=2"])
def test_list_pages_cost_the_same_queries_for_1_and_30_products(client, store, catalog_on, count_queries,
                                                               stock_source, path):
    bread = add_category(store, "pains")
    add_category(store, "seigle", parent=bread)
    url = f"/s/{store.store_code}{path}"
    _fill(store, 1, [bread])
    client.get(url)  # warm the per-process caches, as in a running server
    with count_queries() as few:
        response = client.get(url)
    assert response.status_code == 200 and data_count(response) == 1
    _fill(store, 29, [bread])
    modules.update_config(catalog_on, "catalog", {"products_per_page": 30 if "page=2" not in path else 6})
    client.get(url)
    with count_queries() as many:
        response = client.get(url)
    assert response.status_code == 200 and data_count(response) == 30 and len(grid_slugs(response)) in (6, 30)
    assert few.count == many.count, many.statements
    assert many.count <= 14, many.statements


# -- templates -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("template", sorted(path.name for path in SHOP_TEMPLATES.glob("*.html")))
def test_every_shopper_visible_string_is_marked_for_translation(template):
    assert unmarked_strings((SHOP_TEMPLATES / template).read_text()) == []


# -- sitemap -----------------------------------------------------------------------------------
def test_the_sitemap_lists_the_shop_its_categories_and_active_products_in_every_language(client, store, catalog_on):
    bread = add_category(store, "pains")
    baguette = add_product(store, "Baguette", categories=[bread])
    draft = add_product(store, "Secret", status="draft")
    xml = client.get(f"/s/{store.store_code}/sitemap.xml").get_data(as_text=True)
    for path in ("/products", "/c/pains", f"/p/{baguette.slug}"):
        assert xml.count(f"<loc>http://localhost/s/{store.store_code}{path}?lang=") == len(store.languages)
    assert f"/p/{draft.slug}" not in xml
    home = f"<loc>http://localhost/s/{store.store_code}/?lang="
    assert home in xml  # the cms's own entries stay first

    modules.disable(catalog_on, "catalog")
    db.session.commit()
    xml = client.get(f"/s/{store.store_code}/sitemap.xml").get_data(as_text=True)
    assert "/products" not in xml and f"/p/{baguette.slug}" not in xml and home in xml
