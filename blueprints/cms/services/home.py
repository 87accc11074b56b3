"""The storefront home page: an ordered list of sections the merchant edits.

Every write checks that the section belongs to the acting store (else ``NotFound``), validates
before it changes anything (``HomeError`` names the field at fault), keeps positions dense
(0..n-1, in one transaction), audits and commits.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from blueprints.cms.models import HomeSection
from blueprints.cms.services import media
from webapp import tenancy
from webapp.extensions import db
from webapp.i18n import LANGUAGES, store_languages
from webapp.models import User
from webapp.security import audit

KINDS = HomeSection.KINDS
KIND_LABELS = {"hero": "Hero", "text": "Text", "image_text": "Image + text", "cta": "Call to action"}
KIND_ICONS = {"hero": "megaphone", "text": "text-paragraph", "image_text": "card-image", "cta": "hand-index"}
KIND_HINTS = {"hero": "A large banner at the top: a title, a short text and a button.",
              "text": "A title and a few paragraphs.",
              "image_text": "An image from your media library beside a title and a text.",
              "cta": "A highlighted band that invites shoppers to click a button."}
BUTTON_KINDS = ("hero", "cta")  # the storefront shows a button on these only
IMAGE_KINDS = ("hero", "image_text")
WORDED_KINDS = ("hero", "text", "cta")  # need a title or a text; an image + text section may be the image alone
MAX_SECTIONS = 30
MAX_TITLE, MAX_TEXT, MAX_BUTTON_LABEL, MAX_BUTTON_URL = 200, 10_000, 80, 300
MAX_TEXT_SHOWN = f"{MAX_TEXT:,}".replace(",", " ")  # 10 000
MAX_ID = 2_147_483_647
WEB_SCHEMES = ("http", "https")
DIRECTIONS = ("up", "down")


class HomeError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(tenancy.NotFound):
    """Not a home section of this store: a 404."""


# -- reading -----------------------------------------------------------------------------------
def home_sections(store) -> list[HomeSection]:
    return list(db.session.scalars(select(HomeSection).where(HomeSection.store_id == store.id)
                                   .order_by(HomeSection.position, HomeSection.id)))


def get_section(store, section_id: int) -> HomeSection:
    section = db.session.get(HomeSection, section_id)
    if section is None or section.store_id != store.id:
        raise NotFound(section_id)
    return section


def section_label(section: HomeSection, number: int | None = None) -> str:
    """``Image + text section 2``: how the merchant recognises a section in messages."""
    return f"{KIND_LABELS.get(section.kind, section.kind)} section {(number or section.position + 1)}"


def media_usages(store, media_id: int) -> list[str]:
    """The media library refuses to delete an image that a home section shows."""
    sections = db.session.scalars(select(HomeSection).where(HomeSection.store_id == store.id,
                                                            HomeSection.image_media_id == media_id)
                                  .order_by(HomeSection.position, HomeSection.id))
    return [f"Home page: {KIND_LABELS.get(section.kind, section.kind).lower()} section {section.position + 1}"
            for section in sections]


media.register_usage(media_usages)


# -- validation --------------------------------------------------------------------------------
def clean_button_url(url: str) -> str:
    """A page of this store (``/pages/about``) or a web address; never ``javascript:``, ``data:``, ``//host``."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > MAX_BUTTON_URL:
        raise HomeError(f"The button link is longer than {MAX_BUTTON_URL} characters.", "button_url")
    # Browsers drop tabs and newlines inside URLs and read "\" as "/": "/\evil.example" leaves the store.
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 or char == "\\" for char in url):
        raise HomeError("The button link cannot contain spaces or backslashes.", "button_url")
    if url.startswith("/"):
        if url.startswith("//"):
            raise HomeError("Start a link to a page of this store with a single / (e.g. /pages/about).",
                            "button_url")
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() in WEB_SCHEMES and parts.netloc:
        return url
    raise HomeError("Use a link to a page of this store, starting with / (e.g. /pages/about), or a web address "
                    "starting with https://. Other links (javascript:, data:, …) are not allowed.", "button_url")


