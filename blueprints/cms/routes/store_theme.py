"""Store admin: the storefront theme."""
from flask import abort

from webapp.tenancy import store_admin_blueprint

bp = store_admin_blueprint("cms_theme", __name__, "cms/theme")


@bp.get("/")
def edit(*args, **kwargs):
    abort(404)  # placeholder until this part is built
