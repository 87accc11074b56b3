"""The unified store admin (/store/…): sign-in, store picker and each store's pages."""
from flask import Blueprint

bp = Blueprint("tenancy_store", __name__, url_prefix="/store")
