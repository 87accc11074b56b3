"""Staff sign-in to the platform admin."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditLog, User
from webapp.security import password_hasher


def test_login_page_has_email_and_password_fields(client):
    response = client.get("/admin/login")
    assert response.status_code == 200
    assert b'name="email"' in response.data and b'name="password"' in response.data


def test_admin_pages_redirect_to_login_when_signed_out(client, platform):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_super_admin_signs_in_and_reaches_dashboard(client, auth, super_admin, platform):
    response = auth.login(super_admin)
    assert response.headers["Location"].endswith("/admin/")
    page = client.get("/admin/")
    assert page.status_code == 200
    assert b"Dashboard" in page.data and super_admin.email.encode() in page.data


def test_wrong_password_is_refused_with_a_clear_message(client, super_admin, platform):
    response = client.post("/admin/login", data={"email": super_admin.email, "password": "wrong password!"})
    assert response.status_code == 422
    assert b"The e-mail or password is not correct." in response.data
    assert client.get("/admin/").status_code == 302


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, platform):
    response = client.post("/admin/login", data={"email": "nobody@example.com", "password": "whatever123"})
    assert response.status_code == 422
    assert b"The e-mail or password is not correct." in response.data


def test_deactivated_user_cannot_sign_in(client, create_user, platform):
    user = create_user("gone@example.com", active=False)
    response = client.post("/admin/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 422


def test_passwords_are_stored_as_argon2id(super_admin):
    assert super_admin.password_hash.startswith("$argon2id$")
    assert password_hasher.verify(super_admin.password_hash, "correct horse battery")


def test_session_is_rotated_on_login(client, super_admin, platform):
    """Nothing planted in the session before sign-in survives it (no session fixation)."""
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["csrf_token"] = "known-to-the-attacker"
    client.post("/admin/login", data={"email": super_admin.email, "password": "correct horse battery"})
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("csrf_token") != "known-to-the-attacker"
        assert session.get("_user_id", "").startswith(f"{super_admin.id}:")


def test_logout_ends_the_session(client, auth, super_admin, platform):
    auth.login(super_admin)
    response = auth.logout()
    assert response.status_code in (302, 303)
    assert client.get("/admin/").status_code == 302


def test_changing_the_session_token_signs_the_user_out_everywhere(client, auth, super_admin, platform):
    auth.login(super_admin)
    user = db.session.get(User, super_admin.id)
    user.session_token = "rotated"
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_login_attempts_are_rate_limited_with_a_clear_message(client, super_admin, platform):
    statuses = [
        client.post("/admin/login", data={"email": super_admin.email, "password": "wrong password!"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429
    response = client.post("/admin/login", data={"email": super_admin.email, "password": "correct horse battery"})
    assert response.status_code == 429
    assert b"Too many attempts" in response.data


def test_login_is_audited(client, auth, super_admin, platform):
    auth.login(super_admin)
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.user_id == super_admin.id)).all()
    assert "auth.login" in actions


@pytest.mark.parametrize("target", ["//evil.example/", "/%09/evil.example", "/%0a/x", "/\\evil.example",
                                    "https://evil.example/", "/%20/evil.example", "javascript:alert(1)"])
def test_next_parameter_never_leads_off_the_site(client, super_admin, platform, target):
    data = {"email": super_admin.email, "password": "correct horse battery"}
    response = client.post(f"/admin/login?next={target}", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"


def test_next_parameter_leads_back_to_the_page_asked_for(client, super_admin, platform):
    data = {"email": super_admin.email, "password": "correct horse battery"}
    response = client.post("/admin/login?next=/admin/platforms/main/modules?tier=optional", data=data)
    assert response.headers["Location"] == "/admin/platforms/main/modules?tier=optional"


def test_login_form_posted_by_htmx_redirects_with_hx_redirect(htmx_client, super_admin, platform):
    response = htmx_client.post("/admin/login", data={"email": super_admin.email, "password": "correct horse battery"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith("/admin/")
