"""Store admin: content pages."""
from flask import abort

from webapp.tenancy import store_admin_blueprint

bp = store_admin_blueprint("cms_pages", __name__, "cms/pages")


@bp.get("/")
def index(*args, **kwargs):
    abort(404)  # placeholder until this part is built