def _image_id(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        media_id = int(value)
    except (TypeError, ValueError):
        raise HomeError("Choose an image from your media library.", "image_media_id") from None
    if not 0 < media_id <= MAX_ID:
        raise HomeError("Choose an image from your media library.", "image_media_id")
    return media_id


def _clean(store, kind: str, data: dict) -> dict:
    if kind not in KINDS:
        raise HomeError(f"Choose a kind of section: {', '.join(KIND_LABELS.values())}.", "kind")
    languages = store_languages(store)
    default = languages[0]
    buttons = kind in BUTTON_KINDS
    button_url = clean_button_url(data.get("button_url") or "") if buttons else ""
    given = data.get("content") or {}
    in_default = given.get(default) or {}
    if kind in WORDED_KINDS and not ((in_default.get("title") or "").strip() or (in_default.get("text") or "").strip()):
        raise HomeError(f"Write a title or a text in {LANGUAGES[default]} (the default language).", f"title_{default}")
    content = {}
    for language in languages:
        values = given.get(language) or {}
        title = " ".join((values.get("title") or "").split())
        text = (values.get("text") or "").replace("\r\n", "\n").strip()
        button_label = " ".join((values.get("button_label") or "").split()) if buttons else ""
        if not (title or text or button_label):
            continue
        name = LANGUAGES[language]
        if len(title) > MAX_TITLE:
            raise HomeError(f"The {name} title is longer than {MAX_TITLE} characters.", f"title_{language}")
        if len(text) > MAX_TEXT:
            raise HomeError(f"The {name} text is longer than {MAX_TEXT_SHOWN} characters.", f"text_{language}")
        if len(button_label) > MAX_BUTTON_LABEL:
            raise HomeError(f"The {name} button label is longer than {MAX_BUTTON_LABEL} characters.",
                            f"button_label_{language}")
        if kind in WORDED_KINDS and not (title or text):
            raise HomeError(f"Give the {name} version a title or a text, or leave it empty.", f"title_{language}")
        if button_label and not button_url:
            raise HomeError("Add the link the button opens, or remove the button label.", "button_url")
        if button_url and not button_label:
            raise HomeError(f"Give the button a label in {name}: the link needs a button to show.",
                            f"button_label_{language}")
        content[language] = {"title": title, "text": text, "button_label": button_label}
    image_media_id = _image_id(data.get("image_media_id")) if kind in IMAGE_KINDS else None
    if image_media_id is not None and media.find_item(store, image_media_id, accept="image") is None:
        raise HomeError("Choose an image from your media library.", "image_media_id")
    if kind == "image_text" and image_media_id is None:
        raise HomeError("Choose an image from your media library.", "image_media_id")
    return {"content": content, "button_url": button_url, "image_media_id": image_media_id}


def _locked_sections(store, including: HomeSection | None = None) -> list[HomeSection]:
    """The store's sections in order, locked against a concurrent reorder (PostgreSQL); ``including``
    must still be among them (else it was deleted meanwhile: NotFound)."""
    sections = list(db.session.scalars(select(HomeSection).where(HomeSection.store_id == store.id)
                                   .order_by(HomeSection.position, HomeSection.id).with_for_update()
                                   .execution_options(populate_existing=True)))
    if including is not None and including not in sections:
        raise NotFound(including.id)
    return sections


def _renumber(sections: list[HomeSection]) -> None:
    for position, section in enumerate(sections):
        if section.position != position:
            section.position = position


# -- writing -----------------------------------------------------------------------------------
def add_section(store, kind: str, data: dict, actor: User) -> HomeSection:
    """A new section at the end of the home page."""
    sections = _locked_sections(store)
    if len(sections) >= MAX_SECTIONS:
        raise HomeError(f"A home page holds at most {MAX_SECTIONS} sections. Delete one to add another.")
    cleaned = _clean(store, kind, data)
    _renumber(sections)
    section = HomeSection(store_id=store.id, kind=kind, position=len(sections), **cleaned)
    db.session.add(section)
    db.session.flush()
    audit("cms.home_section_added", target=section_label(section), store=store, user=actor,
          details={"section": section.id, "kind": kind})
    db.session.commit()
    return section


def save_section(store, section: HomeSection, data: dict, actor: User) -> HomeSection:
    """Texts, button and image of a section; its kind stays. Texts in languages the store no longer
    offers are kept, so that enabling the language again brings them back."""
    if section.store_id != store.id:
        raise NotFound(section.id)
    cleaned = _clean(store, section.kind, data)
    offered = set(store_languages(store))
    kept = {language: values for language, values in (section.content or {}).items() if language not in offered}
    section.content = {**kept, **cleaned["content"]}  # a new dict: the JSON column sees the change
    section.button_url = cleaned["button_url"]
    section.image_media_id = cleaned["image_media_id"]
    audit("cms.home_section_saved", target=section_label(section), store=store, user=actor,
          details={"section": section.id, "kind": section.kind})
    db.session.commit()
    return section


def move_section(store, section_id: int, direction: str, actor: User) -> HomeSection:
    """One place up or down; every position is rewritten densely in the same transaction."""
    section = get_section(store, section_id)
    if direction not in DIRECTIONS:
        raise HomeError("Move a section up or down.", "direction")
    sections = _locked_sections(store, including=section)
    index = sections.index(section)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(sections):
        raise HomeError(f"This section is already the {'first' if direction == 'up' else 'last'}.")
    sections[index], sections[other] = sections[other], sections[index]
    _renumber(sections)
    audit("cms.home_section_moved", target=section_label(section), store=store, user=actor,
          details={"section": section.id, "direction": direction, "from": index, "to": other})
    db.session.commit()
    return section


def delete_section(store, section_id: int, actor: User) -> str:
    """Delete a section and close the gap; returns how the section was called, for the message."""
    section = get_section(store, section_id)
    sections = _locked_sections(store, including=section)
    label = section_label(section, sections.index(section) + 1)
    sections.remove(section)
    db.session.delete(section)
    db.session.flush()  # the row is gone before the others take its place
    _renumber(sections)
    audit("cms.home_section_deleted", target=label, store=store, user=actor,
          details={"section": section_id, "kind": section.kind})
    db.session.commit()
    return label

