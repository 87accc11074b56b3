"""Dev tools for super admins: the component library and the icon gallery."""
from __future__ import annotations

from flask import Blueprint

from blueprints.dev_tools import services
from webapp import htmx
from webapp.security import super_admin_required

bp = Blueprint("dev_tools_admin", __name__, url_prefix="/admin/dev-tools")


@bp.get("/components")
@super_admin_required
def components():
    return htmx.render("dev_tools/components.html", examples=services.render_examples())


@bp.get("/icons")
@super_admin_required
def icons():
    from flask import request

    query = request.args.get("q", "").strip()
    found = services.search_icons(query)
    return htmx.render("dev_tools/icons.html", "icon_grid", icons=found, query=query)
