"""Media files on the storefront: served from the storage (local folder or S3) with safe headers,
only at their own store's address."""
from __future__ import annotations

import io

import boto3
import pytest
from flask import current_app
from moto.server import ThreadedMotoServer
from sqlalchemy import func, select

from blueprints.cms.models.media import MediaItem
from blueprints.cms.services import media
from blueprints.tenancy.models import SUSPENDED
from tests.cms.media_fixtures import PDF, build_world, png_bytes, sign_in
from tests.tenancy.factories import make_domain
from webapp.extensions import db

BUCKET = "buttek-media-test"


@pytest.fixture
def media_folder(app, tmp_path, monkeypatch):
    folder = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(folder))
    return folder


@pytest.fixture
def world(platform, media_folder):
    return build_world(platform)


def add_item(store, name="Vitrine été.png", data=None) -> MediaItem:
    with current_app.test_request_context("/"):
        return media.upload(store, name, io.BytesIO(data or png_bytes((500, 400))), None)


# -- headers -------------------------------------------------------------------------------------
def test_an_image_is_served_inline_with_its_type_and_immutable_caching(client, world):
    item = add_item(world.store)
    response = client.get(f"/s/centre/media/{item.stored_name}")
    assert response.status_code == 200 and response.data == png_bytes((500, 400))
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"] == \
        "inline; filename=\"Vitrine ete.png\"; filename*=UTF-8''Vitrine%20%C3%A9t%C3%A9.png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["ETag"] == f'"{item.stored_name}"'


def test_the_thumbnail_is_webp(client, world):
    item = add_item(world.store)
    response = client.get(f"/s/centre/media/{item.thumbnail_name}")
    assert response.status_code == 200 and response.data[8:12] == b"WEBP"
    assert response.headers["Content-Type"] == "image/webp"
    assert "Vitrine%20%C3%A9t%C3%A9-thumbnail.webp" in response.headers["Content-Disposition"]


def test_a_pdf_is_downloaded_not_shown(client, world):
    item = add_item(world.store, "Tarifs.pdf", PDF)
    response = client.get(f"/s/centre/media/{item.stored_name}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Tarifs.pdf"')


def test_a_browser_with_the_file_cached_gets_304_without_the_body(client, world):
    item = add_item(world.store)
    response = client.get(f"/s/centre/media/{item.stored_name}", headers={"If-None-Match": f'"{item.stored_name}"'})
    assert response.status_code == 304 and response.data == b""


def test_a_file_is_served_on_the_store_s_own_domain_too(client, world):
    make_domain(world.store, "shop.boulangerie.lu")
    item = add_item(world.store)
    response = client.get(f"/media/{item.stored_name}", headers={"Host": "shop.boulangerie.lu"})
    assert response.status_code == 200 and response.data == png_bytes((500, 400))
    with current_app.test_request_context("/", headers={"Host": "shop.boulangerie.lu"},
                                          environ_base={"buttek.storefront_prefix": "/s/centre"}):
        assert media.url_of(world.store, item.id) == f"/media/{item.stored_name}"


# -- what is not served --------------------------------------------------------------------------
def test_another_store_s_file_is_404_at_this_store_s_address(client, world):
    theirs = add_item(world.other_store)
    assert client.get(f"/s/centre/media/{theirs.stored_name}").status_code == 404
    assert client.get(f"/s/centre/media/{theirs.thumbnail_name}").status_code == 404
    assert client.get(f"/s/mode-lux/media/{theirs.stored_name}").status_code == 200


@pytest.mark.parametrize("name", ["nothing.png", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "0" * 32 + ".png",
                                  "0" * 32 + ".exe", "0" * 32 + "-thumb.webp", "x" * 500])
def test_unknown_or_malformed_names_are_404(client, world, name):
    add_item(world.store)
    assert client.get(f"/s/centre/media/{name}").status_code == 404


def test_a_file_lost_by_the_storage_is_404_not_500(client, world, media_folder):
    item = add_item(world.store)
    (media_folder / str(world.store.id) / item.stored_name).unlink()
    assert client.get(f"/s/centre/media/{item.stored_name}").status_code == 404


def test_a_suspended_store_serves_no_files(client, world):
    item = add_item(world.store)
    world.store.status = SUSPENDED
    db.session.commit()
    assert client.get(f"/s/centre/media/{item.stored_name}").status_code == 404


def test_the_file_costs_one_query_beyond_finding_the_store(client, world, count_queries):
    item = add_item(world.store)
    url = f"/s/centre/media/{item.stored_name}"
    client.get(url)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    assert sum("media_items" in statement for statement in counter.statements) == 1


# -- S3-compatible storage (a real boto3 client against a local moto server) -----------------------
@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(app, s3_endpoint, monkeypatch):
    settings = {"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": s3_endpoint, "MEDIA_S3_REGION": "eu-west-1",
                "MEDIA_S3_ACCESS_KEY": "test-key", "MEDIA_S3_SECRET_KEY": "test-secret"}
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-1", aws_access_key_id="test-key",
                          aws_secret_access_key="test-secret")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield client
    for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def bucket_keys(client) -> list[str]:
    return sorted(entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_with_a_bucket_uploads_go_to_s3_are_served_from_it_and_deleted_from_it(client, world, s3_bucket,
                                                                               media_folder):
    sign_in(client, world.owner)
    response = client.post("/store/centre/cms/media/upload", headers={"HX-Request": "true"},
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(png_bytes((500, 400))), "logo.png")})
    assert response.status_code == 200
    item = db.session.scalar(select(MediaItem))
    store_id = world.store.id
    assert bucket_keys(s3_bucket) == sorted([f"{store_id}/{item.stored_name}", f"{store_id}/{item.thumbnail_name}"])
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=f"{store_id}/{item.stored_name}")
    assert stored["ContentType"] == "image/png" and stored["Body"].read() == png_bytes((500, 400))
    assert not media_folder.exists()  # nothing in the local folder

    served = client.get(f"/s/centre/media/{item.stored_name}")
    assert served.status_code == 200 and served.data == png_bytes((500, 400))
    assert served.headers["Content-Type"] == "image/png"
    assert client.get(f"/s/centre/media/{item.thumbnail_name}").data[8:12] == b"WEBP"

    deleted = client.post(f"/store/centre/cms/media/{item.id}/delete", headers={"HX-Request": "true"})
    assert deleted.status_code == 200
    assert bucket_keys(s3_bucket) == []


def test_an_object_missing_from_the_bucket_is_404(client, world, s3_bucket):
    item = add_item(world.store)
    s3_bucket.delete_object(Bucket=BUCKET, Key=f"{world.store.id}/{item.stored_name}")
    assert client.get(f"/s/centre/media/{item.stored_name}").status_code == 404


def test_when_the_bucket_is_unreachable_the_upload_fails_cleanly(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_S3_BUCKET", "no-such-bucket")
    monkeypatch.setitem(app.config, "MEDIA_S3_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setitem(app.config, "MEDIA_S3_ACCESS_KEY", "k")
    monkeypatch.setitem(app.config, "MEDIA_S3_SECRET_KEY", "s")
    sign_in(client, world.owner)
    response = client.post("/store/centre/cms/media/upload", headers={"HX-Request": "true"},
                           content_type="multipart/form-data", data={"file": (io.BytesIO(png_bytes()), "a.png")})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "could not be stored just now" in html and "hx-swap-oob" in html
    assert db.session.scalar(select(func.count(MediaItem.id))) == 0
