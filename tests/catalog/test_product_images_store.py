"""Product images from the store's media library: chosen, ordered and removed in the editor, shown in the
product list, and kept from deletion in the media library while a product shows them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services
from blueprints.catalog.models import Product, ProductImage
from blueprints.cms.models.media import MediaItem
from blueprints.cms.services import media
from webapp.extensions import db


def form(title="Linen shirt", images=(), **overrides) -> dict:
    data = {"slug": "", "product_type": "physical", "status": "draft", "vat_class": "standard", "option_names": "",
            "title_fr": title, "variants-0-sku": "LS-1", "variants-0-options": "", "variants-0-price": "29,90",
            "images": [str(media_id) for media_id in images]}
    data.update(overrides)
    return data


def saved_images(product_id: int) -> list[int]:
    db.session.expire_all()
    return [image.media_id for image in db.session.get(Product, product_id).images]


def test_an_owner_saves_a_product_with_images_in_the_order_given(sign_in, owner, store, make_media):
    front, back = make_media(store, "front.jpg"), make_media(store, "back.jpg")
    client = sign_in(owner)
    response = client.post(f"/store/{store.store_code}/catalog/new", data=form(images=(back.id, front.id)))
    assert response.status_code == 303, response.get_data(as_text=True)
    product = db.session.scalar(select(Product).where(Product.store_id == store.id))
    assert saved_images(product.id) == [back.id, front.id]
    page = client.get(f"/store/{store.store_code}/catalog/{product.id}").get_data(as_text=True)
    assert page.index(back.thumbnail_name) < page.index(front.thumbnail_name)  # the main image first
    assert 'id="product-images" data-count="2"' in page


def test_moving_and_removing_images_re_renders_the_editor_and_saves_nothing_until_save(
        sign_in, owner, store, make_media, make_product, htmx_client):
    first, second, third = (make_media(store, f"{n}.jpg") for n in ("a", "b", "c"))
    product = make_product(store, "Shirt", images=[first.id, second.id, third.id])
    variant_id = product.variants[0].id
    sign_in(owner)
    url = f"/store/{store.store_code}/catalog/{product.id}"
    base = form("Shirt", images=(first.id, second.id, third.id), slug="shirt",
                **{"variants-0-id": str(variant_id), "variants-0-sku": "SKU-SHIRT"})

    response = htmx_client.post(url, data={**base, "image_up": str(third.id)})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith("<form")
    assert body.index(f'id="product-image-{first.id}"') < body.index(f'id="product-image-{third.id}"') \
        < body.index(f'id="product-image-{second.id}"')
    assert saved_images(product.id) == [first.id, second.id, third.id]

    body = htmx_client.post(url, data={**base, "image_remove": str(second.id)}).get_data(as_text=True)
    assert f'id="product-image-{second.id}"' not in body and 'data-count="2"' in body

    assert htmx_client.post(url, data=form("Shirt", images=(third.id, first.id), slug="shirt", **{
        "variants-0-id": str(variant_id), "variants-0-sku": "SKU-SHIRT"})).status_code == 200  # HX-Redirect
    assert saved_images(product.id) == [third.id, first.id]
    assert db.session.scalar(select(func.count(ProductImage.id))) == 2  # the removed row is gone


def test_the_picker_choice_adds_the_image_to_the_editor(sign_in, owner, store, make_media, htmx_client):
    item = make_media(store, "new.jpg")
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new",
                                data={**form(), "image_add": str(item.id), "add_image": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<input type="hidden" name="images" value="{item.id}">' in body and item.thumbnail_name in body
    assert 'hx-trigger="cms:media-chosen from:body"' in body
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 0


@pytest.mark.parametrize("whose", ["other store", "pdf", "missing"])
def test_an_image_that_is_not_the_stores_own_is_refused_with_422_and_nothing_is_written(
        sign_in, owner, store, other_store, make_media, make_product, htmx_client, whose):
    mine = make_media(store, "mine.jpg")
    product = make_product(store, "Shirt", images=[mine.id])
    refused = {"other store": lambda: make_media(other_store, "theirs.jpg").id,
               "pdf": lambda: make_media(store, "sheet.pdf", kind="pdf").id, "missing": lambda: 2_000_000}[whose]()
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form("Coat", images=(refused,)))
    assert response.status_code == 422
    assert f"Image {refused} is not an image of this store" in response.get_data(as_text=True)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/{product.id}", data=form(
        "Renamed", images=(mine.id, refused), slug="shirt",
        **{"variants-0-id": str(product.variants[0].id), "variants-0-sku": "SKU-SHIRT"}))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 1
    assert saved_images(product.id) == [mine.id]
    assert db.session.get(Product, product.id).translation("fr", "fr").title == "Shirt"


def test_the_service_refuses_another_stores_media_id(store, other_store, owner, make_media, make_product):
    theirs = make_media(other_store)
    with pytest.raises(services.CatalogError) as refused:
        make_product(store, "Shirt", images=[theirs.id])
    assert refused.value.field == "images"


def test_an_image_a_product_shows_cannot_be_deleted_from_the_media_library(
        sign_in, owner, store, make_media, make_product, htmx_client):
    item = make_media(store, "front.jpg")
    product = make_product(store, "Linen shirt", images=[item.id])
    assert media.usages(store, item.id) == ["Product: Linen shirt"]
    with pytest.raises(media.MediaInUse):
        media.delete_item(store, item.id, owner)

    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/cms/media/{item.id}/delete")
    assert response.status_code == 409 and "Product: Linen shirt" in response.get_data(as_text=True)
    assert db.session.get(MediaItem, item.id) is not None

    services.update_product(store, product, {**_data_of(product), "images": []}, owner)
    assert media.usages(store, item.id) == []
    media.delete_item(store, item.id, owner)
    assert db.session.get(MediaItem, item.id) is None


def _data_of(product) -> dict:
    return {"slug": product.slug, "translations": {"fr": {"title": "Linen shirt"}},
            "variants": [{"id": v.id, "sku": v.sku, "price": str(v.price_cents / 100)} for v in product.variants]}


def test_the_list_shows_each_products_main_image_in_a_fixed_number_of_queries(
        sign_in, owner, store, make_media, make_product, count_queries):
    main, other = make_media(store, "main.jpg"), make_media(store, "other.jpg")
    make_product(store, "Product 0", images=[main.id, other.id])
    client = sign_in(owner)
    url = f"/store/{store.store_code}/catalog/"
    client.get(url)
    with count_queries() as one:
        page = client.get(url).get_data(as_text=True)
    assert main.thumbnail_name in page and other.thumbnail_name not in page
    for number in range(1, 30):
        make_product(store, f"Product {number}", images=[make_media(store, f"{number}.jpg").id],
                     variants=[{"sku": f"P{number}", "price": "1"}])
    client.get(url)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("-thumb.webp") == services.PAGE_SIZE
    assert many.count == one.count, many.statements


def test_an_image_id_that_is_not_a_number_answers_422(sign_in, owner, store, htmx_client):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data={**form(), "images": ["abc"]})
    assert response.status_code == 422 and 'id="images-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 0
