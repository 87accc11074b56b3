"""The media library's services: what an upload is (by content), what is stored, what is refused."""
from __future__ import annotations

import io

import pytest
from flask import current_app
from sqlalchemy import func, select

from blueprints.cms.models.media import MediaItem
from blueprints.cms.services import media, storage
from tests.cms.media_fixtures import (
    EXE,
    HTML,
    PDF,
    SVG,
    build_world,
    image_bytes,
    jpeg_bytes,
    png_bytes,
    png_header_only,
    stored_files,
)
from webapp.extensions import db
from webapp.models import AuditLog


@pytest.fixture
def media_folder(app, tmp_path, monkeypatch):
    folder = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(folder))
    return folder


@pytest.fixture
def world(platform, media_folder):
    return build_world(platform)


@pytest.fixture
def usage_providers(monkeypatch):
    """A clean list of usage providers for the test; the ones other modules registered come back after."""
    providers: list = []
    monkeypatch.setattr(media, "_usage_providers", providers)
    return providers


def upload(world, data: bytes, name: str, **kwargs) -> MediaItem:
    with in_request():
        return media.upload(world.store, name, io.BytesIO(data), world.owner, **kwargs)


def in_request():
    """url_for and the per-request cache need a request; the services get the store as an argument."""
    return current_app.test_request_context("/")


def count_items() -> int:
    return db.session.scalar(select(func.count(MediaItem.id)))


# -- what a file is ------------------------------------------------------------------------------
@pytest.mark.parametrize("data, name, kind, content_type, extension", [
    (png_bytes(), "logo.png", "image", "image/png", "png"),
    (jpeg_bytes(), "Photo.JPEG", "image", "image/jpeg", "jpg"),
    (image_bytes("GIF", mode="P"), "anim.gif", "image", "image/gif", "gif"),
    (image_bytes("WEBP", mode="RGBA"), "hero.webp", "image", "image/webp", "webp"),
    (PDF, "terms.pdf", "pdf", "application/pdf", "pdf"),
    (png_bytes(), "no-extension", "image", "image/png", "png"),
])
def test_accepted_types_are_detected_from_the_content(app, data, name, kind, content_type, extension):
    detected = media.inspect(data, name)
    assert (detected.kind, detected.content_type, detected.extension) == (kind, content_type, extension)
    assert (detected.thumbnail is not None) == (kind == "image")


def test_an_image_gets_its_dimensions_and_a_webp_thumbnail_of_at_most_320_px(app):
    from PIL import Image

    detected = media.inspect(png_bytes((1000, 500)), "wide.png")
    assert (detected.width, detected.height) == (1000, 500)
    thumbnail = Image.open(io.BytesIO(detected.thumbnail))
    assert thumbnail.format == "WEBP" and thumbnail.size == (320, 160)


def test_dimensions_follow_the_exif_orientation(app):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # rotated a quarter turn: a portrait photo stored landscape
    detected = media.inspect(jpeg_bytes((400, 200), exif=exif.tobytes()), "portrait.jpg")
    assert (detected.width, detected.height) == (200, 400)
    assert Image.open(io.BytesIO(detected.thumbnail)).size == (160, 320)


