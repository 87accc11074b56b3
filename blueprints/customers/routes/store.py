"""Store admin: customers and segments."""
from flask import abort

from webapp.tenancy import store_admin_blueprint

bp = store_admin_blueprint("customers_store", __name__, "customers")


@bp.get("/")
def index(*args, **kwargs):
    abort(404)  # placeholder until this part is built


@bp.get("/segments")
def segments():
    abort(404)  # placeholder until this part is built
