"""Content pages at three levels: platform pages, store defaults, store overrides."""
from __future__ import annotations


def navigation(store, language: str) -> dict[str, list[tuple[str, str]]]:
    """Published pages by placement: ``header_links``, ``footer_links``, ``legal_links`` as (label, url)."""
    return {"header_links": [], "footer_links": [], "legal_links": []}
