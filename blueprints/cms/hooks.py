"""Start-up wiring of the cms module: every new platform gets the standard store pages."""
from webapp import events
from webapp.extensions import db
from webapp.models import Platform


def add_default_pages(event) -> None:
    from blueprints.cms.services import pages

    platform = db.session.get(Platform, event.platform_id)
    if platform is not None and pages.ensure_platform_defaults(platform):
        db.session.commit()


def on_startup(_data) -> None:
    events.subscribe("core.platform_created", add_default_pages)
