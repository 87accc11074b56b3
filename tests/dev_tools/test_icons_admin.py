"""The icon gallery: a searchable grid of Bootstrap Icons whose tiles copy their macro call."""
import json
import re

import pytest

from blueprints.dev_tools.services import ICON_LIMIT, ICON_MAP, search_icons
from tests.dev_tools.helpers import attribute_values

URL = "/admin/dev-tools/icons"
ALL_ICONS = sorted(json.loads(ICON_MAP.read_text(encoding="utf-8")))


def grid_count(html: str) -> int:
    return int(re.search(r'<div id="icon-grid" data-count="(\d+)"', html).group(1))


def test_full_page_has_the_search_box_wired_to_the_grid(client, as_super_admin):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" in page
    search_box = re.search(r'<input type="search"[^>]*>', page).group(0)
    for attribute in ('name="q"', f'hx-get="{URL}"', 'hx-trigger="input changed delay:250ms, search"',
                      'hx-target="#icon-grid"', 'hx-swap="outerHTML"', 'hx-push-url="true"'):
        assert attribute in search_box


def test_without_a_query_the_grid_is_capped_and_says_so(client, as_super_admin):
    page = client.get(URL).get_data(as_text=True)
    assert grid_count(page) == ICON_LIMIT < len(ALL_ICONS)
    assert f"{len(ALL_ICONS)} of {len(ALL_ICONS)} icons, showing the first {ICON_LIMIT}" in page


def test_htmx_search_answers_only_the_grid(htmx_client, as_super_admin):
    response = htmx_client.get(f"{URL}?q=heart")
    body = response.get_data(as_text=True)
    expected = sum("heart" in name for name in ALL_ICONS)
    assert response.status_code == 200
    assert "<html" not in body and body.lstrip().startswith('<div id="icon-grid"')
    assert grid_count(body) == expected > 1
    assert f"{expected} of {len(ALL_ICONS)} icons." in body
    assert "HX-Request" in response.headers["Vary"]


def test_full_page_search_shows_the_same_grid(client, as_super_admin):
    response = client.get(f"{URL}?q=heart")
    page = response.get_data(as_text=True)
    assert "<html" in page and 'value="heart"' in page
    assert grid_count(page) == sum("heart" in name for name in ALL_ICONS)
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("kind", ["boosted", "history_restore"])
def test_boosted_and_history_restore_requests_get_the_full_page(htmx_client, as_super_admin, kind):
    response = htmx_client.get(f"{URL}?q=heart", **{kind: True})
    assert "<html" in response.get_data(as_text=True)


def test_a_tile_copies_the_literal_macro_call(app, htmx_client, as_super_admin):
    body = htmx_client.get(f"{URL}?q=heart").get_data(as_text=True)
    assert 'data-copy="{{ ui.icon(&#34;heart&#34;) }}"' in body  # escaped in the attribute...
    call = '{{ ui.icon("heart") }}'
    assert call in attribute_values(body, "data-copy")  # ...and exactly the call once the browser reads it
    with app.test_request_context():
        assert 'class="bi bi-heart"' in app.jinja_env.from_string(call).render()


def test_every_word_of_the_query_must_match():
    result = search_icons("arrow left")
    assert result.icons and all("arrow" in icon.name and "left" in icon.name for icon in result.icons)


def test_a_search_without_matches_shows_an_empty_state(htmx_client, as_super_admin):
    body = htmx_client.get(f"{URL}?q=no-such-icon").get_data(as_text=True)
    assert grid_count(body) == 0
    assert f"0 of {len(ALL_ICONS)} icons." in body and 'class="empty-state' in body
    assert "No icon matches “no-such-icon”" in body
