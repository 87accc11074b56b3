"""Store admin theme page: full page and fragments, saving (422 on bad input), presets, preview, access."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from blueprints.cms.models import StoreTheme
from blueprints.cms.services import themes
from tests.cms.theme_fixtures import build_theme_world, make_media, sign_in, theme_data
from webapp.extensions import db
from webapp.models import AuditLog

URL = "/store/centre/cms/theme/"
BUDGET = 8  # the theme page, signed in, with a logo and a favicon: 5 of the store admin, theme, images, switcher


@pytest.fixture
def theme_world(platform):
    return build_theme_world(platform)


def assert_csp_clean(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=", html) and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def preview_css_url(html: str) -> str:
    return re.search(r'<link rel="stylesheet" href="(/store/centre/cms/theme/preview\.css\?t=[^"]+)"', html)[1]


def test_the_theme_page_shows_the_form_the_presets_and_a_preview(client, theme_world):
    sign_in(client, theme_world.owner)
    response = client.get(URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="theme-form"' in html and 'id="theme-preview"' in html and 'class="theme-preview"' in html
    assert f'data-count="{len(themes.PRESETS)}"' in html
    for name in ("preset", "primary_color", "accent_color", "background_color", "text_color", "muted_color",
                 "font_body", "font_heading", "radius", "logo_media_id", "favicon_media_id", "custom_css"):
        assert f'name="{name}"' in html, name
    assert 'type="color"' in html and 'value="#1f4e79"' in html  # the classic preset until one is saved
    assert_csp_clean(html)
    css = client.get(preview_css_url(html))
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "--sf-primary: #1f4e79;" in css.get_data(as_text=True)
    assert 'href="/store/centre/cms/theme/preview-base.css"' in html
    base = client.get("/store/centre/cms/theme/preview-base.css").get_data(as_text=True)
    assert ".theme-preview .sf-header" in base and ".theme-preview h1" in base  # the storefront's look, scoped
    assert "body." not in base and ":root" not in base


def test_saving_answers_the_form_fragment_with_a_toast_and_an_event(client, htmx_client, theme_world):
    sign_in(client, theme_world.owner)
    response = htmx_client.post(URL, data=theme_data(primary_color="#AA0000"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<form") and "Theme saved" in html and "<html" not in html
    assert "cms:theme-saved" in response.headers["HX-Trigger"]
    assert 'value="#aa0000"' in html  # the stored value, normalised
    theme = db.session.scalar(select(StoreTheme).where(StoreTheme.store_id == theme_world.store.id))
    assert (theme.preset, theme.primary_color) == ("modern", "#aa0000")
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "cms.theme_updated")) == 1


BAD = {
    "javascript url": ({"custom_css": "a { background: url(javascript:alert(1)) }"}, "javascript:"),
    "expression": ({"custom_css": "a { width: expression(alert(1)) }"}, "expression()"),
    "import": ({"custom_css": "@import url(https://evil.example/x.css);"}, "@import"),
    "end of style": ({"custom_css": "a{}</style><script>alert(1)</script>"}, "has no place in CSS"),
    "unbalanced": ({"custom_css": "a { color: red"}, "unbalanced braces"),
    "too big": ({"custom_css": ".a { color: red }\n" * 1500}, "20,000 bytes"),
    "colour": ({"primary_color": "red"}, "#rrggbb"),
    "font": ({"font_body": "comic-sans"}, "Not a valid choice"),
    "preset": ({"preset": "neon"}, "Choose one of the presets"),
    "logo of nowhere": ({"logo_media_id": "424242"}, "Choose an image from your media library"),
    "logo not a number": ({"logo_media_id": "1 OR 1=1"}, "Not a valid integer"),
}


@pytest.mark.parametrize("change, message", list(BAD.values()), ids=list(BAD))
def test_bad_input_is_a_422_with_the_message_and_nothing_is_stored(client, htmx_client, theme_world, change,
                                                                    message):
    sign_in(client, theme_world.owner)
    response = htmx_client.post(URL, data=theme_data(**change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.replace("&#34;", '"').replace("&lt;", "<").replace("&gt;", ">")
    assert 'id="theme-form"' in html and ("is-invalid" in html or "invalid-feedback" in html)
    assert db.session.scalar(select(func.count(StoreTheme.id))) == 0


def test_garbage_never_answers_500(client, htmx_client, theme_world):
    sign_in(client, theme_world.owner)
    for data in ({}, {"custom_css": ["a", "b"]}, {"primary_color": "\u202e#000000"}, {"radius": "x" * 10000},
                 {"favicon_media_id": "-1"}, {"custom_css": "a{}\x00"}):
        assert htmx_client.post(URL, data=data).status_code in (400, 422), data  # NUL: 400 before any view
    for data in ({}, {"choose_preset": "neon"}, {"choose_preset": "dark", "primary_color": "x"}):
        assert htmx_client.post(URL + "preset", data=data).status_code in (200, 422), data
        assert htmx_client.post(URL + "preview", data=data).status_code == 200, data
    for token in ("", "x", "a" * 5000, "..%2F"):
        assert client.get(URL + "preview.css?t=" + token).status_code == 404


def test_choosing_a_preset_swaps_the_design_fields_and_the_preview_without_saving(client, htmx_client,
                                                                                 theme_world):
    sign_in(client, theme_world.owner)
    response = htmx_client.post(URL + "preset", data=theme_data(choose_preset="dark", custom_css="h1 { x: y }"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="theme-design">')
    dark = themes.PRESETS["dark"]
    assert f'value="{dark.background_color}"' in html and 'name="preset" value="dark"' in html
    assert 'id="theme-preview" hx-swap-oob="true"' in html and 'data-preset="dark"' in html
    css = client.get(preview_css_url(html)).get_data(as_text=True)
    assert f"--sf-background: {dark.background_color};" in css and ".theme-preview h1 { x: y }" in css
    assert db.session.scalar(select(func.count(StoreTheme.id))) == 0


def test_reset_to_preset_refills_the_preset_values_after_adjusting(client, htmx_client, theme_world):
    sign_in(client, theme_world.owner)
    html = client.get(URL).get_data(as_text=True)
    assert 'id="theme-reset"' in html and 'name="choose_preset" value="classic"' in html
    response = htmx_client.post(URL + "preset", data=theme_data(choose_preset="modern", primary_color="#000000"))
    assert f'value="{themes.PRESETS["modern"].primary_color}"' in response.get_data(as_text=True)


def test_without_javascript_a_preset_answers_the_whole_page(client, theme_world):
    sign_in(client, theme_world.owner)
    response = client.post(URL + "preset", data=theme_data(choose_preset="minimal"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and 'name="preset" value="minimal"' in html


def test_the_preview_follows_unsaved_values_and_reports_refused_ones(client, htmx_client, theme_world):
    sign_in(client, theme_world.owner)
    logo = make_media(theme_world.store)
    response = htmx_client.post(URL + "preview", data=theme_data(primary_color="#123456", logo_media_id=logo.id,
                                                                 custom_css="@import 'x.css';"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="theme-preview"')
    assert f"/s/centre/media/{logo.stored_name}" in html
    assert "@import is not allowed" in html
    assert_csp_clean(html)
    css = client.get(preview_css_url(html)).get_data(as_text=True)
    assert "--sf-primary: #123456;" in css and "@import" not in css


def test_a_preview_stylesheet_of_one_store_is_not_served_in_another(client, htmx_client, theme_world):
    sign_in(client, theme_world.owner)
    url = preview_css_url(htmx_client.post(URL + "preview", data=theme_data()).get_data(as_text=True))
    client.post("/store/logout")
    sign_in(client, theme_world.other_owner)
    assert client.get(url.replace("/store/centre/", "/store/mode-lux/")).status_code == 404
    assert client.get(url).status_code == 404  # not a user of centre: as if it did not exist


def test_staff_without_the_permission_get_403_and_other_merchants_404(client, theme_world):
    sign_in(client, theme_world.staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data=theme_data()).status_code == 403
    client.post("/store/logout")
    sign_in(client, theme_world.other_owner)
    assert client.get(URL).status_code == 404
    assert client.post(URL, data=theme_data()).status_code == 404
    assert db.session.scalar(select(func.count(StoreTheme.id))) == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, theme_world):
    response = client.get(URL)
    assert response.status_code in (302, 303) and "/store/login" in response.location


def test_the_theme_page_keeps_its_query_budget(client, theme_world, count_queries):
    sign_in(client, theme_world.owner)
    logo = make_media(theme_world.store)
    themes.save_theme(theme_world.store, theme_data(logo_media_id=logo.id, favicon_media_id=logo.id),
                      theme_world.owner)
    client.get(URL)
    with count_queries() as counter:
        assert client.get(URL).status_code == 200
    assert counter.count <= BUDGET, counter.statements


def test_without_javascript_saving_answers_the_whole_page(client, theme_world):
    sign_in(client, theme_world.owner)
    response = client.post(URL, data=theme_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and "Theme saved" in html
    assert 'id="theme-preview"' in html
