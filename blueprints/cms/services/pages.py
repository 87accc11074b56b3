"""Content pages at three levels: platform pages, store defaults, store overrides.

A storefront asks for a slug: the store's own page wins (an unpublished override hides the page),
else the platform's default. Editing a default from a store creates the store's override; reverting
deletes the override so the default shows again. Every save keeps a revision that can be restored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from blueprints.cms.models import Page, PageRevision, PageTranslation
from blueprints.cms.services import markdown
from blueprints.cms.services.defaults import DEFAULT_PAGES
from webapp import tenancy
from webapp.extensions import db
from webapp.i18n import LANGUAGES
from webapp.models import Platform, User, utcnow
from webapp.security import audit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE, MAX_SEO_TITLE, MAX_SEO_DESCRIPTION = 200, 200, 300


class PageError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(tenancy.NotFound):
    """Not a page of this store (or platform): a 404."""


@dataclass(frozen=True)
class PageRow:
    """One line of a store's page list: its own page, its override of a default, or a default as is."""

    page: Page
    source: str  # "own" | "override" | "default"

    @property
    def editable_here(self) -> bool:
        return self.source != "default"


# -- reading -----------------------------------------------------------------------------------
def _with_translations(query):
    return query.options(selectinload(Page.translations))


def store_pages(store) -> list[PageRow]:
    """The store's pages and the defaults it has not overridden, ordered by placement and position.

    Read once per request: the navigation, the page itself and the sitemap share it.
    """
    cache = g.setdefault("cms_store_pages", {}) if has_request_context() else {}
    if store.id not in cache:
        cache[store.id] = _load_store_pages(store)
    return cache[store.id]


def forget_store_pages() -> None:
    if has_request_context():
        g.pop("cms_store_pages", None)


def _load_store_pages(store) -> list[PageRow]:
    # Bodies stay unloaded: the navigation needs titles only, a page view loads its one body.
    pages = db.session.scalars(select(Page).options(
        selectinload(Page.translations).defer(PageTranslation.body)).where(
        Page.platform_id == store.platform_id,
        or_(Page.store_id == store.id, Page.scope == Page.DEFAULT),
    )).all()
    own = {p.slug: p for p in pages if p.store_id == store.id}
    defaults = {p.slug for p in pages if p.scope == Page.DEFAULT}
    rows = [PageRow(p, "override" if p.slug in defaults else "own") for p in own.values()]
    rows += [PageRow(p, "default") for p in pages if p.scope == Page.DEFAULT and p.slug not in own]
    order = {placement: index for index, placement in enumerate(("header", "footer", "legal", "none"))}
    return sorted(rows, key=lambda row: (order[row.page.placement], row.page.position, row.page.slug))


def get_store_page(store, page_id: int) -> Page:
    """A page the store admin may open: the store's own, or a default of its platform."""
    page = db.session.get(Page, page_id)
    if page is None or page.platform_id != store.platform_id or not (
            page.store_id == store.id or page.scope == Page.DEFAULT):
        raise NotFound(page_id)
    return page


def default_for(page: Page) -> Page | None:
    if page.scope != Page.STORE:
        return None
    return db.session.scalar(select(Page).where(Page.platform_id == page.platform_id, Page.scope == Page.DEFAULT,
                                                Page.slug == page.slug))


def live_page(store, slug: str, now: datetime | None = None) -> Page | None:
    """What a shopper sees at ``slug``: the store's page if it has one, else the platform's default."""
    page = next((row.page for row in store_pages(store) if row.page.slug == slug), None)
    return page if page is not None and page.is_live(now or utcnow()) else None


def live_pages(store, now: datetime | None = None) -> list[Page]:
    """Every page a shopper can open in this store, each slug once (overrides replace defaults)."""
    now = now or utcnow()
    rows = store_pages(store)
    return [row.page for row in rows if row.page.is_live(now)]


def navigation(store, language: str) -> dict[str, list[tuple[str, str]]]:
    """Published pages by placement: ``header_links``, ``footer_links``, ``legal_links`` as (label, url)."""
    links: dict[str, list[tuple[str, str]]] = {"header_links": [], "footer_links": [], "legal_links": []}
    for page in live_pages(store):
        key = f"{page.placement}_links"
        if key in links:
            translation = page.translation(language, store.default_language)
            links[key].append((translation.title if translation else page.slug,
                               url_for("cms_storefront.page", slug=page.slug)))
    return links


