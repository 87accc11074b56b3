"""Store themes: presets, colours, fonts from a safe list, logo and favicon, custom CSS.

The storefront receives a theme as one stylesheet of CSS variables (``theme.css?v=<digest>``, cached
for a year because the digest changes with the content); the admin preview receives the unsaved
values as a signed token in the URL of a preview stylesheet scoped to ``.theme-preview``. The CSP
(style-src 'self') allows neither inline styles nor style attributes, hence stylesheets both times.

Imported at start-up (the storefront shell and the theme routes use it), this module registers
``media_usage`` with the media library, which then refuses to delete a theme's logo or favicon.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, g, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blueprints.cms.models import StoreTheme
from blueprints.cms.services import media
from blueprints.cms.services.css import CssError, scope_css, scoped_file, validate_custom_css
from webapp.extensions import db
from webapp.security import audit


class ThemeError(ValueError):
    """Refused input; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# -- the safe lists --------------------------------------------------------------------------
@dataclass(frozen=True)
class Font:
    label: str
    stack: str


# System font stacks only (after modernfontstacks.com): nothing is downloaded from a third party.
FONTS: dict[str, Font] = {
    "system": Font(_l("System UI"),
                   'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'),
    "humanist": Font(_l("Humanist sans"),
                     'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif'),
    "geometric": Font(_l("Geometric sans"), 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif'),
    "rounded": Font(_l("Rounded sans"),
                    'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", '
                    '"Arial Rounded MT Bold", Calibri, source-sans-pro, sans-serif'),
    "industrial": Font(_l("Industrial"),
                       'Bahnschrift, "DIN Alternate", "Franklin Gothic Medium", "Nimbus Sans Narrow", '
                       'sans-serif-condensed, sans-serif'),
    "transitional": Font(_l("Transitional serif"), 'Charter, "Bitstream Charter", "Sitka Text", Cambria, serif'),
    "old_style": Font(_l("Old-style serif"), '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, serif'),
    "didone": Font(_l("Didone serif"), 'Didot, "Bodoni MT", "Noto Serif Display", "URW Palladio L", P052, Sylfaen, '
                                      'serif'),
    "monospace": Font(_l("Monospace"),
                      'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, "DejaVu Sans Mono", '
                      'monospace'),
}
RADII: dict[str, tuple[str, str]] = {
    "none": (_l("Square"), "0"),
    "small": (_l("Slightly rounded"), ".25rem"),
    "medium": (_l("Rounded"), ".5rem"),
    "large": (_l("Very rounded"), "1rem"),
}
COLOR_FIELDS = ("primary_color", "accent_color", "background_color", "text_color", "muted_color")
FONT_FIELDS = ("font_body", "font_heading")
DESIGN_FIELDS = (*COLOR_FIELDS, *FONT_FIELDS, "radius")  # what a preset sets
MEDIA_FIELDS = ("logo_media_id", "favicon_media_id")
FIELDS = ("preset", *DESIGN_FIELDS, *MEDIA_FIELDS, "custom_css")
FIELD_LABELS = {
    "preset": _l("Preset"), "primary_color": _l("Primary colour"), "accent_color": _l("Accent colour"),
    "background_color": _l("Background colour"), "text_color": _l("Text colour"), "muted_color": _l("Muted colour"),
    "font_body": _l("Body font"), "font_heading": _l("Heading font"), "radius": _l("Corners"),
    "logo_media_id": _l("Logo"), "favicon_media_id": _l("Favicon"), "custom_css": _l("Custom CSS"),
}
COLOR = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True)
class Preset:
    code: str
    label: str
    description: str
    primary_color: str
    accent_color: str
    background_color: str
    text_color: str
    muted_color: str
    font_body: str
    font_heading: str
    radius: str

    def values(self) -> dict:
        return {"preset": self.code, **{name: getattr(self, name) for name in DESIGN_FIELDS}}


