"""Storefront: the theme stylesheet, /s/<store_code>/theme.css (or /theme.css on the store's domain).

The store comes from the request (its code or domain), never from a parameter: ``v`` only says
which version the page expects. When it is the current digest the answer is cached for a year;
an old or missing ``v`` gets the current theme with a short cache. Two queries at most: the store
(resolution) and its theme.
"""
from __future__ import annotations

from flask import make_response, request

from blueprints.cms.services import themes
from webapp.tenancy import current_store, storefront_blueprint

bp = storefront_blueprint("cms_theme_assets", __name__)

YEAR = 365 * 24 * 3600
SHORT = 300  # seconds, for a URL without the current version


@bp.get("/theme.css")
def stylesheet():
    css, digest = themes.theme_css(current_store())
    response = make_response(css)
    response.mimetype = "text/css"
    response.set_etag(digest)
    response.cache_control.public = True
    if request.args.get("v") == digest:
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = SHORT
    return response.make_conditional(request)
