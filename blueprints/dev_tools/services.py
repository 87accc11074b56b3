"""Component examples and the icon index (read from the vendored Bootstrap Icons map)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from markupsafe import Markup

from webapp.config import PROJECT_ROOT

ICON_MAP = PROJECT_ROOT / "static" / "vendor" / "bootstrap-icons" / "bootstrap-icons.json"
ICON_LIMIT = 240


@dataclass(frozen=True)
class Example:
    group: str
    title: str
    call: str


EXAMPLES: tuple[Example, ...] = (
    Example("Buttons", "Primary button", '{{ ui.button("Save", icon="check-lg") }}'),
)


def render_examples() -> list[tuple[Example, Markup]]:
    """Each example with the HTML its exact call produces."""
    env = current_app.jinja_env
    return [(example, Markup(env.from_string(example.call).render())) for example in EXAMPLES]


@lru_cache(maxsize=1)
def all_icons() -> tuple[str, ...]:
    return tuple(sorted(json.loads(ICON_MAP.read_text(encoding="utf-8"))))


def search_icons(query: str) -> list[str]:
    words = query.lower().split()
    found = [name for name in all_icons() if all(word in name for word in words)]
    return found[:ICON_LIMIT]
