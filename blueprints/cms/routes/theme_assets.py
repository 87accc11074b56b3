"""Storefront: the theme stylesheet."""
from flask import abort

from webapp.tenancy import storefront_blueprint

bp = storefront_blueprint("cms_theme_assets", __name__)


@bp.get("/theme.css")
def stylesheet(*args, **kwargs):
    abort(404)  # placeholder until this part is built
