"""Catalog fixtures: a merchant's store with the catalog module on, a second merchant's store, sign-in."""
from __future__ import annotations

import uuid

import pytest

from blueprints.catalog import services
from blueprints.cms.models.media import MediaItem
from tests.tenancy.factories import make_merchant, make_store
from webapp import modules
from webapp.extensions import db


@pytest.fixture
def catalog_on(platform):
    modules.enable(platform, "catalog")
    db.session.commit()
    return platform


@pytest.fixture
def merchant(catalog_on):
    return make_merchant(catalog_on, name="Épicerie Test", contact_email="contact@epicerie.test")


@pytest.fixture
def store(merchant):
    return make_store(merchant, "epicerie", name="Épicerie Centre")


@pytest.fixture
def other_store(catalog_on):
    return make_store(make_merchant(catalog_on, name="Mode Test", contact_email="contact@mode.test"), "mode-lux",
                      name="Mode Lux")


def product_data(title="Linen shirt", variants=None, **overrides) -> dict:
    """What the service takes: one plain variant unless ``variants`` says otherwise."""
    data = {"slug": "", "product_type": "physical", "status": "draft", "vat_class": "standard",
            "option_names": "", "categories": [],
            "translations": {"fr": {"title": title, "description": ""}},
            "variants": variants if variants is not None else [{"sku": "SKU-" + title.upper().replace(" ", "-"),
                                                                "gtin": "", "options": "", "price": "12,50"}]}
    data.update(overrides)
    return data


@pytest.fixture
def make_product(owner):
    def factory(store, title="Linen shirt", **kwargs):
        return services.create_product(store, product_data(title, **kwargs), owner)

    return factory


@pytest.fixture
def make_media():
    """A row of the store's media library (no file behind it: the catalog only keeps and shows its id)."""
    def factory(store, name="photo.jpg", kind="image"):
        token, pdf = uuid.uuid4().hex, kind == "pdf"
        item = MediaItem(store_id=store.id, kind=kind, content_type="application/pdf" if pdf else "image/jpeg",
                         stored_name=f"{token}.{'pdf' if pdf else 'jpg'}",
                         thumbnail_name=None if pdf else f"{token}-thumb.webp",
                         original_name=name, size_bytes=1234, width=40, height=30, alt_text="")
        db.session.add(item)
        db.session.commit()
        return item

    return factory
