"""Platform admin pages of the tenancy module: merchants, stores, domains, users, audit log."""
from flask import Blueprint

bp = Blueprint("tenancy_admin", __name__, url_prefix="/admin")
