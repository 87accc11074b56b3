"""The media library in the store admin: grid, search, pages, upload, alt text, delete, the picker."""
from __future__ import annotations

import io
import json
import re

import pytest
from flask import current_app, render_template_string
from sqlalchemy import func, select

from blueprints.cms.models.media import MediaItem
from blueprints.cms.services import media
from tests.cms.media_fixtures import EXE, HTML, PDF, SVG, build_world, png_bytes, sign_in, stored_files
from webapp.extensions import db
from webapp.models import AuditLog

BASE = "/store/centre/cms/media"


@pytest.fixture
def media_folder(app, tmp_path, monkeypatch):
    folder = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(folder))
    return folder


@pytest.fixture
def world(platform, media_folder):
    return build_world(platform)


@pytest.fixture
def owner(client, world):
    sign_in(client, world.owner)
    return world.owner


@pytest.fixture
def usage_providers(monkeypatch):
    providers: list = []
    monkeypatch.setattr(media, "_usage_providers", providers)
    return providers


def add_item(store, name="photo.png", data=None, user=None, alt_text="") -> MediaItem:
    with current_app.test_request_context("/"):
        return media.upload(store, name, io.BytesIO(data or png_bytes()), user, alt_text=alt_text)


def count_items() -> int:
    return db.session.scalar(select(func.count(MediaItem.id)))


def post_file(client, data: bytes, name: str, *, htmx=False, alt_text=""):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{BASE}/upload", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "alt_text": alt_text})


