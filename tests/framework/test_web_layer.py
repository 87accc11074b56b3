"""The HTMX layer, CSRF, security headers and error pages."""
import re

import pytest

from webapp.security import CONTENT_SECURITY_POLICY


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def csrf_token_of(html: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def test_state_changing_requests_need_a_csrf_token(client, as_super_admin, csrf_on):
    response = client.post("/admin/platforms/main/modules/analytics/enable")
    assert response.status_code == 400
    assert b"security token is missing or invalid" in response.data


def test_htmx_requests_send_the_token_from_hx_headers(client, htmx_client, as_super_admin, csrf_on):
    page = client.get("/admin/platforms/main/modules").get_data(as_text=True)
    token = csrf_token_of(page)
    assert re.search(r'<div id="page" hx-headers=', page), "token must sit on an element inside <body>"
    ok = htmx_client.post("/admin/platforms/main/modules/analytics/enable", headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    bad = htmx_client.post("/admin/platforms/main/modules/analytics/disable", headers={"X-CSRFToken": "forged"})
    assert bad.status_code == 400 and 'hx-swap-oob="beforeend:#toasts"' in bad.get_data(as_text=True)


def test_login_form_needs_the_csrf_token_too(client, super_admin, platform, csrf_on):
    response = client.post("/admin/login", data={"email": super_admin.email, "password": "correct horse battery"})
    assert response.status_code == 400


def test_security_headers_and_a_csp_without_unsafe_inline(client):
    response = client.get("/admin/login")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_have_no_inline_scripts_or_styles(client, as_super_admin):
    for url in ("/admin/login", "/admin/", "/admin/platforms", "/admin/platforms/main/modules"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_htmx_is_hardened_and_nothing_comes_from_a_cdn(client):
    html = client.get("/admin/login").get_data(as_text=True)
    config = re.search(r'name="htmx-config" content=\'([^\']+)\'', html).group(1)
    assert '"allowEval":false' in config and '"allowScriptTags":false' in config
    assert '"selfRequestsOnly":true' in config and '"includeIndicatorStyles":false' in config
    assert '"code":"422","swap":true' in config
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_vendored_assets_are_served(client):
    for path in ("vendor/htmx/htmx.min.js", "vendor/bootstrap/bootstrap.min.css",
                 "vendor/bootstrap-icons/bootstrap-icons.min.css", "css/app.css", "js/app.js"):
        assert client.get(f"/static/{path}").status_code == 200, path


def test_redirects_become_hx_redirect_for_htmx(htmx_client, platform):
    response = htmx_client.get("/admin/")
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/admin/login")


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and b"There is nothing here" in response.data
    assert response.mimetype == "text/html"


def test_wrong_method_is_a_405_not_a_500(client):
    assert client.delete("/admin/login").status_code == 405


def test_platform_admin_cannot_create_platforms(client, as_platform_admin):
    response = client.post("/admin/platforms", data={"code": "lu", "name": "Luxembourg"})
    assert response.status_code == 403


def test_super_admin_creates_a_platform_and_bad_input_is_422(htmx_client, client, as_super_admin):
    bad = htmx_client.post("/admin/platforms", data={"code": "Not Valid!", "name": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Use lower-case letters" in html and "<html" not in html
    taken = htmx_client.post("/admin/platforms", data={"code": "other", "name": "Other", "hosts": "LOCALHOST."})
    assert taken.status_code == 422 and "Already served by another platform: localhost" in taken.get_data(as_text=True)
    data = {"code": "lu", "name": "Luxembourg", "hosts": "shop.lu, Shop.lu"}
    created = htmx_client.post("/admin/platforms", data=data)
    assert created.headers["HX-Redirect"] == "/admin/platforms/lu/modules"
    assert 'id="platform-lu"' in client.get("/admin/platforms").get_data(as_text=True)
    duplicate = htmx_client.post("/admin/platforms", data={"code": "lu", "name": "Again"})
    assert duplicate.status_code == 422 and "already exists" in duplicate.get_data(as_text=True)


def test_platform_is_resolved_from_the_host(client, as_super_admin, create_platform):
    from webapp import modules as module_service

    other = create_platform("shop", "Shop", ["shop.example.com"])
    module_service.disable(other, "monitoring")
    assert client.get("/admin/monitoring/").status_code == 200
    assert client.get("/admin/monitoring/", base_url="http://shop.example.com").status_code == 404


@pytest.mark.parametrize("url", ["/admin/", "/admin/platforms"])
def test_platform_lists_keep_their_query_budget_for_1_and_many_platforms(client, as_super_admin, create_platform,
                                                                          count_queries, url):
    with count_queries() as one:  # the `platform` fixture made one platform
        assert client.get(url).status_code == 200
    for number in range(30):
        create_platform(f"p{number:02d}")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert one.count == many.count <= 8


@pytest.mark.parametrize("url", ["/admin/platforms/a%00b/modules", "/admin/monitoring/tasks?platform=x%00",
                                 "/admin/monitoring/tasks?module=%00"])
def test_nul_characters_are_a_400_not_a_500(client, as_super_admin, url):
    response = client.get(url)
    assert response.status_code == 400 and b"NUL character" in response.data


def test_nul_in_a_form_is_a_400_and_nothing_is_written(client, as_super_admin):
    response = client.post("/admin/platforms", data={"code": "nul", "name": "Bad\x00name"})
    assert response.status_code == 400
    assert 'id="platform-nul"' not in client.get("/admin/platforms").get_data(as_text=True)


def test_huge_ids_are_a_404_not_a_500(client, as_super_admin):
    assert client.get("/admin/monitoring/tasks/99999999999999999999").status_code == 404


@pytest.mark.parametrize("hops, address, hsts", [(1, "203.0.113.9", True), (0, "10.0.0.1", False)])
def test_behind_a_proxy_the_client_address_and_scheme_come_from_its_headers(hops, address, hsts):
    from flask import request

    from webapp import create_app

    proxied = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "PROXY_FIX_HOPS": hops})
    proxied.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)
    response = proxied.test_client().get(
        "/whoami", environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
    )
    assert response.get_data(as_text=True) == address
    assert ("Strict-Transport-Security" in response.headers) is hsts
