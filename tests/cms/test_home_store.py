"""The store admin's home page editor (/store/<code>/cms/home/): add, edit, reorder, delete sections,
what the storefront then shows, and what is refused."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from blueprints.cms.models import HomeSection
from blueprints.cms.services import home, media
from tests.cms.home_fixtures import add_section, build_world, form, make_media, sign_in
from webapp.extensions import db
from webapp.models import AuditLog

BASE = "/store/centre/cms/home"


@pytest.fixture
def world(platform):
    return build_world(platform)


@pytest.fixture
def as_owner(client, world):
    sign_in(client, world.owner)
    return world


def text(response) -> str:
    return response.get_data(as_text=True)


def sections_of(store) -> list[HomeSection]:
    db.session.expire_all()
    return home.home_sections(store)


def actions(store) -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).where(AuditLog.store_id == store.id,
                                                                 AuditLog.action.like("cms.home_%"))
                                   .order_by(AuditLog.id)))


# -- the page ------------------------------------------------------------------------------------
def test_the_page_lists_the_sections_in_order_with_a_storefront_link(client, as_owner):
    add_section(as_owner.store, "hero", fr={"title": "Bienvenue"}, de={"title": "Willkommen"})
    add_section(as_owner.store, "text", fr={"title": "Notre pain"})
    response = client.get(f"{BASE}/")
    html = text(response)
    assert response.status_code == 200 and 'id="home-section-list" data-count="2"' in html
    assert html.index("Bienvenue") < html.index("Notre pain") and "Willkommen" not in html  # the default language
    assert 'href="/s/centre/"' in html and 'id="view-storefront"' in html
    assert all(f'data-kind="{kind}"' in html for kind in home.KINDS)  # the kind chooser


def test_the_editor_is_a_whole_page_or_a_fragment(client, htmx_client, as_owner):
    section = add_section(as_owner.store, "cta", fr={"title": "Commandez", "button_label": "Go"})
    page = text(client.get(f"{BASE}/{section.id}"))
    fragment = text(htmx_client.get(f"{BASE}/{section.id}"))
    assert "<html" in page and 'id="home-section-list"' in page and 'value="Commandez"' in page
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="section-editor">')
    assert 'value="Commandez"' in fragment and 'name="button_url"' in fragment
    for language in ("fr", "en", "de"):
        assert f'name="title_{language}"' in fragment and f'name="button_label_{language}"' in fragment


def test_a_new_section_form_offers_the_fields_of_its_kind(htmx_client, as_owner):
    text_form = text(htmx_client.get(f"{BASE}/new?kind=text"))
    image_form = text(htmx_client.get(f"{BASE}/new?kind=image_text"))
    assert 'name="kind" type="hidden" value="text"' in text_form
    assert 'name="button_url"' not in text_form and 'name="image_media_id"' not in text_form
    assert 'name="image_media_id"' in image_form and 'name="button_label_fr"' not in image_form
    assert htmx_client.get(f"{BASE}/new?kind=banner").status_code == 404


# -- adding --------------------------------------------------------------------------------------
def test_the_owner_adds_a_section_at_the_end(client, as_owner):
    add_section(as_owner.store, "text")
    response = client.post(f"{BASE}/", data=form(kind="hero", title_fr="Bienvenue", text_fr="Du **bon** pain",
                                                  title_de="Willkommen", button_label_fr="Voir",
                                                  button_label_de="Ansehen", button_url="/pages/about"))
    added = sections_of(as_owner.store)[-1]
    assert response.status_code == 303 and response.location.endswith(f"{BASE}/{added.id}")
    assert (added.kind, added.position, added.button_url) == ("hero", 1, "/pages/about")
    assert added.content == {"fr": {"title": "Bienvenue", "text": "Du **bon** pain", "button_label": "Voir"},
                             "de": {"title": "Willkommen", "text": "", "button_label": "Ansehen"}}
    assert actions(as_owner.store) == ["cms.home_section_added"]


def test_adding_over_htmx_answers_the_form_the_list_and_a_toast(htmx_client, as_owner):
    response = htmx_client.post(f"{BASE}/", data=form(kind="text", title_fr="Horaires"))
    html = text(response)
    section = sections_of(as_owner.store)[0]
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<form method="post" action="{BASE}/{section.id}" id="section-form-{section.id}"')
    assert 'id="home-section-list" data-count="1" hx-swap-oob="true"' in html
    assert 'hx-swap-oob="beforeend:#home-section-modals"' in html and f"delete-home-section-{section.id}" in html
    assert 'hx-swap-oob="beforeend:#toasts"' in html and "The text section is added." in html


def test_a_section_needs_words_in_the_default_language(htmx_client, as_owner):
    response = htmx_client.post(f"{BASE}/", data=form(kind="text", title_de="Nur Deutsch"))
    assert response.status_code == 422 and "Write a title or a text in Français (the default language)." in text(
        response)
    assert sections_of(as_owner.store) == []


def test_an_unknown_kind_is_refused(htmx_client, as_owner):
    response = htmx_client.post(f"{BASE}/", data=form(kind="banner", title_fr="X"))
    assert response.status_code == 422 and "Choose a kind of section to add." in text(response)
    assert response.headers["HX-Retarget"] == "#section-editor"
    assert sections_of(as_owner.store) == []


def test_a_home_page_holds_at_most_30_sections(htmx_client, as_owner):
    for position in range(home.MAX_SECTIONS):
        add_section(as_owner.store, "text", position)
    response = htmx_client.post(f"{BASE}/", data=form(kind="text", title_fr="Une de trop"))
    assert response.status_code == 422 and "at most 30 sections" in text(response)
    assert len(sections_of(as_owner.store)) == home.MAX_SECTIONS


# -- editing -------------------------------------------------------------------------------------
def test_the_owner_edits_the_texts_of_every_language(htmx_client, as_owner):
    section = add_section(as_owner.store, "cta", fr={"title": "Avant", "text": "", "button_label": "Go"})
    response = htmx_client.post(f"{BASE}/{section.id}", data=form(
        kind="hero",  # ignored: a section keeps its kind
        title_fr="  Commandez   en ligne ", text_fr="Livraison\r\nle jour même", button_label_fr="Commander",
        title_en="Order online", button_label_en="Order", button_url="https://shop.example.lu/order?x=1"))
    assert response.status_code == 200 and "The call to action section is saved." in text(response)
    db.session.expire_all()
    assert section.kind == "cta" and section.button_url == "https://shop.example.lu/order?x=1"
    assert section.content == {
        "fr": {"title": "Commandez en ligne", "text": "Livraison\nle jour même", "button_label": "Commander"},
        "en": {"title": "Order online", "text": "", "button_label": "Order"}}
    assert actions(as_owner.store) == ["cms.home_section_saved"]


def test_texts_of_a_language_the_store_no_longer_offers_are_kept(client, as_owner):
    section = add_section(as_owner.store, "text", fr={"title": "Pain"}, lb={"title": "Brout"})
    client.post(f"{BASE}/{section.id}", data=form(title_fr="Pain frais"))
    db.session.expire_all()
    assert section.content["lb"] == {"title": "Brout"} and section.content["fr"]["title"] == "Pain frais"


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "//evil.example/", "/\\evil.example",
                                 "java\tscript:alert(1)", "vbscript:msgbox", "mailto:a@b.lu", "ftp://files.lu/"])
def test_a_button_link_that_is_not_a_web_address_is_refused(htmx_client, as_owner, url):
    section = add_section(as_owner.store, "cta", fr={"title": "Avant", "text": "", "button_label": "Go"})
    saved = htmx_client.post(f"{BASE}/{section.id}", data=form(title_fr="Après", button_label_fr="Go",
                                                                button_url=url))
    added = htmx_client.post(f"{BASE}/", data=form(kind="hero", title_fr="Neuf", button_label_fr="Go",
                                                   button_url=url))
    for response in (saved, added):
        html = text(response)
        assert response.status_code == 422 and "<html" not in html
        assert 'id="field-button_url"' in html and "is-invalid" in html.split('id="field-button_url"')[1][:400]
    db.session.expire_all()
    assert section.button_url == "" and section.content["fr"]["title"] == "Avant"
    assert len(sections_of(as_owner.store)) == 1 and actions(as_owner.store) == []


def test_without_htmx_a_refusal_answers_the_whole_page_with_422(client, as_owner):
    response = client.post(f"{BASE}/", data=form(kind="cta", title_fr="A", button_label_fr="Go",
                                                  button_url="javascript:alert(1)"))
    html = text(response)
    assert response.status_code == 422 and "<html" in html and 'id="home-section-list" data-count="0"' in html
    assert 'value="javascript:alert(1)"' in html and "Other links (javascript:, data:, …) are not allowed." in html


def test_a_button_needs_both_a_label_and_a_link(htmx_client, as_owner):
    no_link = htmx_client.post(f"{BASE}/", data=form(kind="cta", title_fr="A", button_label_fr="Voir"))
    no_label = htmx_client.post(f"{BASE}/", data=form(kind="cta", title_fr="A", title_de="B", button_label_fr="Voir",
                                                      button_url="/pages/about"))
    assert no_link.status_code == 422 and "Add the link the button opens" in text(no_link)
    assert no_label.status_code == 422 and "Give the button a label in Deutsch" in text(no_label)
    assert sections_of(as_owner.store) == []


def test_an_image_comes_from_the_stores_media_library(htmx_client, as_owner):
    photo, pdf, theirs = make_media(as_owner.store), make_media(as_owner.store, "pdf"), make_media(as_owner.other_store)
    for image_media_id in ("", str(theirs.id), str(pdf.id), "99999999999999", "photo.png"):
        response = htmx_client.post(f"{BASE}/", data=form(kind="image_text", title_fr="Atelier",
                                                          image_media_id=image_media_id))
        assert response.status_code == 422 and "Choose an image from your media library." in text(response)
    assert sections_of(as_owner.store) == []
    good = htmx_client.post(f"{BASE}/", data=form(kind="image_text", title_fr="Atelier", image_media_id=str(photo.id)))
    assert good.status_code == 200 and sections_of(as_owner.store)[0].image_media_id == photo.id
    assert media.usages(as_owner.store, photo.id) == ["Home page: image + text section 1"]
    assert media.usages(as_owner.other_store, photo.id) == [] and media.usages(as_owner.store, pdf.id) == []


# -- reordering and deleting ---------------------------------------------------------------------
def test_moving_a_section_keeps_positions_dense(htmx_client, as_owner):
    first, second, third = (add_section(as_owner.store, "text", position) for position in (0, 5, 9))
    response = htmx_client.post(f"{BASE}/{first.id}/move", data={"direction": "down"})
    html = text(response)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="home-section-list" data-count="3">')
    assert "The text section is now number 2." in html
    assert [(s.id, s.position) for s in sections_of(as_owner.store)] == [(second.id, 0), (first.id, 1), (third.id, 2)]
    htmx_client.post(f"{BASE}/{third.id}/move", data={"direction": "up"})
    assert [s.id for s in sections_of(as_owner.store)] == [second.id, third.id, first.id]
    assert actions(as_owner.store) == ["cms.home_section_moved"] * 2


def test_the_first_section_cannot_move_up(htmx_client, client, as_owner):
    first, second = add_section(as_owner.store, "text"), add_section(as_owner.store, "text")
    response = htmx_client.post(f"{BASE}/{first.id}/move", data={"direction": "up"})
    assert response.status_code == 422 and "already the first" in text(response)
    assert htmx_client.post(f"{BASE}/{first.id}/move", data={"direction": "sideways"}).status_code == 422
    plain = client.post(f"{BASE}/{second.id}/move", data={"direction": "up"})
    assert plain.status_code == 303 and plain.location.endswith(f"{BASE}/")
    assert [s.id for s in sections_of(as_owner.store)] == [second.id, first.id]


def test_deleting_a_section_closes_the_gap(htmx_client, client, as_owner):
    first, second, third = (add_section(as_owner.store, "text") for _ in range(3))
    response = htmx_client.post(f"{BASE}/{second.id}/delete", data={"editing": str(second.id)})
    html = text(response)
    assert response.status_code == 200 and 'data-count="2"' in html and "Text section 2 is deleted." in html
    assert '<div id="section-editor" hx-swap-oob="true">' in html  # its open form gives way to the chooser
    assert [(s.id, s.position) for s in sections_of(as_owner.store)] == [(first.id, 0), (third.id, 1)]
    other = htmx_client.post(f"{BASE}/{first.id}/delete", data={"editing": str(third.id)})
    assert other.status_code == 200 and 'id="section-editor"' not in text(other)  # another section stays open
    assert [(s.id, s.position) for s in sections_of(as_owner.store)] == [(third.id, 0)]
    assert actions(as_owner.store) == ["cms.home_section_deleted"] * 2
    assert client.post(f"{BASE}/{third.id}/delete").status_code == 303
    assert sections_of(as_owner.store) == []


# -- the storefront ------------------------------------------------------------------------------
def test_the_storefront_shows_the_sections_in_order_and_in_the_shoppers_language(client, as_owner):
    client.post(f"{BASE}/", data=form(kind="text", title_fr="Notre pain", title_de="Unser Brot"))
    client.post(f"{BASE}/", data=form(kind="cta", title_fr="Commandez", button_label_fr="Commander",
                                      title_de="Bestellen", button_label_de="Jetzt bestellen",
                                      button_url="/pages/contact"))
    photo = make_media(as_owner.store)
    client.post(f"{BASE}/", data=form(kind="image_text", title_fr="Atelier", image_media_id=str(photo.id)))
    client.post(f"{BASE}/", data=form(kind="hero", title_fr="Bienvenue", title_de="Willkommen"))
    hero = sections_of(as_owner.store)[-1]
    for _ in range(3):
        client.post(f"{BASE}/{hero.id}/move", data={"direction": "up"})
    german = text(client.get("/s/centre/?lang=de"))
    french = text(client.get("/s/centre/?lang=fr"))
    assert 'id="home-sections" data-count="4"' in german
    assert german.index("Willkommen") < german.index("Unser Brot") < german.index("Jetzt bestellen")
    assert german.index("Jetzt bestellen") < german.index(f'src="/s/centre/media/{photo.stored_name}"')
    assert 'href="/s/centre/pages/contact"' in german and "Bienvenue" not in german
    assert "Atelier" in german  # no German version: the default language's
    assert french.index("Bienvenue") < french.index("Notre pain") < french.index("Commander") < french.index("Atelier")


# -- who may ---------------------------------------------------------------------------------------
def test_staff_without_the_permission_are_refused(client, world):
    section = add_section(world.store, "text", fr={"title": "Pain"})
    sign_in(client, world.staff)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.post(f"{BASE}/", data=form(kind="text", title_fr="X")).status_code == 403
    assert client.post(f"{BASE}/{section.id}", data=form(title_fr="X")).status_code == 403
    assert client.post(f"{BASE}/{section.id}/delete").status_code == 403
    assert [s.content["fr"]["title"] for s in sections_of(world.store)] == ["Pain"]


def test_another_stores_section_is_not_found_and_unchanged(client, as_owner):
    foreign = add_section(as_owner.other_store, "text", fr={"title": "Mode"})
    add_section(as_owner.other_store, "text", fr={"title": "Autre"})
    assert client.get(f"{BASE}/{foreign.id}").status_code == 404
    assert client.post(f"{BASE}/{foreign.id}", data=form(title_fr="Piraté")).status_code == 404
    assert client.post(f"{BASE}/{foreign.id}/move", data={"direction": "down"}).status_code == 404
    assert client.post(f"{BASE}/{foreign.id}/delete").status_code == 404
    assert client.get(f"{BASE}/2147483648").status_code == 404
    assert [(s.content["fr"]["title"], s.position) for s in sections_of(as_owner.other_store)] == [("Mode", 0),
                                                                                                   ("Autre", 1)]
    assert actions(as_owner.other_store) == []


def test_the_page_keeps_its_query_budget_for_1_and_20_sections(client, as_owner, count_queries):
    add_section(as_owner.store, "hero", fr={"title": "Bienvenue"})
    client.get(f"{BASE}/")  # warm per-process caches, as in a running server
    with count_queries() as one:
        assert client.get(f"{BASE}/").status_code == 200
    for _ in range(19):
        add_section(as_owner.store, "image_text")
    with count_queries() as many:
        response = client.get(f"{BASE}/")
    assert 'data-count="20"' in text(response)
    assert one.count == many.count, (one.statements, many.statements)
