"""One page of a list, as every admin and shop list shows it: the rows, how many there are in all, which
page this is and how many pages there are."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    pages: int


def clamp(page: int | None, total: int, per_page: int) -> tuple[int, int]:
    """(the page to show, the number of pages): page 0, -3 or 999 of a list is its nearest real page."""
    pages = max(1, math.ceil(total / per_page))
    return min(max(page or 1, 1), pages), pages
