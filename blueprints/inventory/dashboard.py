"""What the inventory module adds to the store dashboard: how many variants run low."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.inventory import services
from webapp.registry import StatTile
from webapp.security import can


def tiles(store) -> list[StatTile]:
    low = services.low_stock_count(store)
    href = url_for("inventory_store.index", low=1) if can(current_user, "inventory.view", store) else None
    return [StatTile(_("Low stock"), low, icon="exclamation-triangle" if low else "boxes", href=href,
                     hint=_("variants at or below their alert level") if low else _("Every variant well stocked"),
                     order=30)]
