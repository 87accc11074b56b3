"""CMS fixtures: a merchant with two stores (and the platform's default pages), a second merchant, sign-in."""
from __future__ import annotations

import pytest

from blueprints.cms.services import pages
from tests.tenancy.factories import make_merchant, make_store
from webapp.extensions import db


@pytest.fixture
def defaults(platform):
    pages.ensure_platform_defaults(platform)
    db.session.commit()


@pytest.fixture
def merchant(platform):
    return make_merchant(platform, name="Boulangerie Test", contact_email="contact@boulangerie.test")


@pytest.fixture
def store(merchant, defaults):
    return make_store(merchant, "centre", name="Boulangerie Centre")


@pytest.fixture
def other_store(platform, defaults):
    return make_store(make_merchant(platform, name="Mode Test", contact_email="contact@mode.test"), "mode-lux",
                      name="Mode Lux")


