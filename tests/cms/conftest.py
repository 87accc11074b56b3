"""CMS fixtures: a merchant with two stores (and the platform's default pages), a second merchant, sign-in."""
from __future__ import annotations

import pytest

from blueprints.cms.services import pages
from blueprints.tenancy.models import MerchantMembership, StoreMembership
from tests.tenancy.factories import TEST_PASSWORD, make_member, make_merchant, make_store, make_user
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


@pytest.fixture
def owner(merchant):
    user = make_user("owner@boulangerie.test")
    make_member(user, merchant, MerchantMembership.OWNER)
    return user


@pytest.fixture
def staff_user(store):
    user = make_user("staff@boulangerie.test")
    make_member(user, store, StoreMembership.STAFF)
    return user


@pytest.fixture
def sign_in(client):
    def login(user):
        response = client.post("/store/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 303, response.status_code
        return client

    return login
