"""Storefront: media files as uploaded, streamed from the media storage (local folder or bucket).

Names are generated and never reused, so answers are cacheable for a year. Every answer says what
it is (Content-Type, nosniff) and is sandboxed, so a file can never act as a page of the store.
"""
from __future__ import annotations

from flask import Response, abort, request
from werkzeug.wsgi import wrap_file

from blueprints.cms.services import media
from webapp.tenancy import current_store, storefront_blueprint

bp = storefront_blueprint("cms_media_files", __name__, "media")

CACHE_CONTROL = "public, max-age=31536000, immutable"
FILE_POLICY = "default-src 'none'; sandbox"


@bp.get("/<name>")
def file(name: str):
    try:
        media_file = media.find_file(current_store(), name)
        if request.if_none_match.contains(media_file.etag):
            response = Response(status=304)
        else:
            response = Response(wrap_file(request.environ, media.open_file(media_file)),
                                content_type=media_file.content_type, direct_passthrough=True)
    except media.NotFound:
        abort(404)
    response.set_etag(media_file.etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Content-Disposition"] = media.content_disposition(media_file.disposition,
                                                                        media_file.download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response
