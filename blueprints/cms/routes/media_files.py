"""Storefront: media files as uploaded."""
from flask import abort

from webapp.tenancy import storefront_blueprint

bp = storefront_blueprint("cms_media_files", __name__, "media")


@bp.get("/<name>")
def file(*args, **kwargs):
    abort(404)  # placeholder until this part is built