def revisions(page: Page) -> list[PageRevision]:
    return list(db.session.scalars(select(PageRevision).where(PageRevision.page_id == page.id)
                                   .order_by(PageRevision.number.desc())))


# -- writing -----------------------------------------------------------------------------------
def _clean(data: dict, languages: list[str], default_language: str | None) -> dict:
    """Checked page values; ``default_language`` None (platform pages): any one language will do."""
    slug = (data.get("slug") or "").strip().lower()
    if not SLUG.match(slug) or len(slug) > 80:
        raise PageError("Use lower-case letters, digits and single hyphens for the address (e.g. about-us).", "slug")
    placement = data.get("placement") or "none"
    if placement not in Page.PLACEMENTS:
        raise PageError("Choose where the page is linked: header, footer, legal or nowhere.", "placement")
    try:
        position = int(data.get("position") or 0)
    except (TypeError, ValueError):
        raise PageError("The order is a whole number.", "position") from None
    if not -1000 <= position <= 1000:
        raise PageError("The order is a whole number between -1000 and 1000.", "position")
    translations = {}
    for language in languages:
        values = (data.get("translations") or {}).get(language) or {}
        title = " ".join((values.get("title") or "").split())
        body = (values.get("body") or "").replace("\r\n", "\n")
        seo_title = " ".join((values.get("seo_title") or "").split())
        seo_description = " ".join((values.get("seo_description") or "").split())
        if not (title or body):
            continue
        name = LANGUAGES[language]
        if not title:
            raise PageError(f"Give the {name} version a title, or leave its text empty too.", f"title_{language}")
        for value, limit, label, field in ((title, MAX_TITLE, "title", "title"),
                                           (seo_title, MAX_SEO_TITLE, "search title", "seo_title"),
                                           (seo_description, MAX_SEO_DESCRIPTION, "search description",
                                            "seo_description")):
            if len(value) > limit:
                raise PageError(f"The {name} {label} is longer than {limit} characters.", f"{field}_{language}")
        if len(body) > markdown.MAX_MARKDOWN:
            raise PageError(f"The {name} text is longer than {markdown.MAX_MARKDOWN // 1000} KB.", f"body_{language}")
        translations[language] = {"title": title, "body": body, "seo_title": seo_title,
                                  "seo_description": seo_description}
    if default_language is None and not translations:
        raise PageError("Write the page in at least one language.", f"title_{languages[0]}")
    if default_language is not None and default_language not in translations:
        raise PageError(f"Write at least the {LANGUAGES[default_language]} version (the default language).",
                        f"title_{default_language}")
    publish_at = data.get("publish_at") or None
    if publish_at is not None and not isinstance(publish_at, datetime):
        raise PageError("Enter the publication date as YYYY-MM-DD HH:MM.", "publish_at")
    return {"slug": slug, "placement": placement, "position": position, "translations": translations,
            "published": bool(data.get("published")), "publish_at": publish_at}


def _apply(page: Page, cleaned: dict) -> None:
    page.slug, page.placement, page.position = cleaned["slug"], cleaned["placement"], cleaned["position"]
    page.published, page.publish_at = cleaned["published"], cleaned["publish_at"]
    existing = {t.language: t for t in page.translations}
    for language, values in cleaned["translations"].items():
        translation = existing.pop(language, None) or PageTranslation(language=language)
        for key, value in values.items():
            setattr(translation, key, value)
        if translation.page is None:
            page.translations.append(translation)
    for stale in existing.values():
        page.translations.remove(stale)


def snapshot(page: Page) -> dict:
    return {"slug": page.slug, "placement": page.placement, "position": page.position,
            "published": page.published,
            "publish_at": page.publish_at.isoformat() if page.publish_at else None,
            "translations": {t.language: {"title": t.title, "body": t.body, "seo_title": t.seo_title,
                                          "seo_description": t.seo_description} for t in page.translations}}


def _revise(page: Page, actor: User | None, note: str) -> PageRevision:
    db.session.flush()
    number = (db.session.scalar(select(func.max(PageRevision.number)).where(PageRevision.page_id == page.id)) or 0)
    revision = PageRevision(page_id=page.id, number=number + 1, snapshot=snapshot(page),
                            author_id=actor.id if actor else None, note=note)
    db.session.add(revision)
    return revision


def _commit() -> None:
    forget_store_pages()
    db.session.commit()


