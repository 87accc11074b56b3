"""The platform's own site: its published pages at /pages/<slug> on the platform's host."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from blueprints.cms.services import markdown, pages
from webapp.i18n import current_language
from webapp.tenancy import current_platform

bp = Blueprint("cms_site", __name__)


@bp.get("/pages/<slug>")
def page(slug: str):
    platform = current_platform()
    found = pages.live_platform_page(platform, slug) if platform is not None else None
    if found is None:
        abort(404)
    translation = found.translation(current_language(), "en")
    return render_template("cms/site/page.html", platform=platform, page=found, translation=translation,
                           body=markdown.render(translation.body),
                           description=translation.seo_description or markdown.plain_text(translation.body))
