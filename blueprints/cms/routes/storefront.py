"""Storefront: home, content pages, robots.txt and sitemap.xml of one store."""
from __future__ import annotations

from flask import Response, abort, render_template, url_for

from blueprints.cms.services import contributions, markdown, media, pages
from blueprints.cms.services import home as home_page
from blueprints.cms.shell import storefront_shell
from webapp.i18n import current_language, store_languages
from webapp.tenancy import current_store, storefront_blueprint

bp = storefront_blueprint("cms_storefront", __name__)


@bp.app_context_processor
def inject_storefront_shell() -> dict:
    return {"storefront_shell": storefront_shell}


@bp.get("/")
def home():
    store = current_store()
    sections = home_page.home_sections(store)
    media.urls_of(store, [s.image_media_id for s in sections if s.image_media_id])  # one query fills the cache
    return render_template("cms/storefront/home.html", store=store, sections=sections,
                           language=current_language(), render_markdown=markdown.render,
                           media_url=lambda media_id: media.url_of(store, media_id), store_link=store_link)


def store_link(url: str) -> str:
    """A merchant's link: ``/pages/about`` means this store's page, wherever the storefront is served."""
    if url.startswith("/") and not url.startswith("//"):
        return url_for("cms_storefront.home").rstrip("/") + url
    return url


@bp.get("/pages/<slug>")
def page(slug: str):
    store = current_store()
    found = pages.live_page(store, slug)
    if found is None:
        abort(404)
    translation = found.translation(current_language(), store.default_language)
    return render_template("cms/storefront/page.html", store=store, page=found, translation=translation,
                           body=markdown.render(translation.body),
                           description=translation.seo_description or markdown.plain_text(translation.body))


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /account/", f"Sitemap: {url_for('.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    store = current_store()
    xml = render_template("cms/storefront/sitemap.xml", entries=contributions.sitemap_entries(store),
                          languages=store_languages(store))
    return Response(xml, mimetype="application/xml")