# -- the page ------------------------------------------------------------------------------------
def test_the_media_page_shows_the_grid_upload_form_and_delete_dialog(client, world, owner):
    item = add_item(world.store, "Vitrine.png", alt_text="Our window")
    page = client.get(f"{BASE}/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="media-grid"' in html and 'data-count="1"' in html
    assert f'id="media-{item.id}"' in html and "Vitrine.png" in html and "40 × 30 px" in html
    assert f'src="/s/centre/media/{item.thumbnail_name}"' in html and 'value="Our window"' in html
    assert 'hx-encoding="multipart/form-data"' in html and 'id="media-delete-modal"' in html
    assert "media-upload-form" in html and "up to 10 MB" in html


def test_search_and_pages_answer_the_grid_alone(client, world, owner, htmx_client):
    for number in range(26):
        add_item(world.store, f"photo-{number:02d}.png")
    add_item(world.store, "logo.png")
    fragment = htmx_client.get(f"{BASE}/?q=LOGO").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="media-grid"') and 'data-count="1"' in fragment
    assert "<html" not in fragment and "logo.png" in fragment
    second = htmx_client.get(f"{BASE}/?page=2").get_data(as_text=True)
    assert 'data-count="3"' in second and 'data-total="27"' in second
    assert f'hx-get="{BASE}/?page=1"' in second  # the pagination targets the grid
    assert 'data-count="0"' in htmx_client.get(f"{BASE}/?q=nothing-like-this").get_data(as_text=True)
    for odd in ("?page=abc", "?page=-4", "?page=99999999999999999999", "?q=%25_", "?q=" + "x" * 5000):
        assert client.get(f"{BASE}/{odd}").status_code == 200
    assert client.get(f"{BASE}/?q=%00").status_code == 400  # the framework refuses NUL bytes


def test_the_list_costs_the_same_queries_for_one_item_and_for_many(client, world, owner, count_queries):
    add_item(world.store, "first.png")
    add_item(world.store, "document.pdf", PDF)
    client.get(f"{BASE}/")  # warm caches (module states, resolution)
    with count_queries() as one:
        assert client.get(f"{BASE}/").status_code == 200
    for number in range(30):
        add_item(world.store, f"photo-{number}.png")
    with count_queries() as many:
        html = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'data-count="24"' in html
    assert many.count == one.count, many.statements[one.count:]
    assert one.count <= 10, one.statements  # 8 today: store, modules, user, roles, shell, count, page


# -- uploading -----------------------------------------------------------------------------------
def test_an_htmx_upload_answers_a_fresh_form_a_toast_and_the_grid_reload_event(client, world, owner, media_folder):
    response = post_file(client, png_bytes((800, 600)), "Vitrine été.png", htmx=True, alt_text="The window")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "cms:media-changed"
    assert "“Vitrine été.png” is uploaded." in html and 'id="media-upload-form"' in html
    item = db.session.scalar(select(MediaItem))
    assert (item.store_id, item.width, item.height, item.alt_text) == (world.store.id, 800, 600, "The window")
    assert item.uploaded_by_id == world.owner.id
    assert len(stored_files(media_folder)) == 2


def test_a_plain_upload_redirects_to_the_library(client, world, owner):
    response = post_file(client, PDF, "tarifs.pdf")
    assert response.status_code == 303 and response.location.endswith(f"{BASE}/")
    assert count_items() == 1


@pytest.mark.parametrize("data, name, message", [
    (png_bytes(), "invoice.pdf", "is a PNG image, but its name ends in .pdf"),
    (HTML, "cat.jpg", "its content looks like an HTML page"),
    (EXE, "setup.jpg", "its content looks like a Windows program"),
    (SVG, "logo.svg", "SVG files are not accepted"),
    (png_bytes((300, 300))[:-80], "cut.png", "seems damaged or incomplete"),
    (b"", "empty.png", "is empty"),
])
@pytest.mark.parametrize("htmx", [True, False])
def test_disguised_or_damaged_uploads_answer_422_with_the_message_and_store_nothing(
        client, world, owner, media_folder, data, name, message, htmx):
    response = post_file(client, data, name, htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html.replace("&#34;", '"').replace("&#39;", "'")
    assert 'id="form-error"' in html and "is-invalid" in html
    assert ("<html" in html) is not htmx
    assert count_items() == 0 and stored_files(media_folder) == []


def test_an_upload_without_a_file_is_refused(client, world, owner):
    response = client.post(f"{BASE}/upload", headers={"HX-Request": "true"}, data={"alt_text": "x"})
    assert response.status_code == 422 and "Choose a file to upload." in response.get_data(as_text=True)


def test_a_file_over_the_limit_is_413_with_the_limit_and_stores_nothing(app, client, world, owner, media_folder,
                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_MAX_BYTES", 2000)
    response = post_file(client, png_bytes() + b"\x00" * 3000, "big.png", htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "larger than the limit of 2 KB" in html
    assert "hx-swap-oob" in html  # a toast, since htmx does not swap a 413
    assert count_items() == 0 and stored_files(media_folder) == []


def test_a_request_body_beyond_max_content_length_is_413_not_500(app, client, world, owner, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5000)
    monkeypatch.setitem(app.config, "MEDIA_MAX_BYTES", 4000)
    response = post_file(client, b"\x00" * 20_000, "huge.png", htmx=True)
    assert response.status_code == 413
    assert "larger than the limit of 4 KB" in response.get_data(as_text=True)
    page = post_file(client, b"\x00" * 20_000, "huge.png")
    assert page.status_code == 413 and "larger than the limit" in page.get_data(as_text=True)
    assert count_items() == 0


def test_staff_without_the_media_permission_may_not_upload(client, world):
    sign_in(client, world.staff)
    assert client.get(f"{BASE}/").status_code == 403
    assert post_file(client, png_bytes(), "x.png").status_code == 403
    assert count_items() == 0


def test_the_media_pages_ask_to_sign_in(client, world):
    response = client.get(f"{BASE}/")
    assert response.status_code in (302, 303) and "/store/login" in response.location


# -- another store's items -----------------------------------------------------------------------
def test_an_item_of_another_store_is_404_in_every_admin_url(client, world, owner, usage_providers):
    theirs = add_item(world.other_store, "theirs.png")
    theirs_id = theirs.id
    for method, url in [("get", f"{BASE}/{theirs_id}/delete"), ("post", f"{BASE}/{theirs_id}/delete"),
                        ("post", f"{BASE}/{theirs_id}/alt-text"),
                        ("get", f"{BASE}/picker/choose?name=logo&media_id={theirs_id}"),
                        ("get", f"{BASE}/99999999999/delete"), ("get", f"{BASE}/picker/choose?name=logo&media_id=x")]:
        data = {"alt_text": "x"} if method == "post" else None
        assert getattr(client, method)(url, data=data).status_code == 404, url
    assert count_items() == 1
    # and the other store's admin is not this owner's at all
    assert client.get("/store/mode-lux/cms/media/").status_code == 404
    assert "theirs.png" not in client.get(f"{BASE}/?q=theirs").get_data(as_text=True)


# -- alt text ------------------------------------------------------------------------------------
def test_the_alt_text_is_saved_from_the_card_and_audited(client, world, owner, htmx_client):
    item = add_item(world.store)
    response = htmx_client.post(f"{BASE}/{item.id}/alt-text", data={"alt_text": "  Fresh bread\n"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<article") and 'value="Fresh bread"' in html
    assert "Description saved." in html
    db.session.expire_all()
    assert db.session.get(MediaItem, item.id).alt_text == "Fresh bread"
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "media.updated"))


# -- deleting ------------------------------------------------------------------------------------
def test_the_delete_dialog_lists_the_places_that_use_the_item(client, world, owner, htmx_client, usage_providers):
    item = add_item(world.store, "logo.png")
    media.register_usage(lambda store, media_id: ["Theme: logo", "Page: À propos"] if media_id == item.id else [])
    dialog = htmx_client.get(f"{BASE}/{item.id}/delete").get_data(as_text=True)
    assert 'data-in-use="true"' in dialog and "Theme: logo" in dialog and "Page: À propos" in dialog
    assert "hx-post" not in dialog
    refused = htmx_client.post(f"{BASE}/{item.id}/delete")
    assert refused.status_code == 409
    assert "Theme: logo, Page: À propos" in refused.get_data(as_text=True)
    assert count_items() == 1
    plain = client.post(f"{BASE}/{item.id}/delete")
    assert plain.status_code == 303 and count_items() == 1


def test_deleting_an_unused_item_removes_it_and_reloads_the_grid(client, world, owner, htmx_client, media_folder,
                                                               usage_providers):
    item = add_item(world.store, "old.png")
    item_id = item.id
    dialog = htmx_client.get(f"{BASE}/{item_id}/delete").get_data(as_text=True)
    assert 'data-in-use="false"' in dialog and f'hx-post="{BASE}/{item_id}/delete"' in dialog
    assert "data-close-modal" in dialog
    response = htmx_client.post(f"{BASE}/{item_id}/delete")
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "cms:media-changed"
    assert "“old.png” is deleted." in response.get_data(as_text=True)
    assert count_items() == 0 and stored_files(media_folder) == []
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "media.deleted")).user_id == world.owner.id
    assert htmx_client.post(f"{BASE}/{item_id}/delete").status_code == 404


# -- the picker ----------------------------------------------------------------------------------
def test_the_picker_lists_the_accepted_kind_with_search_and_pages(client, world, owner, htmx_client):
    for number in range(14):
        add_item(world.store, f"photo-{number:02d}.png")
    add_item(world.store, "tarifs.pdf", PDF)
    html = htmx_client.get(f"{BASE}/picker?name=logo_media_id&accept=image&label=Logo").get_data(as_text=True)
    assert 'id="media-picker-logo_media_id-results"' in html and 'data-total="14"' in html
    assert 'data-count="12"' in html and "tarifs.pdf" not in html and "<html" not in html
    assert 'hx-target="#media-picker-logo_media_id"' in html and 'data-bs-dismiss="modal"' in html
    assert 'hx-select="#media-picker-logo_media_id-results"' in html
    pdfs = htmx_client.get(f"{BASE}/picker?name=terms&accept=pdf&q=TARIF").get_data(as_text=True)
    assert 'data-count="1"' in pdfs and "tarifs.pdf" in pdfs
    page2 = htmx_client.get(f"{BASE}/picker?name=logo&page=2").get_data(as_text=True)
    assert 'data-count="2"' in page2
    assert htmx_client.get(f"{BASE}/picker?name=bad%20name").status_code == 400
    assert htmx_client.get(f"{BASE}/picker?name=logo&accept=exe").status_code == 400
    assert client.get(f"{BASE}/picker?name=logo").status_code == 200  # without htmx: a page


def test_choosing_re_renders_the_widget_with_the_item_and_remove_empties_it(client, world, owner, htmx_client):
    item = add_item(world.store, "logo.png")
    pdf = add_item(world.store, "terms.pdf", PDF)
    chosen = htmx_client.get(f"{BASE}/picker/choose?name=logo&accept=image&label=Logo&media_id={item.id}")
    html = chosen.get_data(as_text=True)
    assert chosen.status_code == 200
    assert html.lstrip().startswith('<div class="mb-3 media-picker" id="media-picker-logo"')
    assert f'name="logo" id="logo" value="{item.id}"' in html and "logo.png" in html and "Logo" in html
    assert f"/s/centre/media/{item.thumbnail_name}" in html and "Remove" in html
    assert "modal fade" not in html  # the modal stays where it is
    chosen_event = json.loads(chosen.headers["HX-Trigger-After-Swap"])  # after the swap: listeners read the value
    assert chosen_event == {"cms:media-chosen": {"name": "logo", "media_id": item.id}}
    removed = htmx_client.get(f"{BASE}/picker/choose?name=logo&accept=image").get_data(as_text=True)
    assert 'name="logo" id="logo" value=""' in removed and "None chosen" in removed
    assert htmx_client.get(f"{BASE}/picker/choose?name=logo&accept=image&media_id={pdf.id}").status_code == 404
    assert htmx_client.get(f"{BASE}/picker/choose?name=terms&accept=pdf&media_id={pdf.id}").status_code == 200


def test_the_picker_macro_renders_the_current_item_and_its_modal(app, world):
    item = add_item(world.store, "logo.png")
    other = add_item(world.other_store, "theirs.png")
    source = ('{% from "cms/media/_picker.html" import media_picker %}'
              '{{ media_picker("logo_media_id", value, label="Logo") }}')
    with app.test_request_context("/store/centre/cms/theme/"):
        app.preprocess_request()
        html = render_template_string(source, value=item.id)
        stale = render_template_string(source, value=other.id)
        empty = render_template_string(source, value=None)
    assert 'id="media-picker-logo_media_id"' in html and f'value="{item.id}"' in html
    assert 'id="media-picker-logo_media_id-modal"' in html
    # the form around it (a live preview's hx-include, hx-sync …) does not leak into the picker's requests
    assert html.count('hx-include="unset" hx-sync="unset"') == 2
    assert re.search(r'hx-get="/store/centre/cms/media/picker\?[^"]*name=logo_media_id', html)
    assert 'value=""' in stale and "theirs.png" not in stale  # another store's id shows as nothing chosen
    assert 'value=""' in empty and "None chosen" in empty