def _commit_unique(slug: str) -> None:
    forget_store_pages()
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise PageError(f"Another page already uses the address '{slug}'.", "slug") from exc


def _slug_taken(store, slug: str, page: Page | None) -> bool:
    query = select(Page.id).where(Page.store_id == store.id, Page.slug == slug)
    if page is not None and page.id is not None:
        query = query.where(Page.id != page.id)
    return db.session.scalar(query) is not None


def create_store_page(store, data: dict, actor: User) -> Page:
    cleaned = _clean(data, store.languages, store.default_language)
    if _slug_taken(store, cleaned["slug"], None):
        raise PageError(f"Another page already uses the address '{cleaned['slug']}'.", "slug")
    page = Page(platform_id=store.platform_id, store_id=store.id, scope=Page.STORE)
    _apply(page, cleaned)
    db.session.add(page)
    _revise(page, actor, "Created")
    audit("cms.page_created", target=page.slug, store=store, user=actor)
    _commit_unique(page.slug)
    return page


def update_store_page(store, page: Page, data: dict, actor: User) -> Page:
    """Save the store's page; saving a default creates the store's own override of it."""
    if page.scope == Page.DEFAULT:
        data = {**data, "slug": page.slug}  # an override keeps the default's address
        override = Page(platform_id=store.platform_id, store_id=store.id, scope=Page.STORE)
        cleaned = _clean(data, store.languages, store.default_language)
        _apply(override, cleaned)
        db.session.add(override)
        _revise(override, actor, "Customised from the platform default")
        audit("cms.page_overridden", target=page.slug, store=store, user=actor)
        _commit_unique(page.slug)
        return override
    if page.store_id != store.id:
        raise NotFound(page.id)
    cleaned = _clean(data, store.languages, store.default_language)
    if default_for(page) is not None:
        cleaned["slug"] = page.slug
    if _slug_taken(store, cleaned["slug"], page):
        raise PageError(f"Another page already uses the address '{cleaned['slug']}'.", "slug")
    _apply(page, cleaned)
    _revise(page, actor, "Saved")
    audit("cms.page_saved", target=page.slug, store=store, user=actor)
    _commit_unique(page.slug)
    return page


def _publish(page: Page, published: bool, actor: User | None, **tenant) -> Page:
    page.published = published
    if published and page.publish_at and page.publish_at > utcnow():
        page.publish_at = None  # "publish" means now
    _revise(page, actor, "Published" if published else "Unpublished")
    audit("cms.page_published" if published else "cms.page_unpublished", target=page.slug, user=actor, **tenant)
    _commit()
    return page


def set_published(store, page: Page, published: bool, actor: User) -> Page:
    if page.scope == Page.DEFAULT:  # hiding or showing a default: the store's override decides
        data = snapshot(page) | {"published": published}
        data["publish_at"] = None
        return update_store_page(store, page, data, actor)
    if page.store_id != store.id:
        raise NotFound(page.id)
    return _publish(page, published, actor, store=store)


def set_platform_page_published(platform: Platform, page: Page, published: bool, actor: User) -> Page:
    return _publish(get_platform_page(platform, page.id), published, actor, platform=platform)


def revert_to_default(store, page: Page, actor: User) -> Page:
    """Delete the store's override: the platform's default shows again. Returns the default."""
    default = default_for(page)
    if page.store_id != store.id or default is None:
        raise PageError("Only a customised default page can be reverted.")
    audit("cms.page_reverted", target=page.slug, store=store, user=actor)
    db.session.delete(page)
    _commit()
    return default


def delete_store_page(store, page: Page, actor: User) -> None:
    if page.store_id != store.id:
        raise NotFound(page.id)
    if default_for(page) is not None:
        raise PageError("This page customises a platform default: revert it instead.")
    audit("cms.page_deleted", target=page.slug, store=store, user=actor)
    db.session.delete(page)
    _commit()


def _restore(page: Page, revision_id: int, actor: User, languages: list[str], default_language: str | None,
             slug_taken, **tenant) -> Page:
    revision = db.session.get(PageRevision, revision_id)
    if revision is None or revision.page_id != page.id:
        raise NotFound(revision_id)
    data = dict(revision.snapshot)
    data["publish_at"] = datetime.fromisoformat(data["publish_at"]) if data.get("publish_at") else None
    cleaned = _clean(data, [language for language in languages if language in data["translations"]] or languages,
                     default_language)
    if slug_taken(cleaned["slug"]):
        raise PageError(f"Another page now uses the address '{cleaned['slug']}'.", "slug")
    _apply(page, cleaned)
    _revise(page, actor, f"Restored revision {revision.number}")
    audit("cms.page_restored", target=page.slug, user=actor, details={"revision": revision.number}, **tenant)
    _commit_unique(page.slug)
    return page


