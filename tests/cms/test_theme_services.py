"""Theme services: validation, saving with an audit row, presets, stylesheets, preview tokens, media usage."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.cms.models import MediaItem, StoreTheme
from blueprints.cms.services import media, themes
from blueprints.cms.services.themes import ThemeError
from tests.cms.theme_fixtures import build_theme_world, make_media, theme_data
from webapp.extensions import db
from webapp.models import AuditLog


@pytest.fixture
def theme_world(platform):
    return build_theme_world(platform)


def theme_count() -> int:
    return db.session.scalar(select(func.count(StoreTheme.id)))


def test_there_are_at_least_five_presets_each_complete_and_valid(theme_world):
    assert {"classic", "modern", "minimal", "bold", "dark"} <= set(themes.PRESETS)
    for code, preset in themes.PRESETS.items():
        values = themes.clean(theme_world.store, preset.values())
        assert values["preset"] == code and values["custom_css"] == ""


def test_the_classic_preset_is_the_storefront_default(app):
    with open(f"{app.static_folder}/css/storefront.css", encoding="utf-8") as handle:
        builtin = handle.read()
    classic = themes.PRESETS["classic"]
    for color in (classic.primary_color, classic.accent_color, classic.background_color, classic.text_color,
                  classic.muted_color):
        assert color in builtin


def test_saving_stores_the_theme_and_audits_the_change(theme_world):
    store, owner = theme_world.store, theme_world.owner
    theme = themes.save_theme(store, theme_data(primary_color="#AA0000", custom_css=".sf-brand { x: y }"), owner)
    assert (theme.preset, theme.primary_color, theme.custom_css) == ("modern", "#aa0000", ".sf-brand { x: y }")
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "cms.theme_updated"))
    assert entry.store_id == store.id and entry.user_id == owner.id and entry.details["created"] is True
    themes.save_theme(store, theme_data(primary_color="#aa0000", custom_css=".sf-brand { x: y }",
                                        font_body="monospace"), owner)
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "cms.theme_updated")
                                 .order_by(AuditLog.id)).all()
    assert entries[-1].details["fields"] == ["font_body"] and len(entries) == 2
    themes.save_theme(store, theme_data(primary_color="#aa0000", custom_css=".sf-brand { x: y }",
                                        font_body="monospace"), owner)
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "cms.theme_updated")) == 2
    assert theme_count() == 1


BAD = {
    "colour name": ({"primary_color": "red"}, "primary_color"),
    "short colour": ({"accent_color": "#abc"}, "accent_color"),
    "colour with css": ({"text_color": "#000000; } body { display:none"}, "text_color"),
    "remote font": ({"font_body": "'Comic Sans'; src: url(https://fonts.example/x)"}, "font_body"),
    "unknown heading font": ({"font_heading": "papyrus"}, "font_heading"),
    "unknown preset": ({"preset": "neon"}, "preset"),
    "radius with css": ({"radius": "1rem; color: red"}, "radius"),
    "script url": ({"custom_css": "a { background: url(javascript:alert(1)) }"}, "custom_css"),
    "huge css": ({"custom_css": "a{}" * 7000}, "custom_css"),
    "logo that is no id": ({"logo_media_id": "abc"}, "logo_media_id"),
    "logo that does not exist": ({"logo_media_id": "999999"}, "logo_media_id"),
    "favicon out of range": ({"favicon_media_id": str(2 ** 40)}, "favicon_media_id"),
}


@pytest.mark.parametrize("change, field", list(BAD.values()), ids=list(BAD))
def test_bad_input_is_refused_naming_its_field_and_nothing_is_stored(theme_world, change, field):
    with pytest.raises(ThemeError) as refused:
        themes.save_theme(theme_world.store, theme_data(**change), theme_world.owner)
    assert refused.value.field == field
    assert theme_count() == 0
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "cms.theme_updated")) == 0


def test_logo_and_favicon_must_be_images_of_the_same_store(theme_world):
    store, owner = theme_world.store, theme_world.owner
    theirs, pdf, ours = make_media(theme_world.other_store), make_media(store, MediaItem.PDF), make_media(store)
    for field, media_id in (("logo_media_id", theirs.id), ("favicon_media_id", pdf.id)):
        with pytest.raises(ThemeError, match="Choose an image from your media library") as refused:
            themes.save_theme(store, theme_data(**{field: str(media_id)}), owner)
        assert refused.value.field == field
    theme = themes.save_theme(store, theme_data(logo_media_id=str(ours.id), favicon_media_id=ours.id), owner)
    assert (theme.logo_media_id, theme.favicon_media_id) == (ours.id, ours.id)


def test_the_media_library_hears_where_the_theme_uses_an_item(theme_world):
    store = theme_world.store
    logo, other = make_media(store), make_media(store)
    themes.save_theme(store, theme_data(logo_media_id=logo.id, favicon_media_id=logo.id), theme_world.owner)
    assert media.usages(store, logo.id) == ["Theme: logo", "Theme: favicon"]
    assert media.usages(store, other.id) == []
    assert media.usages(theme_world.other_store, logo.id) == []


def test_a_missing_design_value_falls_back_to_the_preset(theme_world):
    data = theme_data(preset="dark")
    del data["background_color"], data["font_heading"]
    values = themes.clean(theme_world.store, data)
    assert values["background_color"] == themes.PRESETS["dark"].background_color
    assert values["font_heading"] == themes.PRESETS["dark"].font_heading


def test_choosing_a_preset_replaces_only_colours_fonts_and_corners():
    data = theme_data(custom_css="a { b: c }", logo_media_id="7", primary_color="#000000")
    values = themes.preset_values(data, "bold")
    assert values["preset"] == "bold" and values["primary_color"] == themes.PRESETS["bold"].primary_color
    assert values["custom_css"] == "a { b: c }" and values["logo_media_id"] == "7"
    with pytest.raises(ThemeError):
        themes.preset_values(data, "neon")


def test_the_stylesheet_sets_the_storefront_variables_then_the_custom_css(theme_world):
    values = themes.clean(theme_world.store, theme_data(custom_css=".sf-hero { padding: 0 }"))
    css = themes.stylesheet(values)
    for variable in ("--sf-primary: #4f46e5;", "--sf-accent:", "--sf-background:", "--sf-text:", "--sf-muted:",
                     "--sf-font-body: Seravek", "--sf-font-heading: Avenir", "--sf-radius: 1rem;"):
        assert variable in css
    assert css.index(":root {") < css.index(".sf-hero { padding: 0 }")
    assert "url(" not in css.split("/* Custom CSS */")[0]  # no font or image is fetched by the theme itself
    assert "color-scheme: dark" in themes.stylesheet(themes.clean(theme_world.store,
                                                                  themes.PRESETS["dark"].values()))


def test_a_preview_token_works_for_its_store_only(app, theme_world):
    with app.test_request_context():
        preview = themes.preview(theme_world.store, theme_data(primary_color="#123456", custom_css="h1 { x: y }"))
        css = themes.preview_stylesheet(theme_world.store, preview.token)
        assert ".theme-preview {" in css and "--sf-primary: #123456;" in css
        assert ".theme-preview h1 { x: y }" in css and ":root" not in css
        assert themes.preview_stylesheet(theme_world.other_store, preview.token) is None
        assert themes.preview_stylesheet(theme_world.store, preview.token[:-2]) is None
        assert themes.preview_stylesheet(theme_world.store, "") is None


def test_a_preview_shows_refused_values_as_problems_and_falls_back(app, theme_world):
    with app.test_request_context():
        preview = themes.preview(theme_world.store, theme_data(primary_color="nope", custom_css="@import 'x';"))
    assert preview.values["primary_color"] == themes.PRESETS["modern"].primary_color
    assert preview.values["custom_css"] == ""
    assert len(preview.problems) == 2 and "@import" in preview.problems[1]


def test_a_preview_of_long_custom_css_leaves_it_out_and_says_so(app, theme_world):
    import secrets

    css = "\n".join(f".c{secrets.token_hex(8)} {{ color: #{secrets.token_hex(3)} }}" for _ in range(300))
    with app.test_request_context():
        preview = themes.preview(theme_world.store, theme_data(custom_css=css))
        assert len(preview.token) <= themes.PREVIEW_TOKEN_LIMIT
        assert any("too long to preview" in note for note in preview.notes)


def test_low_contrast_is_pointed_out_in_the_preview(app, theme_world):
    with app.test_request_context():
        preview = themes.preview(theme_world.store, theme_data(text_color="#eeeeee", background_color="#ffffff"))
    assert any("contrast" in note for note in preview.notes)
    assert themes.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
