"""The media library: uploads per store, checked by content, stored behind a storage interface.

An upload is read up to the size limit, its type is detected from its bytes (Pillow for images,
the ``%PDF-`` signature for PDFs) and must agree with its name; SVG is refused. The file (and, for
images, a WebP thumbnail) is stored first under generated names, then the row is written; if
anything fails, nothing is left behind.
"""
from __future__ import annotations

import io
import logging
import re
import secrets
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from flask import current_app, g, has_request_context, url_for
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, or_, select

from blueprints.cms.models.media import MediaItem
from blueprints.cms.services import storage
from webapp import pagination, tenancy
from webapp.extensions import db
from webapp.pagination import Page
from webapp.security import audit

log = logging.getLogger(__name__)

PAGE_SIZE = 24
THUMBNAIL_SIZE = 320
MAX_PIXELS = 40_000_000  # 40 megapixels: a photo from any camera, not a decompression bomb
MAX_ID = 2_147_483_647
ACCEPT = {"image": MediaItem.IMAGE, "pdf": MediaItem.PDF, "any": None}

# Only these decoders are ever tried (MPO, a camera's multi-picture JPEG, comes from the JPEG one).
DECODERS = ["JPEG", "PNG", "GIF", "WEBP"]
# Pillow format -> (content type, extension).
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "MPO": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
                 "GIF": ("image/gif", "gif"), "WEBP": ("image/webp", "webp")}
PDF_TYPE = ("application/pdf", "pdf")
# What a file may be called, by the extension of the type it really is.
EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "jpe": "jpg", "jfif": "jpg", "png": "png", "gif": "gif",
              "webp": "webp", "pdf": "pdf"}
TYPE_NAMES = {"jpg": "a JPEG image", "png": "a PNG image", "gif": "a GIF image", "webp": "a WebP image",
              "pdf": "a PDF document"}
ACCEPTED = "JPEG, PNG, GIF or WebP images and PDF documents"
# Public file names: <token>.<ext> for the file, <token>-thumb.webp for its thumbnail.
FILE_NAME = re.compile(r"^[0-9a-f]{32}(-thumb)?\.(jpg|png|gif|webp|pdf)$")
SNIFFED = ((b"MZ", "a Windows program"), (b"\x7fELF", "a program"), (b"PK\x03\x04", "a ZIP archive"),
           (b"<!doctype html", "an HTML page"), (b"<html", "an HTML page"), (b"<script", "a script"),
           (b"BM", "a BMP image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"))


class NotFound(tenancy.NotFound):
    """No such media item in this store (another store's item looks the same)."""


class MediaError(ValueError):
    """A refused upload or change; ``field`` names the form field, ``status`` the HTTP answer."""

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.field = field
        self.status = status


class MediaInUse(MediaError):
    """Deleting an item that pages or the theme still show; ``places`` says where."""

    def __init__(self, item: MediaItem, places: list[str]):
        super().__init__(f"“{item.original_name}” is still used, so it was not deleted: {', '.join(places)}. "
                         "Choose another file there first.", status=409)
        self.places = places


# -- where items are used ----------------------------------------------------------------------
# Other parts of the CMS (themes, pages) say where a media item is used, so that deleting it can be
# refused with the list of places: provider(store, media_id) -> ["Theme: logo", ...].
UsageProvider = Callable[[object, int], list[str]]
_usage_providers: list[UsageProvider] = []


def register_usage(provider: UsageProvider) -> None:
    if provider not in _usage_providers:
        _usage_providers.append(provider)


def usages(store, media_id: int) -> list[str]:
    return [place for provider in _usage_providers for place in provider(store, media_id)]


# -- reading -----------------------------------------------------------------------------------