PRESETS: dict[str, Preset] = {preset.code: preset for preset in (
    # classic is the storefront's built-in look (static/css/storefront.css): a store without a theme.
    Preset("classic", _l("Classic"), _l("Navy and orange on white, system fonts."),
           "#1f4e79", "#e07a1f", "#ffffff", "#1d2125", "#6c757d", "system", "system", "medium"),
    Preset("modern", _l("Modern"), _l("Indigo and cyan, geometric type, soft corners."),
           "#4f46e5", "#0891b2", "#f8fafc", "#0f172a", "#64748b", "humanist", "geometric", "large"),
    Preset("minimal", _l("Minimal"), _l("Black on white, square corners, nothing more."),
           "#111111", "#555555", "#ffffff", "#222222", "#767676", "humanist", "humanist", "none"),
    Preset("bold", _l("Bold"), _l("Red and yellow, condensed headings."),
           "#c8102e", "#ffb400", "#fffdf7", "#1b1b1b", "#5f5f5f", "system", "industrial", "small"),
    Preset("dark", _l("Dark"), _l("Light text on a dark background."),
           "#7aa2f7", "#f7768e", "#16161e", "#e6e6ef", "#9aa0b4", "system", "system", "medium"),
    Preset("elegant", _l("Elegant"), _l("Warm neutrals and serif type."),
           "#6b4e3d", "#a67c3d", "#fbf8f3", "#2b2522", "#6f655c", "old_style", "didone", "small"),
)}
DEFAULT_PRESET = "classic"


# -- reading ---------------------------------------------------------------------------------
def get_theme(store) -> StoreTheme | None:
    """The store's saved theme (read once per request), or None for the built-in look."""
    cache = g.setdefault("cms_themes", {}) if has_request_context() else {}
    if store.id not in cache:
        cache[store.id] = db.session.scalar(select(StoreTheme).where(StoreTheme.store_id == store.id))
    return cache[store.id]


def default_values() -> dict:
    return {**PRESETS[DEFAULT_PRESET].values(), "logo_media_id": None, "favicon_media_id": None, "custom_css": ""}


def theme_values(store) -> dict:
    theme = get_theme(store)
    if theme is None:
        return default_values()
    return {name: getattr(theme, name) for name in FIELDS}


def theme_for_editing(store) -> StoreTheme:
    """The saved theme, or an unsaved one with the default preset (never added to the session)."""
    return get_theme(store) or StoreTheme(store_id=store.id, **default_values())


def preset_values(data: dict, code: str) -> dict:
    """``data`` (form values) with the colours, fonts and corners of preset ``code``."""
    preset = PRESETS.get(code or "")
    if preset is None:
        raise ThemeError("Choose one of the presets.", "preset")
    return {**data, **preset.values()}


# -- validation ------------------------------------------------------------------------------
def _clean_field(store, name: str, value, base: dict):
    if name == "preset":
        if value not in PRESETS:
            raise ThemeError("Choose one of the presets.", name)
        return value
    if value is None and name in DESIGN_FIELDS:
        return base[name]  # not sent: the preset's value
    if name in COLOR_FIELDS:
        color = str(value).strip().lower()
        if not COLOR.match(color):
            raise ThemeError(f"Use a colour written as #rrggbb, for example {base[name]}.", name)
        return color
    if name in FONT_FIELDS:
        if value not in FONTS:
            raise ThemeError("Choose a font from the list.", name)
        return value
    if name == "radius":
        if value not in RADII:
            raise ThemeError("Choose one of the corner styles.", name)
        return value
    if name in MEDIA_FIELDS:
        return _media_image(store, value, name)
    if name == "custom_css":
        try:
            return validate_custom_css(value if isinstance(value, str) else "")
        except CssError as exc:
            raise ThemeError(str(exc), name) from exc
    raise ThemeError("Unknown field.", name)


def _media_image(store, value, name: str) -> int | None:
    """An image of the store's media library, by id; empty means none."""
    if value in (None, ""):
        return None
    item = media.find_item(store, value, accept="image")
    if item is None:
        raise ThemeError("Choose an image from your media library.", name)
    return item.id


