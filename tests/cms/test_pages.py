"""Content pages: the store's own, its customised defaults and the platform's defaults; revisions."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.cms.models import Page, PageRevision
from blueprints.cms.services import pages
from webapp.extensions import db
from webapp.models import AuditLog


def page_by(store, slug):
    return db.session.scalar(select(Page).where(Page.store_id == store.id, Page.slug == slug))


def default(platform, slug):
    return db.session.scalar(select(Page).where(Page.platform_id == platform.id, Page.scope == "default",
                                                Page.slug == slug))


def form(slug="opening-hours", **values):
    data = {"slug": slug, "placement": "footer", "position": "3", "published": "y",
            "title_fr": "Heures d'ouverture", "body_fr": "Du **lundi** au samedi.",
            "title_de": "Öffnungszeiten", "body_de": "Montag bis Samstag."}
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_a_new_platform_offers_the_standard_pages_to_every_store(platform, store):
    slugs = {row.page.slug: row.source for row in pages.store_pages(store)}
    assert slugs == {"about": "default", "contact": "default", "terms": "default", "privacy": "default",
                     "shipping-returns": "default"}
    assert pages.ensure_platform_defaults(platform) == 0  # once only


def test_creating_a_platform_adds_its_default_pages(app, as_super_admin, client):
    response = client.post("/admin/platforms", data={"code": "market", "name": "Market", "hosts": "market.lu"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    count = db.session.scalar(select(func.count()).select_from(Page).where(Page.scope == "default"))
    assert count == 5


def test_an_owner_creates_a_page_in_two_languages_and_shoppers_read_it(client, store, owner, sign_in):
    sign_in(owner)
    response = client.post("/store/centre/cms/pages/new", data=form())
    assert response.status_code == 303
    page = page_by(store, "opening-hours")
    assert {t.language for t in page.translations} == {"fr", "de"}
    french = client.get("/s/centre/pages/opening-hours?lang=fr").get_data(as_text=True)
    assert "Heures d&#39;ouverture" in french and "<strong>lundi</strong>" in french and 'lang="fr"' in french
    german = client.get("/s/centre/pages/opening-hours?lang=de").get_data(as_text=True)
    assert "Öffnungszeiten" in german and '<html lang="de">' in german
    assert "Öffnungszeiten" in client.get("/s/centre/").get_data(as_text=True)  # footer link, German kept
    assert db.session.scalar(select(func.count()).select_from(PageRevision)) == 1
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.store_id == store.id,
                                                           AuditLog.action == "cms.page_created"))


def test_editing_a_default_creates_the_stores_override_and_revert_brings_it_back(client, platform, store,
                                                                                   other_store, owner, sign_in):
    sign_in(owner)
    about = default(platform, "about")
    response = client.post(f"/store/centre/cms/pages/{about.id}", data=form(
        slug="hacked", placement="header", title_fr="Notre histoire", body_fr="Depuis 1920.",
        title_de="Unsere Geschichte", body_de="Seit 1920."))
    assert response.status_code == 303
    override = page_by(store, "about")  # the address of a default is kept
    assert override is not None and override.translation("fr").title == "Notre histoire"
    assert "Depuis 1920." in client.get("/s/centre/pages/about?lang=fr").get_data(as_text=True)
    other = client.get("/s/mode-lux/pages/about?lang=fr").get_data(as_text=True)
    assert "Depuis 1920." not in other and "À propos" in other  # other stores keep the default

    reverted = client.post(f"/store/centre/cms/pages/{override.id}/revert")
    assert reverted.status_code == 303
    assert page_by(store, "about") is None and default(platform, "about") is not None
    assert "Depuis 1920." not in client.get("/s/centre/pages/about?lang=fr").get_data(as_text=True)


def test_unpublishing_hides_a_page_and_a_scheduled_page_waits(client, store, owner, sign_in):
    sign_in(owner)
    client.post("/store/centre/cms/pages/new", data=form())
    page = page_by(store, "opening-hours")
    client.post(f"/store/centre/cms/pages/{page.id}/unpublish")
    assert client.get("/s/centre/pages/opening-hours").status_code == 404
    client.post(f"/store/centre/cms/pages/{page.id}", data=form(publish_at="2999-01-01T08:00"))
    assert client.get("/s/centre/pages/opening-hours").status_code == 404
    client.post(f"/store/centre/cms/pages/{page.id}/publish")
    assert client.get("/s/centre/pages/opening-hours").status_code == 200


def test_a_revision_is_restored(client, store, owner, sign_in):
    sign_in(owner)
    client.post("/store/centre/cms/pages/new", data=form())
    page = page_by(store, "opening-hours")
    client.post(f"/store/centre/cms/pages/{page.id}", data=form(title_fr="Horaires d'été"))
    first = db.session.scalar(select(PageRevision).where(PageRevision.page_id == page.id, PageRevision.number == 1))
    assert client.post(f"/store/centre/cms/pages/{page.id}/revisions/{first.id}/restore").status_code == 303
    db.session.expire_all()
    assert page_by(store, "opening-hours").translation("fr").title == "Heures d'ouverture"
    assert db.session.scalar(select(func.count()).select_from(PageRevision)
                             .where(PageRevision.page_id == page.id)) == 3


@pytest.mark.parametrize(("values", "message"), [
    ({"slug": "Not A Slug"}, "Use lower-case letters"),
    ({"title_fr": "", "body_fr": ""}, "Write at least the Français version"),
    ({"title_de": ""}, "Give the Deutsch version a title"),
    ({"body_fr": "x" * 100_001}, "longer than 100 KB"),
    ({"placement": "sidebar"}, "Choose where the page is linked"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(htmx_client, client, store, owner, sign_in,
                                                                      values, message):
    sign_in(owner)
    response = htmx_client.post("/store/centre/cms/pages/new", data=form(**values))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Page).where(Page.store_id == store.id)) == 0


def test_a_duplicate_address_is_refused(client, store, owner, sign_in):
    sign_in(owner)
    client.post("/store/centre/cms/pages/new", data=form())
    again = client.post("/store/centre/cms/pages/new", data=form())
    assert again.status_code == 422 and "already uses the address" in again.get_data(as_text=True)


def test_unsafe_markdown_and_html_are_rendered_harmless(client, store, owner, sign_in):
    sign_in(owner)
    client.post("/store/centre/cms/pages/new", data=form(
        body_fr="<script>alert(1)</script> [clic](javascript:alert(1)) <img src=x onerror=alert(1)> "
                "![ok](https://example.com/a.png)"))
    html = client.get("/s/centre/pages/opening-hours?lang=fr").get_data(as_text=True)
    assert "<script>alert" not in html and 'href="javascript:' not in html and "onerror=alert" not in html.replace(
        "&lt;img src=x onerror=alert(1)&gt;", "")
    assert '<img src="https://example.com/a.png" alt="ok">' in html


def test_the_preview_renders_the_typed_text(htmx_client, store, owner, sign_in):
    sign_in(owner)
    response = htmx_client.post("/store/centre/cms/pages/preview",
                                data={"preview_language": "de", "title_de": "Titel", "body_de": "**fett**"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>fett</strong>" in html and 'lang="de"' in html


def test_staff_may_read_but_not_save_pages(client, platform, store, staff_user, sign_in):
    sign_in(staff_user)
    about = default(platform, "about")
    assert client.get(f"/store/centre/cms/pages/{about.id}").status_code == 200
    assert client.post(f"/store/centre/cms/pages/{about.id}", data=form(slug="about")).status_code == 403
    assert client.get("/store/centre/cms/pages/new").status_code == 403
    assert page_by(store, "about") is None


def test_another_stores_page_is_a_404(client, store, other_store, owner, sign_in):
    other_page = pages.create_store_page(other_store, form("secret") | {
        "translations": {"fr": {"title": "Secret", "body": "x"}}}, owner)
    sign_in(owner)
    assert client.get(f"/store/centre/cms/pages/{other_page.id}").status_code == 404
    assert client.post(f"/store/centre/cms/pages/{other_page.id}/unpublish").status_code == 404
    assert client.get("/s/centre/pages/secret").status_code == 404


def test_the_page_list_keeps_its_query_budget(client, store, owner, sign_in, count_queries):
    sign_in(owner)
    client.get("/store/centre/cms/pages/")
    with count_queries() as few:
        assert client.get("/store/centre/cms/pages/").status_code == 200
    for number in range(60):
        pages.create_store_page(store, {"slug": f"page-{number}", "translations": {
            "fr": {"title": f"Page {number}", "body": "x"}}}, owner)
    with count_queries() as many:
        response = client.get("/store/centre/cms/pages/")
    assert 'data-count="65"' in response.get_data(as_text=True)
    assert few.count == many.count, (few.statements, many.statements)


# -- the platform's pages ------------------------------------------------------------------------
def test_a_platform_admin_edits_a_default_and_every_store_shows_it(client, platform, store, other_store,
                                                                   as_platform_admin):
    about = default(platform, "about")
    assert f"/admin/cms/pages/{about.id}" in client.get("/admin/cms/pages").get_data(as_text=True)
    response = client.post(f"/admin/cms/pages/{about.id}", data=form(
        slug="about", placement="header", title_fr="Qui sommes-nous", body_fr="Texte commun.", title_de="",
        body_de=""))
    assert response.status_code == 303
    assert "Texte commun." in client.get("/s/centre/pages/about?lang=fr").get_data(as_text=True)
    assert "Texte commun." in client.get("/s/mode-lux/pages/about?lang=fr").get_data(as_text=True)


def test_the_platform_site_shows_its_own_published_pages(client, platform, as_platform_admin):
    created = client.post("/admin/cms/pages/new?scope=platform", data=form(
        "sell-with-us", title_fr="Vendez avec nous", body_fr="Ouvrez votre boutique."))
    assert created.status_code == 303
    page = client.get("/pages/sell-with-us?lang=fr")
    assert page.status_code == 200 and "Vendez avec nous" in page.get_data(as_text=True)
    assert client.get("/s/centre/pages/sell-with-us").status_code == 404  # not a store page


def test_a_platform_admin_of_another_platform_cannot_reach_its_pages(client, platform, defaults, create_platform,
                                                                     create_user):
    from blueprints.tenancy.models import PlatformAssignment
    from tests.conftest import Auth

    other = create_platform("far", hosts=["far.example.com"])
    pages.ensure_platform_defaults(other)
    admin = create_user("far-admin@example.com")
    db.session.add(PlatformAssignment(user_id=admin.id, platform_id=other.id))
    db.session.commit()
    Auth(client).login(admin)
    about = default(platform, "about")
    assert client.get(f"/admin/cms/pages/{about.id}?platform=far").status_code == 404
    assert client.get(f"/admin/cms/pages/{about.id}?platform=main").status_code == 404
    assert client.post(f"/admin/cms/pages/{about.id}/unpublish?platform=main").status_code == 404
    assert default(platform, "about").published