def restore_revision(store, page: Page, revision_id: int, actor: User) -> Page:
    if page.store_id != store.id:
        raise NotFound(page.id)
    return _restore(page, revision_id, actor, store.languages, store.default_language,
                    lambda slug: _slug_taken(store, slug, page), store=store)


def restore_platform_revision(platform: Platform, page: Page, revision_id: int, actor: User) -> Page:
    page = get_platform_page(platform, page.id)
    return _restore(page, revision_id, actor, list(LANGUAGES), None,
                    lambda slug: _platform_slug_taken(platform, page.scope, slug, page), platform=platform)


def delete_platform_page(platform: Platform, page: Page, actor: User) -> None:
    page = get_platform_page(platform, page.id)
    audit("cms.page_deleted", target=f"{page.scope}:{page.slug}", platform=platform, user=actor)
    db.session.delete(page)  # stores' overrides of a default stay: they become the stores' own pages
    _commit()


# -- the platform's own pages and the defaults it offers its stores -------------------------------
def platform_pages(platform: Platform) -> dict[str, list[Page]]:
    """The platform's site pages and its store defaults, each ordered as they are linked."""
    found = db.session.scalars(_with_translations(select(Page).where(
        Page.platform_id == platform.id, Page.store_id.is_(None)).order_by(Page.placement, Page.position,
                                                                          Page.slug))).all()
    return {scope: [p for p in found if p.scope == scope] for scope in (Page.DEFAULT, Page.PLATFORM)}


def get_platform_page(platform: Platform, page_id: int) -> Page:
    page = db.session.get(Page, page_id)
    if page is None or page.platform_id != platform.id or page.store_id is not None:
        raise NotFound(page_id)
    return page


def _platform_slug_taken(platform: Platform, scope: str, slug: str, page: Page | None) -> bool:
    query = select(Page.id).where(Page.platform_id == platform.id, Page.store_id.is_(None), Page.scope == scope,
                                  Page.slug == slug)
    if page is not None:
        query = query.where(Page.id != page.id)
    return db.session.scalar(query) is not None


def save_platform_page(platform: Platform, scope: str, page: Page | None, data: dict, actor: User) -> Page:
    """Create (``page`` None) or save a platform site page or a store default."""
    if scope not in (Page.DEFAULT, Page.PLATFORM):
        raise PageError("Choose a platform page or a store default.", "scope")
    cleaned = _clean(data, list(LANGUAGES), None)
    if _platform_slug_taken(platform, scope, cleaned["slug"], page):
        raise PageError(f"Another page already uses the address '{cleaned['slug']}'.", "slug")
    created = page is None
    if created:
        page = Page(platform_id=platform.id, scope=scope)
        db.session.add(page)
    _apply(page, cleaned)
    _revise(page, actor, "Created" if created else "Saved")
    audit("cms.platform_page_saved", target=f"{scope}:{page.slug}", platform=platform, user=actor)
    _commit_unique(page.slug)
    return page


def live_platform_page(platform: Platform, slug: str) -> Page | None:
    page = db.session.scalar(_with_translations(select(Page).where(
        Page.platform_id == platform.id, Page.scope == Page.PLATFORM, Page.slug == slug)))
    return page if page is not None and page.is_live(utcnow()) else None


# -- the platform's defaults -------------------------------------------------------------------
def ensure_platform_defaults(platform: Platform) -> int:
    """The standard store pages (about, contact, terms, privacy, shipping and returns), once per platform."""
    existing = set(db.session.scalars(select(Page.slug).where(Page.platform_id == platform.id,
                                                              Page.scope == Page.DEFAULT)))
    added = 0
    for position, (slug, placement, texts) in enumerate(DEFAULT_PAGES):
        if slug in existing:
            continue
        page = Page(platform_id=platform.id, scope=Page.DEFAULT, slug=slug, placement=placement,
                    position=position, published=True)
        page.translations = [PageTranslation(language=language, title=title, body=body)
                             for language, (title, body) in texts.items()]
        db.session.add(page)
        added += 1
    if added:
        db.session.flush()
    return added
