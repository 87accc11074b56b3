"""Storefront: customer accounts."""
from flask import abort

from webapp.tenancy import storefront_blueprint

bp = storefront_blueprint("customers_storefront", __name__, "account")


@bp.get("/")
def account(*args, **kwargs):
    abort(404)  # placeholder until this part is built