def clean_text(value, limit: int) -> str:
    """One line of printable text (no NUL or control characters, which PostgreSQL or headers refuse)."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", str(value or "")) if ch.isprintable())
    return " ".join(text.split())[:limit]


def _kind(accept: str | None) -> str | None:
    return ACCEPT.get(accept or "any")


def list_items(store, search: str = "", page: int = 1, *, accept: str | None = None,
               per_page: int = PAGE_SIZE) -> Page:
    """The store's items, newest first, filtered by name or alt text and by kind (``accept``)."""
    query = select(MediaItem).where(MediaItem.store_id == store.id)
    search = clean_text(search, 100).lower()
    if search:
        query = query.where(or_(func.lower(MediaItem.original_name).contains(search, autoescape=True),
                                func.lower(MediaItem.alt_text).contains(search, autoescape=True)))
    kind = _kind(accept)
    if kind:
        query = query.where(MediaItem.kind == kind)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page, pages = pagination.clamp(page, total, per_page)
    items = db.session.scalars(query.order_by(MediaItem.created_at.desc(), MediaItem.id.desc())
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(items), total, page, pages)


def _as_id(media_id) -> int | None:
    try:
        value = int(media_id)
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None


def get_item(store, media_id, *, accept: str | None = None) -> MediaItem:
    """The store's item ``media_id`` (of the kind ``accept`` asks for); NotFound otherwise."""
    item_id = _as_id(media_id)
    item = db.session.get(MediaItem, item_id) if item_id else None
    kind = _kind(accept)
    if item is None or item.store_id != store.id or (kind and item.kind != kind):
        raise NotFound(media_id)
    return item


def find_item(store, media_id, *, accept: str | None = None) -> MediaItem | None:
    """Like get_item, but None for anything that is not the store's item (e.g. a form's empty value)."""
    try:
        return get_item(store, media_id, accept=accept)
    except NotFound:
        return None


def file_url(store, item: MediaItem, *, thumbnail: bool = False) -> str:
    """The public address of ``item`` (no query): its thumbnail when asked and there is one."""
    name = item.thumbnail_name if thumbnail and item.thumbnail_name else item.stored_name
    return url_for("cms_media_files.file", store_code=store.store_code, name=name)


def url_of(store, media_id: int | None, *, thumbnail: bool = False) -> str | None:
    """The public URL of a store's media item (None if it is not one of the store's items)."""
    if store is None:
        return None
    return urls_of(store, [media_id], thumbnail=thumbnail).get(_as_id(media_id))


def urls_of(store, media_ids: Iterable, *, thumbnail: bool = False) -> dict[int, str]:
    """Public URLs of several items in one query: {media_id: url}; ids of other stores are left out."""
    ids = {item_id for item_id in map(_as_id, media_ids) if item_id}
    cache = g.setdefault("cms_media_items", {}) if has_request_context() else {}
    missing = {item_id for item_id in ids if (store.id, item_id) not in cache}
    if missing:
        found = {item.id: item for item in db.session.scalars(
            select(MediaItem).where(MediaItem.store_id == store.id, MediaItem.id.in_(missing)))}
        for item_id in missing:
            cache[(store.id, item_id)] = found.get(item_id)
    return {item_id: file_url(store, cache[(store.id, item_id)], thumbnail=thumbnail)
            for item_id in ids if cache[(store.id, item_id)] is not None}


@dataclass
class MediaFile:
    """A stored file ready to be served: what to send it as."""

    key: str
    content_type: str
    disposition: str
    download_name: str
    etag: str


def find_file(store, name: str) -> MediaFile:
    """The file or thumbnail called ``name`` of ``store``; NotFound for anything else."""
    match = FILE_NAME.match(name or "")
    if not match:
        raise NotFound(name)
    thumbnail = bool(match.group(1))
    column = MediaItem.thumbnail_name if thumbnail else MediaItem.stored_name
    item = db.session.scalar(select(MediaItem).where(MediaItem.store_id == store.id, column == name))
    if item is None:
        raise NotFound(name)
    stem = item.original_name.rsplit(".", 1)[0] if "." in item.original_name else item.original_name
    if thumbnail:
        return MediaFile(_key(store.id, name), "image/webp", "inline", f"{stem}-thumbnail.webp", name)
    # PDFs are downloaded rather than shown in the platform's origin; images are shown.
    disposition = "inline" if item.is_image else "attachment"
    return MediaFile(_key(store.id, name), item.content_type, disposition, item.original_name, name)