def clean(store, data: dict) -> dict:
    """Every field checked; the first problem raises ThemeError naming its field."""
    preset = _clean_field(store, "preset", data.get("preset") or DEFAULT_PRESET, {})
    base = PRESETS[preset].values()
    return {"preset": preset, **{name: _clean_field(store, name, data.get(name), base) for name in FIELDS[1:]}}


def _lenient_clean(store, data: dict) -> tuple[dict, list[str]]:
    """For the preview: a refused field falls back to its preset/empty value, with the reason."""
    problems: list[str] = []
    try:
        preset = _clean_field(store, "preset", data.get("preset") or DEFAULT_PRESET, {})
    except ThemeError as exc:
        preset = DEFAULT_PRESET
        problems.append(f"{FIELD_LABELS['preset']}: {exc}")
    base = {**default_values(), **PRESETS[preset].values()}
    values = {"preset": preset}
    for name in FIELDS[1:]:
        try:
            values[name] = _clean_field(store, name, data.get(name), base)
        except ThemeError as exc:
            values[name] = base[name]
            problems.append(f"{FIELD_LABELS[name]}: {exc}")
    return values, problems


# -- writing ---------------------------------------------------------------------------------
def save_theme(store, data: dict, actor) -> StoreTheme:
    """Validate and store the theme; audited when something changed. Nothing is written on refusal."""
    values = clean(store, data)
    theme = db.session.scalar(select(StoreTheme).where(StoreTheme.store_id == store.id))
    created = theme is None
    if created:
        theme = StoreTheme(store_id=store.id)
        db.session.add(theme)
    changed = sorted(name for name in FIELDS if getattr(theme, name) != values[name])
    if not changed and not created:
        return theme
    for name, value in values.items():
        setattr(theme, name, value)
    audit("cms.theme_updated", target=store.store_code, store=store, user=actor,
          details={"preset": values["preset"], "fields": changed, "created": created})
    try:
        db.session.commit()
    except IntegrityError as exc:  # another editor saved this store's first theme a moment earlier
        db.session.rollback()
        raise ThemeError("Someone else saved the theme at the same moment; reload the page and try again.") \
            from exc
    if has_request_context():
        g.setdefault("cms_themes", {})[store.id] = theme
    return theme


# -- stylesheets -----------------------------------------------------------------------------
def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def stylesheet(values: dict, scope: str = ":root") -> str:
    """The theme as CSS variables on ``scope``, then the custom CSS. Every value comes from a safe list
    or matched #rrggbb, and the custom CSS was validated: nothing here can break out of its declaration."""
    declarations = {
        "--sf-primary": values["primary_color"],
        "--sf-accent": values["accent_color"],
        "--sf-background": values["background_color"],
        "--sf-text": values["text_color"],
        "--sf-muted": values["muted_color"],
        "--sf-font-body": FONTS[values["font_body"]].stack,
        "--sf-font-heading": FONTS[values["font_heading"]].stack,
        "--sf-radius": RADII[values["radius"]][1],
        # Bootstrap components (cards, inputs, dropdowns) follow the theme too.
        "--bs-body-bg": "var(--sf-background)",
        "--bs-body-color": "var(--sf-text)",
        "--bs-secondary-color": "var(--sf-muted)",
        "--bs-border-radius": "var(--sf-radius)",
        "color-scheme": "dark" if _luminance(values["background_color"]) < 0.2 else "light",
    }
    lines = [f"/* Store theme, preset {values['preset']} */", f"{scope} {{"]
    lines += [f"  {name}: {value};" for name, value in declarations.items()]
    lines.append("}")
    custom = values.get("custom_css") or ""
    if custom:
        lines += ["/* Custom CSS */", custom if scope == ":root" else scope_css(custom, scope)]
    return "\n".join(lines) + "\n"


def theme_css(store) -> tuple[str, str]:
    """The store's theme.css and its digest (the ``v`` of its URL and its ETag)."""
    css = stylesheet(theme_values(store))
    return css, hashlib.sha256(css.encode("utf-8")).hexdigest()[:16]


