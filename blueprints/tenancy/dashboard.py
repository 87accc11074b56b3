"""What the tenancy module adds to the store dashboard: team and domain counts."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from blueprints.tenancy import store_services
from webapp.registry import StatTile
from webapp.security import can


def tiles(store) -> list[StatTile]:
    counts = store_services.store_counts(store)
    team_href = url_for("tenancy_store.team") if can(current_user, "tenancy.team.manage", store) else None
    domain_hint = f"{counts.verified_domains} verified" if counts.domains else "Reached on the platform's address"
    return [
        StatTile("Team members", counts.team, icon="people", href=team_href, order=10),
        StatTile("Domains", counts.domains, icon="globe2", hint=domain_hint, order=20),
    ]