def open_file(media_file: MediaFile) -> BinaryIO:
    """The stored bytes of ``media_file`` as a stream; NotFound if the storage lost them."""
    try:
        return storage.get_storage().open(media_file.key)
    except storage.MissingFile as exc:
        log.warning("Media file %s is missing from the storage", media_file.key)
        raise NotFound(media_file.key) from exc


def content_disposition(disposition: str, filename: str) -> str:
    """``inline; filename="ascii"; filename*=UTF-8''…`` (RFC 6266): both forms, for every browser."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(ch for ch in fallback if ch.isprintable() and ch not in '"\\') or "file"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# -- checking an upload ------------------------------------------------------------------------
@dataclass
class Detected:
    kind: str
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def clean_filename(filename: str) -> str:
    """The uploader's file name without folders or control characters, at most 200 characters."""
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = clean_text(name, 1000).strip(" .")
    if len(name) > 200:
        stem, _, extension = name.rpartition(".")
        name = f"{stem[:190]}.{extension[:9]}" if stem and len(extension) <= 9 else name[:200]
    return name


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<svg") or (head.startswith((b"<?xml", b"<!doctype svg", b"<!--"))
                                        and b"<svg" in head)


def _sniff(data: bytes) -> str | None:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return next((label for signature, label in SNIFFED if head.startswith(signature.lower())), None)


def _too_many_pixels(size: tuple[int, int]) -> bool:
    return size[0] * size[1] > MAX_PIXELS


def _read_image(data: bytes, name: str) -> Detected:
    """Decode the image fully (a damaged file fails here), read its size, make the thumbnail."""
    too_big = MediaError(f"“{name}” has too many pixels (at most {MAX_PIXELS // 1_000_000} megapixels). "
                         "Scale it down and upload it again.", "file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=DECODERS) as probe:
                if _too_many_pixels(probe.size):
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data), formats=DECODERS) as image:
                content_type, extension = IMAGE_FORMATS[image.format]
                width, height = image.size
                if image.getexif().get(0x0112) in (5, 6, 7, 8):  # shown rotated a quarter turn
                    width, height = height, width
                image.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))  # JPEG: decode at a smaller scale
                thumbnail = ImageOps.exif_transpose(image)
                thumbnail.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
                if thumbnail.mode not in ("RGB", "RGBA"):
                    thumbnail = thumbnail.convert("RGBA")
                buffer = io.BytesIO()
                thumbnail.save(buffer, "WEBP", quality=80)
    except MediaError:
        raise
    except UnidentifiedImageError:
        raise _not_accepted(data, name) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except Exception as exc:  # Pillow raises many types (OSError, SyntaxError, struct.error …) on bad input
        log.info("Refused damaged image %s: %r", name, exc)
        raise MediaError(f"“{name}” could not be read as an image: it seems damaged or incomplete. "
                         "Export it again and upload the new file.", "file") from None
    return Detected(MediaItem.IMAGE, content_type, extension, width, height, buffer.getvalue())


def _not_accepted(data: bytes, name: str) -> MediaError:
    what = _sniff(data)
    looks = f" (its content looks like {what})" if what else ""
    return MediaError(f"“{name}” is not one of the accepted file types{looks}. The media library takes "
                      f"{ACCEPTED}; the content decides, not the name.", "file")


def inspect(data: bytes, filename: str) -> Detected:
    """What ``data`` really is, if the library accepts it; MediaError with a clear message otherwise."""
    name = clean_filename(filename) or "The file"
    if not data:
        raise MediaError(f"“{name}” is empty.", "file")
    if _extension(name) == "svg" or _looks_like_svg(data):
        raise MediaError("SVG files are not accepted: they can carry scripts that would run on your store's "
                         "pages. Export the drawing as PNG or WebP and upload that.", "file")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise MediaError(f"“{name}” is an incomplete PDF (it does not end like one). "
                             "Upload the complete file.", "file")
        detected = Detected(MediaItem.PDF, *PDF_TYPE)
    else:
        detected = _read_image(data, name)
    extension = _extension(name)
    if extension and EXTENSIONS.get(extension) != detected.extension:
        raise MediaError(f"“{name}” is {TYPE_NAMES[detected.extension]}, but its name ends in .{extension}. "
                         f"Rename it to .{detected.extension} and upload it again.", "file")
    return detected


