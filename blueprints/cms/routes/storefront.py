"""Storefront: home, content pages, robots.txt, sitemap.xml."""
from flask import render_template

from blueprints.cms.shell import storefront_shell
from webapp.tenancy import current_store, storefront_blueprint

bp = storefront_blueprint("cms_storefront", __name__)


@bp.app_context_processor
def inject_storefront_shell() -> dict:
    return {"storefront_shell": storefront_shell}


@bp.get("/")
def home():
    return render_template("cms/storefront/home.html", store=current_store())
