"""The home section service's rules, without HTTP: links, sizes, languages, positions, isolation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from blueprints.cms.models import HomeSection
from blueprints.cms.services import home
from blueprints.cms.services.home import HomeError, NotFound
from tests.cms.home_fixtures import add_section, build_world, make_media
from webapp.extensions import db
from webapp.models import AuditLog


@pytest.fixture
def world(platform):
    return build_world(platform)


def content(**languages) -> dict:
    return {"content": {language: dict(values) for language, values in languages.items()}}


@pytest.mark.parametrize("url", ["/", "/pages/about", "/s/centre/pages/about?x=1#top", "https://example.lu",
                                 "http://example.lu/a b".replace(" ", "%20"), "HTTPS://Example.LU/Path"])
def test_links_to_the_store_or_the_web_are_kept(url):
    assert home.clean_button_url(f"  {url} ") == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example", "/\\evil.example",
                                 "https:evil.example", "https:///path", "java\nscript:alert(1)", "pages/about",
                                 "file:///etc/passwd", "/" + "a" * 300])
def test_other_links_are_refused_naming_the_field(url):
    with pytest.raises(HomeError) as refused:
        home.clean_button_url(url)
    assert refused.value.field == "button_url"


@pytest.mark.parametrize("values, field", [
    ({"fr": {"title": "x" * 201, "button_label": "Go"}}, "title_fr"),
    ({"fr": {"title": "A", "button_label": "Go"}, "de": {"text": "x" * 10_001, "button_label": "Go"}}, "text_de"),
    ({"fr": {"title": "A", "button_label": "Go"}, "en": {"button_label": "Go"}}, "title_en"),  # a label alone
    ({"fr": {"title": "A", "button_label": "x" * 81}}, "button_label_fr"),
    ({"fr": {"title": "A", "button_label": "Go"}, "de": {"title": "B"}}, "button_label_de"),
    ({"de": {"title": "Nur Deutsch", "button_label": "Los"}}, "title_fr"),
])
def test_texts_are_checked_per_language(world, values, field):
    with pytest.raises(HomeError) as refused:
        home.add_section(world.store, "cta", {**content(**values), "button_url": "/x"}, world.owner)
    assert refused.value.field == field
    assert db.session.scalars(select(HomeSection)).all() == []


def test_a_text_of_10000_characters_fits(world):
    section = home.add_section(world.store, "text", content(fr={"text": "x" * 10_000}), world.owner)
    assert len(section.content["fr"]["text"]) == 10_000


def test_kinds_without_a_button_or_an_image_drop_them(world):
    photo = make_media(world.store)
    section = home.add_section(world.store, "text", {**content(fr={"title": "A", "button_label": "Go"}),
                                                     "button_url": "/x", "image_media_id": photo.id}, world.owner)
    assert section.button_url == "" and section.image_media_id is None
    assert section.content == {"fr": {"title": "A", "text": "", "button_label": ""}}


def test_a_hero_may_show_an_image_of_its_own_store_only(world):
    photo = make_media(world.store)
    hero = home.add_section(world.store, "hero", {**content(fr={"title": "A"}), "image_media_id": str(photo.id)},
                            world.owner)
    assert hero.image_media_id == photo.id
    with pytest.raises(HomeError) as refused:
        home.add_section(world.other_store, "hero", {**content(fr={"title": "A"}), "image_media_id": photo.id},
                         world.owner)
    assert refused.value.field == "image_media_id"


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(HomeError) as refused:
        home.add_section(world.store, "banner", content(fr={"title": "A"}), world.owner)
    assert refused.value.field == "kind"


def test_positions_heal_when_they_were_not_dense(world):
    a, b = add_section(world.store, position=3), add_section(world.store, position=3)
    c = home.add_section(world.store, "text", content(fr={"title": "C"}), world.owner)
    assert [(s.id, s.position) for s in home.home_sections(world.store)] == [(a.id, 0), (b.id, 1), (c.id, 2)]


def test_the_services_never_touch_another_stores_section(world):
    foreign = add_section(world.other_store, fr={"title": "Mode"})
    with pytest.raises(NotFound):
        home.get_section(world.store, foreign.id)
    with pytest.raises(NotFound):
        home.save_section(world.store, foreign, content(fr={"title": "X"}), world.owner)
    with pytest.raises(NotFound):
        home.move_section(world.store, foreign.id, "up", world.owner)
    with pytest.raises(NotFound):
        home.delete_section(world.store, foreign.id, world.owner)
    db.session.expire_all()
    assert foreign.content == {"fr": {"title": "Mode"}}


def test_every_change_is_audited_with_the_store_and_the_actor(world):
    section = home.add_section(world.store, "text", content(fr={"title": "A"}), world.owner)
    home.add_section(world.store, "text", content(fr={"title": "B"}), world.owner)
    home.save_section(world.store, section, content(fr={"title": "A2"}), world.owner)
    home.move_section(world.store, section.id, "down", world.owner)
    home.delete_section(world.store, section.id, world.owner)
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action.like("cms.home_%")).order_by(AuditLog.id)).all()
    assert [row.action for row in rows] == ["cms.home_section_added", "cms.home_section_added",
                                            "cms.home_section_saved", "cms.home_section_moved",
                                            "cms.home_section_deleted"]
    assert {(row.store_id, row.user_id) for row in rows} == {(world.store.id, world.owner.id)}
    assert rows[-1].target == "Text section 2"
