"""Dev tools for super admins: the component library and the icon gallery."""
from __future__ import annotations

from flask import Blueprint, request

from blueprints.dev_tools import services
from webapp import htmx
from webapp.security import super_admin_required

bp = Blueprint("dev_tools_admin", __name__, url_prefix="/admin/dev-tools")


@bp.get("/components")
@super_admin_required
def components():
    return htmx.render("dev_tools/components.html", groups=services.render_examples())


@bp.get("/icons")
@super_admin_required
def icons():
    search = services.search_icons(request.args.get("q", "").strip())
    return htmx.render("dev_tools/icons.html", "icon_grid", search=search)
