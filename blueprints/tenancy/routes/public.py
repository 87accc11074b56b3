"""Pages reached from e-mails: accepting an invitation, resetting a password."""
from flask import Blueprint

bp = Blueprint("tenancy_public", __name__)
