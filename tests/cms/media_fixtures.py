"""Helpers of the media library tests: files of every kind (good, disguised, damaged), a small world
of two merchants, and the files a test left in the media folder."""
from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from blueprints.tenancy.models import MerchantMembership, Store, StoreMembership
from tests.tenancy.factories import TEST_PASSWORD, make_member, make_merchant, make_store
from webapp.extensions import db
from webapp.models import User
from webapp.security import hash_password, new_session_token

PASSWORD_HASH = hash_password(TEST_PASSWORD)  # hashed once: argon2 is slow on purpose


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), mode: str = "RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode in ("RGB", "RGBA") else 1).save(buffer, fmt, **save)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    return image_bytes("PNG", size)


def jpeg_bytes(size: tuple[int, int] = (40, 30), **save) -> bytes:
    return image_bytes("JPEG", size, **save)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size (a decompression bomb needs no more than its header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def make_user(email: str) -> User:
    user = User(email=email, name=email.split("@")[0].title(), password_hash=PASSWORD_HASH,
                session_token=new_session_token())
    db.session.add(user)
    db.session.commit()
    return user


@dataclass
class World:
    store: Store
    other_store: Store
    owner: User
    other_owner: User
    staff: User


def build_world(platform) -> World:
    merchant = make_merchant(platform, name="Boulangerie Test")
    other_merchant = make_merchant(platform, name="Mode Test")
    store = make_store(merchant, "centre", name="Boulangerie Centre")
    other_store = make_store(other_merchant, "mode-lux", name="Mode Lux")
    owner, other_owner, staff = (make_user("owner@boulangerie.test"), make_user("owner@mode.test"),
                                 make_user("staff@boulangerie.test"))
    make_member(owner, merchant, MerchantMembership.OWNER)
    make_member(other_owner, other_merchant, MerchantMembership.OWNER)
    make_member(staff, store, StoreMembership.STAFF)
    return World(store, other_store, owner, other_owner, staff)


def sign_in(client, user: User) -> None:
    response = client.post("/store/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303), response.status_code


def stored_files(folder: Path) -> list[str]:
    """Every file under the media folder (temporary upload files included), relative to it."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()) \
        if folder.exists() else []
