"""What the catalog adds to the store dashboard: how many products shoppers can buy."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.catalog import services
from webapp.registry import StatTile
from webapp.security import can


def tiles(store) -> list[StatTile]:
    active = services.count_active_products(store)
    href = url_for("catalog_store.index", status="active") if can(current_user, "catalog.view", store) else None
    return [StatTile(_("Active products"), active, icon="box-seam", href=href,
                     hint=_("Published in the storefront"), order=30)]
