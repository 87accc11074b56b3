"""The storefront shell: languages, the store's own domain, navigation, robots.txt, sitemap, 404s, budgets."""
from __future__ import annotations

import pytest

from blueprints.cms.services import pages
from tests.tenancy.factories import make_domain
from webapp.extensions import db


def text(response) -> str:
    return response.get_data(as_text=True)


# -- language ----------------------------------------------------------------------------------
def test_the_store_default_language_comes_first(client, store):
    html = text(client.get("/s/centre/", headers={"Accept-Language": "de"}))
    assert '<html lang="fr">' in html  # the store's default wins over the browser (as the issue orders it)


def test_the_browser_language_counts_when_the_store_default_is_not_offered(client, store):
    store.default_language = "lb"  # not among its languages: treated as unset
    db.session.commit()
    assert '<html lang="de">' in text(client.get("/s/centre/", headers={"Accept-Language": "de-LU,de;q=0.9"}))
    assert '<html lang="fr">' in text(client.get("/s/centre/", headers={"Accept-Language": "pt"}))  # the fallback


def test_switching_language_keeps_the_page_and_is_remembered(client, store):
    response = client.get("/s/centre/pages/about?lang=de")
    assert '<html lang="de">' in text(response) and "Über uns" in text(response)
    assert "buttek_lang=de" in response.headers["Set-Cookie"]
    assert '<html lang="de">' in text(client.get("/s/centre/pages/contact"))  # the cookie, on the next page


def test_only_the_stores_languages_are_offered(client, store):
    html = text(client.get("/s/centre/?lang=lb"))  # Luxembourgish is not enabled in this store
    assert '<html lang="fr">' in html
    assert 'data-language="lb"' not in html and 'hreflang="lb"' not in html
    assert all(part in html for part in ('hreflang="fr"', 'hreflang="de"', 'hreflang="en"', 'hreflang="x-default"'))


def test_the_switcher_links_to_the_same_page_in_each_language(client, store):
    html = text(client.get("/s/centre/pages/about"))
    assert 'href="/s/centre/pages/about?lang=de"' in html and 'href="/s/centre/pages/about?lang=en"' in html


def test_admin_pages_speak_the_users_language_and_default_to_english(client, store, owner, sign_in):
    sign_in(owner)
    assert '<html lang="en">' in text(client.get("/store/centre/cms/pages/"))
    owner.language = "de"
    db.session.commit()
    assert '<html lang="de">' in text(client.get("/store/centre/cms/pages/"))


# -- navigation and pages ------------------------------------------------------------------------
def test_header_and_footer_links_come_from_the_page_placements(client, store):
    html = text(client.get("/s/centre/?lang=fr"))
    header = html.split('<header class="sf-header">')[1].split("</header>")[0]
    footer = html.split('<footer class="sf-footer">')[1].split("</footer>")[0]
    assert "À propos" in header and "Contact" in header
    assert "Conditions générales" in footer and "Livraison et retours" in footer


def test_an_unknown_page_is_a_404_in_the_stores_theme(client, store):
    response = client.get("/s/centre/pages/nothing-here?lang=de")
    assert response.status_code == 404
    html = text(response)
    assert 'id="storefront-error"' in html and "Boulangerie Centre" in html and 'class="sf-header"' in html


def test_an_unknown_store_code_is_a_plain_404(client, store):
    response = client.get("/s/nope/")
    assert response.status_code == 404 and 'class="sf-header"' not in text(response)


def test_a_suspended_store_shows_nothing_to_shoppers(client, store):
    store.status = "suspended"
    db.session.commit()
    assert client.get("/s/centre/").status_code == 404
    assert client.get("/s/centre/pages/about").status_code == 404


def test_robots_and_sitemap_list_the_stores_pages_in_every_language(client, store):
    robots = text(client.get("/s/centre/robots.txt"))
    assert "Sitemap: http://localhost/s/centre/sitemap.xml" in robots and "Disallow: /account/" not in robots.split(
        "User-agent")[0]
    sitemap = client.get("/s/centre/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    xml = text(sitemap)
    assert "<loc>http://localhost/s/centre/pages/about?lang=de</loc>" in xml
    assert 'hreflang="en" href="http://localhost/s/centre/pages/terms?lang=en"' in xml


# -- the store's own domain ----------------------------------------------------------------------
def test_a_verified_domain_serves_the_storefront_at_its_root(client, store):
    make_domain(store, "shop.boulangerie.lu")
    home = client.get("/", base_url="http://shop.boulangerie.lu")
    html = text(home)
    assert home.status_code == 200 and "Boulangerie Centre" in html
    assert 'href="/pages/about"' in html and "/s/centre" not in html  # links without the store prefix
    page = client.get("/pages/about?lang=de", base_url="http://shop.boulangerie.lu")
    assert page.status_code == 200 and "Über uns" in text(page)
    assert "Sitemap: http://shop.boulangerie.lu/sitemap.xml" in text(
        client.get("/robots.txt", base_url="http://shop.boulangerie.lu"))


def test_a_store_domain_serves_no_other_store_and_no_admin(client, store, other_store):
    make_domain(store, "shop.boulangerie.lu")
    for path in ("/s/mode-lux/", "/admin/", "/store/centre/", "/store/login"):
        assert client.get(path, base_url="http://shop.boulangerie.lu").status_code == 404, path


def test_an_unverified_domain_serves_nothing(client, store):
    make_domain(store, "shop.boulangerie.lu", verified=False)
    assert client.get("/", base_url="http://shop.boulangerie.lu").status_code == 404


# -- query budgets -----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/s/centre/", "/s/centre/pages/about", "/s/centre/account/login",
                                  "/s/centre/account/"])
def test_storefront_pages_keep_their_query_budget_for_1_and_100_pages(client, store, owner, count_queries, path):
    from tests.customers.conftest import make_customer, shopper_login

    make_customer(store.merchant, "lea@example.lu", store=store)
    if path.endswith("/account/"):  # the signed-in shopper's own page
        shopper_login(client, store, "lea@example.lu")
    client.get(path)  # warm the per-process caches, as in a running server
    with count_queries() as few:
        assert client.get(path).status_code == 200
    for number in range(100):
        pages.create_store_page(store, {"slug": f"page-{number}", "placement": "footer", "published": True,
                                        "translations": {"fr": {"title": f"Page {number}", "body": "x"}}}, owner)
    with count_queries() as many:
        response = client.get(path)
    assert response.status_code == 200 and "Page 99" in text(response)
    assert few.count == many.count <= 7, many.statements


def test_a_sections_relative_link_leads_into_the_store_wherever_it_is_served(client, store):
    from blueprints.cms.models import HomeSection

    db.session.add(HomeSection(store_id=store.id, kind="cta", button_url="/pages/about",
                               content={"fr": {"title": "Venez", "button_label": "Notre histoire"}}))
    db.session.commit()
    assert 'href="/s/centre/pages/about"' in text(client.get("/s/centre/"))
    make_domain(store, "shop.boulangerie.lu")
    assert 'href="/pages/about"' in text(client.get("/", base_url="http://shop.boulangerie.lu"))
