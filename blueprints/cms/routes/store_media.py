"""Store admin: the media library."""
from flask import abort

from webapp.tenancy import store_admin_blueprint

bp = store_admin_blueprint("cms_media", __name__, "cms/media")


@bp.get("/")
def index(*args, **kwargs):
    abort(404)  # placeholder until this part is built