@pytest.mark.parametrize("data, name, message", [
    (png_bytes(), "invoice.pdf", "is a PNG image, but its name ends in .pdf"),
    (PDF, "photo.jpg", "is a PDF document, but its name ends in .jpg"),
    (jpeg_bytes(), "photo.png", "is a JPEG image, but its name ends in .png"),
    (png_bytes(), "notes.txt", "its name ends in .txt"),
    (HTML, "cat.jpg", "its content looks like an HTML page"),
    (EXE, "cat.jpg", "its content looks like a Windows program"),
    (b"just some text", "cat.png", "is not one of the accepted file types"),
    (image_bytes("BMP"), "old.bmp", "its content looks like a BMP image"),
    (SVG, "icon.svg", "SVG files are not accepted: they can carry scripts"),
    (SVG, "icon.png", "SVG files are not accepted"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.jpg", "SVG files are not accepted"),
    (png_bytes((200, 200))[:-60], "cut.png", "seems damaged or incomplete"),
    (jpeg_bytes((300, 300))[:400], "cut.jpg", "seems damaged or incomplete"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "header.png", "not one of the accepted file types"),
    (png_header_only(20_000, 20_000), "bomb.png", "has too many pixels"),
    (png_header_only(60_000, 60_000), "bigger-bomb.png", "has too many pixels"),
    (PDF[:-7], "cut.pdf", "incomplete PDF"),
    (b"", "empty.png", "is empty"),
])
def test_disguised_damaged_and_unsafe_files_are_refused_with_a_clear_message(app, data, name, message):
    with pytest.raises(media.MediaError) as refused:
        media.inspect(data, name)
    assert message in str(refused.value)
    assert refused.value.field == "file" and refused.value.status == 422


@pytest.mark.parametrize("given, expected", [
    ("C:\\Users\\me\\Desktop\\photo.jpg", "photo.jpg"),
    ("../../etc/passwd.png", "passwd.png"),
    ("  lo\x00go\n.png ", "logo.png"),
    ("Crème brûlée.webp", "Crème brûlée.webp"),
    ("a" * 300 + ".png", "a" * 190 + ".png"),
    ("...", ""),
])
def test_file_names_are_cleaned(given, expected):
    assert media.clean_filename(given) == expected


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    assert media.content_disposition("inline", 'Crème "brûlée".webp') == \
        "inline; filename=\"Creme brulee.webp\"; filename*=UTF-8''Cr%C3%A8me%20%22br%C3%BBl%C3%A9e%22.webp"


# -- uploading -----------------------------------------------------------------------------------
def test_an_upload_stores_the_file_and_its_thumbnail_under_generated_names_then_the_row(world, media_folder):
    item = upload(world, png_bytes((640, 480)), "../Logo Boulangerie.png", alt_text="Our\x00 logo ")
    assert item.kind == "image" and item.content_type == "image/png"
    assert item.original_name == "Logo Boulangerie.png" and item.alt_text == "Our logo"
    assert (item.width, item.height) == (640, 480) and item.size_bytes == len(png_bytes((640, 480)))
    assert item.stored_name != item.original_name and item.stored_name.endswith(".png")
    assert item.thumbnail_name == item.stored_name.replace(".png", "-thumb.webp")
    assert stored_files(media_folder) == sorted([f"{world.store.id}/{item.stored_name}",
                                                 f"{world.store.id}/{item.thumbnail_name}"])
    assert (media_folder / str(world.store.id) / item.stored_name).read_bytes() == png_bytes((640, 480))
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "media.uploaded"))
    assert entry.store_id == world.store.id and entry.user_id == world.owner.id
    assert entry.details["media_id"] == item.id


def test_a_pdf_has_no_thumbnail_nor_dimensions(world, media_folder):
    item = upload(world, PDF, "Conditions générales.pdf")
    assert (item.kind, item.width, item.height, item.thumbnail_name) == ("pdf", None, None, None)
    assert stored_files(media_folder) == [f"{world.store.id}/{item.stored_name}"]


