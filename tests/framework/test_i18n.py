"""Languages: every shopper-facing string is marked for translation and translated; language choice."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from webapp.config import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "templates"
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
CLASS_BLOCK = re.compile(r"{%-?\s*block body_class\s*-?%}.*?{%-?\s*endblock\s*-?%}", re.DOTALL)  # a CSS class
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
TRANSLATED_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
SHOPPER_FOLDERS = ("catalog/shop/", "catalog/cart/")  # shopper-facing folders not named "storefront"


def storefront_templates() -> list[Path]:
    """The storefront layout and every template shoppers see (by folder name, plus the shop and cart pages)."""
    names = {path: path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")}
    return sorted(path for path, name in names.items() if "storefront" in name or name.startswith(SHOPPER_FOLDERS))


class UnmarkedText(HTMLParser):
    """Text and translated attributes that carry words outside any Jinja expression."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data):
        if LETTERS.search(data):
            self.found.append(data.strip())

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in TRANSLATED_ATTRIBUTES and value and LETTERS.search(value):
                self.found.append(f'{name}="{value}"')


def unmarked_strings(source: str) -> list[str]:
    parser = UnmarkedText()
    parser.feed(JINJA.sub("\x00", CLASS_BLOCK.sub("", source)))  # whatever Jinja outputs is checked where it is written
    return parser.found


def test_the_check_finds_unmarked_text():
    assert unmarked_strings('<p>Hello</p><img alt="Logo"><p>{{ _("Fine") }} · 2026</p>') == ["Hello", 'alt="Logo"']


@pytest.mark.parametrize("template", storefront_templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_storefront_templates_mark_every_string_for_translation(template):
    assert unmarked_strings(template.read_text()) == []


def test_the_storefront_layout_is_checked():
    assert TEMPLATES / "layouts" / "storefront.html" in storefront_templates()


def test_the_shop_and_cart_pages_are_checked():
    checked = storefront_templates()
    assert TEMPLATES / "catalog" / "shop" / "product.html" in checked
    assert TEMPLATES / "catalog" / "cart" / "index.html" in checked
    assert TEMPLATES / "catalog" / "products" / "index.html" not in checked  # the store admin is en/fr/de only


def storefront_messages() -> set[tuple[str, str | None]]:
    """(msgid, context) of the shopper-facing templates; a plural entry by its singular, as the catalog keys it."""
    messages = set()
    for template in storefront_templates():
        for _line, message, _comments, context in extract_from_file("jinja2", str(template)):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                messages.add((msgid, context))
    return messages


def is_translated(entry) -> bool:
    """Translated, not fuzzy, and every plural form filled in."""
    if entry is None or entry.fuzzy:
        return False
    return all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)


@pytest.mark.parametrize("language", ["fr", "de", "lb"])
def test_every_storefront_string_is_translated(language):
    with open(PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = sorted(msgid for msgid, context in storefront_messages()
                     if not is_translated(catalog.get(msgid, context)))
    assert missing == [], f"{len(missing)} storefront strings lack a {language} translation (make translations-extract)"
