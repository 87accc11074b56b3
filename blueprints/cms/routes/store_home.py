"""Store admin: the storefront home page's sections."""
from flask import abort

from webapp.tenancy import store_admin_blueprint

bp = store_admin_blueprint("cms_home", __name__, "cms/home")


@bp.get("/")
def index():
    abort(404)  # placeholder until this part is built