def test_a_file_over_the_size_limit_is_refused_before_anything_is_stored(app, world, media_folder, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_MAX_BYTES", 1000)
    with pytest.raises(media.MediaError) as refused:
        upload(world, png_bytes((400, 400)) + b"\x00" * 1000, "big.png")
    assert "larger than the limit of 1000 bytes" in str(refused.value) and refused.value.status == 413
    assert count_items() == 0 and stored_files(media_folder) == []


@pytest.mark.parametrize("data, name", [(png_bytes(), "disguised.pdf"), (HTML, "page.jpg"), (SVG, "x.svg"),
                                        (png_bytes((100, 100))[:-30], "cut.png")])
def test_a_refused_upload_leaves_no_row_and_no_file(world, media_folder, data, name):
    with pytest.raises(media.MediaError):
        upload(world, data, name)
    assert count_items() == 0 and stored_files(media_folder) == []


def test_when_the_storage_fails_half_way_the_stored_part_is_removed(world, media_folder, monkeypatch):
    real_save = storage.LocalStorage.save

    def save_then_fail(self, key, data, content_type):
        if key.endswith("-thumb.webp"):
            raise storage.StorageError("disk full")
        real_save(self, key, data, content_type)

    monkeypatch.setattr(storage.LocalStorage, "save", save_then_fail)
    with pytest.raises(media.MediaError) as refused:
        upload(world, png_bytes(), "logo.png")
    assert "could not be stored" in str(refused.value) and refused.value.status == 503
    assert count_items() == 0 and stored_files(media_folder) == []


def test_when_the_row_cannot_be_written_the_stored_files_are_removed(world, media_folder, monkeypatch):
    def failing_audit(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(media, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        upload(world, png_bytes(), "logo.png")
    assert count_items() == 0 and stored_files(media_folder) == []


# -- reading -------------------------------------------------------------------------------------
def test_items_are_scoped_to_their_store(world):
    item = upload(world, png_bytes(), "logo.png")
    with in_request():
        assert media.get_item(world.store, item.id) is item
        for bad in (item.id + 1, "abc", None, 0, -1, 2 ** 40):
            with pytest.raises(media.NotFound):
                media.get_item(world.store, bad)
        with pytest.raises(media.NotFound):
            media.get_item(world.other_store, item.id)
        with pytest.raises(media.NotFound):
            media.get_item(world.store, item.id, accept="pdf")
        assert media.url_of(world.store, item.id) == f"/s/centre/media/{item.stored_name}"
        assert media.url_of(world.store, str(item.id), thumbnail=True) == f"/s/centre/media/{item.thumbnail_name}"
        assert media.url_of(world.other_store, item.id) is None
        assert media.url_of(world.store, None) is None and media.url_of(world.store, "") is None


def test_urls_of_several_items_cost_one_query(world, count_queries):
    ids = [upload(world, png_bytes(), f"image-{n}.png").id for n in range(3)]
    assert world.store.store_code  # loaded before counting (the commits expired it)
    with in_request(), count_queries() as counter:
        urls = media.urls_of(world.store, [*ids, 999999])
        assert media.url_of(world.store, ids[0]) == urls[ids[0]]  # from the request's cache
    assert sorted(urls) == sorted(ids)
    assert counter.count == 1


def test_the_list_is_newest_first_searchable_by_name_and_description_and_paginated(world):
    for number in range(30):
        upload(world, png_bytes(), f"photo-{number:02d}.png")
    upload(world, PDF, "Tarifs 100%_promo.pdf", alt_text="")
    upload(world, png_bytes(), "shop.png", alt_text="The shop window")
    first = media.list_items(world.store, "", 1)
    assert (first.total, first.pages, len(first.items)) == (32, 2, 24)
    assert first.items[0].original_name == "shop.png"
    assert len(media.list_items(world.store, "", 99).items) == 8  # past the end: the last page
    assert [i.original_name for i in media.list_items(world.store, "WINDOW").items] == ["shop.png"]
    assert [i.original_name for i in media.list_items(world.store, "100%_").items] == ["Tarifs 100%_promo.pdf"]
    assert media.list_items(world.store, "%").total == 1  # % is searched for, not a wildcard
    assert media.list_items(world.store, "photo\x00").total == 30  # no NUL reaches the database
    assert media.list_items(world.store, "", accept="pdf").total == 1
    assert media.list_items(world.other_store, "").total == 0


# -- deleting ------------------------------------------------------------------------------------
def test_deleting_an_item_in_use_is_refused_with_the_places(world, media_folder, usage_providers):
    item = upload(world, png_bytes(), "logo.png")
    media.register_usage(lambda store, media_id: ["Theme: logo"] if media_id == item.id else [])
    media.register_usage(lambda store, media_id: ["Page: About us"] if store.id == world.store.id else [])
    with in_request(), pytest.raises(media.MediaInUse) as refused:
        media.delete_item(world.store, item.id, world.owner)
    assert refused.value.places == ["Theme: logo", "Page: About us"]
    assert "Theme: logo, Page: About us" in str(refused.value) and refused.value.status == 409
    assert count_items() == 1 and len(stored_files(media_folder)) == 2


def test_deleting_an_unused_item_removes_row_and_files_and_is_audited(world, media_folder, usage_providers):
    item = upload(world, png_bytes(), "logo.png")
    item_id = item.id
    with in_request():
        media.delete_item(world.store, item_id, world.owner)
        assert media.url_of(world.store, item_id) is None
    assert count_items() == 0 and stored_files(media_folder) == []
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "media.deleted"))
    assert entry.details["media_id"] == item_id and entry.store_id == world.store.id


def test_another_store_cannot_delete_or_edit_an_item(world, usage_providers):
    item = upload(world, png_bytes(), "logo.png")
    with in_request():
        with pytest.raises(media.NotFound):
            media.delete_item(world.other_store, item.id, world.other_owner)
        with pytest.raises(media.NotFound):
            media.update_alt_text(world.other_store, item.id, "mine now", world.other_owner)
    assert count_items() == 1


# -- the local storage ---------------------------------------------------------------------------
def test_local_storage_refuses_keys_outside_its_folder(tmp_path):
    local = storage.LocalStorage(tmp_path)
    for key in ("../escape.png", "/etc/passwd", "1/../../x.png", "1/.hidden", "abc/x.png", ""):
        with pytest.raises(storage.StorageError):
            local.save(key, b"x", "image/png")
    local.save("7/a.png", b"data", "image/png")
    assert local.read("7/a.png") == b"data" and local.exists("7/a.png")
    local.delete("7/a.png")
    local.delete("7/a.png")  # already gone: fine
    assert not local.exists("7/a.png")
    with pytest.raises(storage.MissingFile):
        local.open("7/a.png")
