"""Markdown to safe HTML: markdown-it-py renders (raw HTML off), nh3 (ammonia) sanitises.

Two well-kept libraries instead of regular expressions: markdown-it-py is a CommonMark-compliant
parser, nh3 wraps the Rust ammonia sanitiser with an allow-list of tags, attributes and URL schemes.
"""
from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    ["table", "strikethrough"])

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
                "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
                      "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_MARKDOWN = 100_000


def render(markdown: str) -> Markup:
    """HTML for a page body; a heading level 1 becomes 2 (the page title is the only h1)."""
    html = _parser.render(markdown or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                            link_rel="noopener noreferrer"))


def plain_text(markdown: str, limit: int = 160) -> str:
    """A description for search engines when the page has none: the first words of its text."""
    text = " ".join(html.unescape(nh3.clean(_parser.render(markdown or ""), tags=set())).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