def shell_assets(store) -> dict:
    """What the storefront layout needs of the theme: ``theme_css_url``, ``logo_url``, ``favicon_url``."""
    theme = get_theme(store)
    if theme is None:  # the built-in look: storefront.css alone
        return {"theme_css_url": None, "logo_url": None, "favicon_url": None}
    _css, digest = theme_css(store)
    # One query for both images; the favicon's small thumbnail then comes from the per-request cache.
    urls = media.urls_of(store, [theme.logo_media_id, theme.favicon_media_id])
    return {
        "theme_css_url": url_for("cms_theme_assets.stylesheet", store_code=store.store_code, v=digest),
        "logo_url": urls.get(theme.logo_media_id),
        "favicon_url": media.url_of(store, theme.favicon_media_id, thumbnail=True)
        if theme.favicon_media_id in urls else None,
    }


# -- preview ---------------------------------------------------------------------------------
PREVIEW_SCOPE = ".theme-preview"
PREVIEW_MAX_AGE = 24 * 3600  # seconds a preview link stays valid
# Request lines beyond ~4 KB are refused by common servers (gunicorn: 4094 bytes).
PREVIEW_TOKEN_LIMIT = 3000
PREVIEW_FRAME = """
.theme-preview { display: block; min-height: 0; overflow: hidden; border: 1px solid rgba(0, 0, 0, .15);
  border-radius: .5rem; }
.theme-preview .sf-main { padding: 1.5rem 0; }
.theme-preview .sf-hero { margin-top: 0; padding: 2rem 0; }
"""


@dataclass
class Preview:
    token: str
    values: dict
    logo_url: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="cms.theme.preview")


def preview(store, data: dict) -> Preview:
    """The unsaved values as a signed token for ``preview_stylesheet``; refused fields fall back."""
    # One query for both images; checking them then finds them in the session.
    urls = media.urls_of(store, [data.get(name) for name in MEDIA_FIELDS])
    values, problems = _lenient_clean(store, data)
    payload = {"store": store.id, **{name: values[name] for name in ("preset", *DESIGN_FIELDS, "custom_css")}}
    token = _serializer().dumps(payload)
    notes = []
    if len(token) > PREVIEW_TOKEN_LIMIT:
        token = _serializer().dumps({**payload, "custom_css": ""})
        notes.append("Your custom CSS is too long to preview here; it applies to the storefront once you save.")
    ratio = contrast_ratio(values["text_color"], values["background_color"])
    if ratio < 4.5:
        notes.append(f"Text on the background has a contrast of {ratio:.1f}:1; at least 4.5:1 is easy to read.")
    return Preview(token=token, values=values, logo_url=urls.get(values["logo_media_id"]), problems=problems,
                   notes=notes)


def preview_stylesheet(store, token: str) -> str | None:
    """The preview's variables and custom CSS, scoped to ``.theme-preview``; None for a token that is not
    this store's, altered or expired."""
    try:
        payload = _serializer().loads(token or "", max_age=PREVIEW_MAX_AGE)
    except BadData:
        return None
    if not isinstance(payload, dict) or payload.get("store") != store.id:
        return None
    try:  # signed by us, checked again all the same
        values = clean(store, {name: payload.get(name) for name in ("preset", *DESIGN_FIELDS, "custom_css")})
    except ThemeError:
        return None
    return stylesheet(values, PREVIEW_SCOPE)


def preview_base_stylesheet() -> str:
    """The storefront's own look (static/css/storefront.css) scoped to ``.theme-preview``: the same for
    every preview, so browsers keep it while the variables change."""
    storefront = scoped_file(str(Path(current_app.static_folder) / "css" / "storefront.css"), PREVIEW_SCOPE)
    return f"{storefront}\n{PREVIEW_FRAME}"


# -- the media library asks where an item is used --------------------------------------------
def media_usage(store, media_id: int) -> list[str]:
    theme = db.session.scalar(select(StoreTheme).where(StoreTheme.store_id == store.id))
    if theme is None:
        return []
    return [place for place, used in (("Theme: logo", theme.logo_media_id), ("Theme: favicon", theme.favicon_media_id))
            if used == media_id]


media.register_usage(media_usage)