def _read_limited(stream: BinaryIO) -> bytes:
    limit = current_app.config["MEDIA_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise MediaError(f"The file is larger than the limit of {format_size(limit)}. "
                         "Make it smaller and upload it again.", "file", status=413)
    return data


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


# -- writing -----------------------------------------------------------------------------------
def _key(store_id: int, name: str) -> str:
    return f"{store_id}/{name}"


def _keys(item: MediaItem) -> list[str]:
    return [_key(item.store_id, name) for name in (item.stored_name, item.thumbnail_name) if name]


def _remove(keys: Iterable[str]) -> None:
    for key in keys:
        try:
            storage.get_storage().delete(key)
        except storage.StorageError:
            log.exception("Could not remove media file %s; it is left over in the storage", key)


def upload(store, filename: str, stream: BinaryIO | None, actor, *, alt_text: str = "") -> MediaItem:
    """Check and store one file; the row exists only if the files were stored, and vice versa."""
    if stream is None or not (filename or "").strip():
        raise MediaError("Choose a file to upload.", "file")
    data = _read_limited(stream)
    detected = inspect(data, filename)
    original_name = clean_filename(filename)
    if not _extension(original_name):
        original_name = f"{original_name}.{detected.extension}"
    token = secrets.token_hex(16)
    item = MediaItem(store_id=store.id, kind=detected.kind, content_type=detected.content_type,
                     stored_name=f"{token}.{detected.extension}",
                     thumbnail_name=f"{token}-thumb.webp" if detected.thumbnail else None,
                     original_name=original_name, size_bytes=len(data), width=detected.width,
                     height=detected.height, alt_text=clean_text(alt_text, 300),
                     uploaded_by_id=getattr(actor, "id", None))
    saved: list[str] = []
    try:
        files = [(item.stored_name, data, detected.content_type)]
        if detected.thumbnail:
            files.append((item.thumbnail_name, detected.thumbnail, "image/webp"))
        for name, content, content_type in files:
            key = _key(store.id, name)
            saved.append(key)
            storage.get_storage().save(key, content, content_type)
        db.session.add(item)
        db.session.flush()
        audit("media.uploaded", target=item.original_name, store=store, user=actor,
              details={"media_id": item.id, "content_type": item.content_type, "size_bytes": item.size_bytes})
        db.session.commit()
    except storage.StorageError as exc:
        db.session.rollback()
        _remove(saved)
        log.exception("Media upload to the storage failed")
        raise MediaError("The file could not be stored just now; nothing was saved. Please try again in a "
                         "moment.", "file", status=503) from exc
    except BaseException:
        db.session.rollback()
        _remove(saved)
        raise
    return item


def update_alt_text(store, media_id, alt_text: str, actor) -> MediaItem:
    item = get_item(store, media_id)
    item.alt_text = clean_text(alt_text, 300)
    audit("media.updated", target=item.original_name, store=store, user=actor,
          details={"media_id": item.id, "fields": ["alt_text"]})
    db.session.commit()
    return item


def delete_item(store, media_id, actor) -> MediaItem:
    """Delete an unused item and its files; MediaInUse (with the places) if something shows it."""
    item = get_item(store, media_id)
    places = usages(store, item.id)
    if places:
        raise MediaInUse(item, places)
    keys = _keys(item)
    db.session.delete(item)
    audit("media.deleted", target=item.original_name, store=store, user=actor,
          details={"media_id": item.id, "content_type": item.content_type})
    db.session.commit()
    _remove(keys)  # after the commit: a failed commit must not lose the files of a kept row
    if has_request_context():
        g.pop("cms_media_items", None)
    return item
