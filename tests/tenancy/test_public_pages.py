"""Pages reached from e-mails: accepting an invitation and resetting a forgotten password."""
from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from blueprints.tenancy import resolution, services, store_services
from blueprints.tenancy.models import Invitation, Merchant, MerchantMembership, Store, StoreMembership
from webapp.extensions import db
from webapp.models import AuditLog, User, utcnow
from webapp.security import hash_password, new_session_token, verify_password

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)


@pytest.fixture
def mail_folder(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(folder))
    return folder


def mails(folder: Path) -> list[str]:
    """Each mail written to ``folder`` as headers + decoded plain text (long lines are encoded on disk)."""
    if not folder.exists():
        return []
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.append(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{message.get_body().get_content()}")
    return found


def link_in(mail: str, path: str) -> str:
    """The site-relative address of the first link to ``path`` in a mail."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[A-Za-z0-9_.\-]+)", mail)
    assert match, mail
    return match.group(1)


def make_user(email: str, *, active: bool = True) -> User:
    user = User(email=email, name="Existing", password_hash=PASSWORD_HASH, session_token=new_session_token(),
                is_active_user=active)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def bakery(platform) -> Merchant:
    merchant = Merchant(platform_id=platform.id, name="Bakery", legal_name="Bakery S.à r.l.",
                        contact_email="hello@bakery.lu", country="LU")
    db.session.add(merchant)
    db.session.commit()
    return merchant


@pytest.fixture
def centre(bakery) -> Store:
    store = Store(platform_id=bakery.platform_id, merchant_id=bakery.id, store_code="centre", name="Bakery Centre",
                  default_language="fr", languages=["fr", "en"], contact_email="hello@bakery.lu")
    db.session.add(store)
    db.session.commit()
    resolution.invalidate()
    return store


@pytest.fixture
def owner(bakery) -> User:
    user = make_user("owner@bakery.lu")
    db.session.add(MerchantMembership(merchant_id=bakery.id, user_id=user.id, role=MerchantMembership.OWNER))
    db.session.commit()
    return user


@pytest.fixture
def invite(bakery, centre, owner, mail_folder):
    """Invite ``email`` to the centre store (or, with ``role="admin"``, to the merchant); returns the token."""

    def factory(email: str = "new@bakery.lu", role: str = "staff") -> str:
        store = None if role in ("owner", "admin") else centre
        _invitation, token = services.invite(bakery, email, role, owner, store=store)
        return token

    return factory


def text(response) -> str:
    return response.get_data(as_text=True)


# -- invitations --------------------------------------------------------------------------------
def test_invitation_mail_links_to_the_acceptance_page(client, invite, mail_folder):
    invite()
    (mail,) = mails(mail_folder)
    page = client.get(link_in(mail, "/invite/"))
    assert page.status_code == 200
    html = text(page)
    assert "Join Bakery Centre" in html and "new@bakery.lu" in html and "staff" in html
    assert 'name="name"' in html and 'name="password"' in html and 'name="password_confirm"' in html


def test_a_new_user_chooses_a_name_and_password_and_is_signed_in(client, invite):
    token = invite()
    response = client.post(f"/invite/{token}", data={"name": "Nina New", "password": "a long new secret",
                                                     "password_confirm": "a long new secret"})
    assert response.status_code == 303 and response.headers["Location"] == "/store/"
    assert client.get("/store/").headers["Location"] == "/store/centre/"
    page = client.get("/store/centre/")
    assert page.status_code == 200 and "Welcome to Bakery Centre!" in text(page)
    user = db.session.scalar(select(User).where(User.email == "new@bakery.lu"))
    assert user.name == "Nina New" and verify_password(user.password_hash, "a long new secret")
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "team.invitation_accepted"))


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "Nina", "password": "short", "password_confirm": "short"}, "at least 10 characters"),
    ({"name": "Nina", "password": "a long new secret", "password_confirm": "another secret"}, "The passwords differ."),
    ({"name": "", "password": "a long new secret", "password_confirm": "a long new secret"}, "This field is required."),
])
def test_bad_name_or_password_answers_the_form_fragment_with_422(htmx_client, invite, data, message):
    token = invite()
    response = htmx_client.post(f"/invite/{token}", data=data)
    assert response.status_code == 422
    html = text(response)
    assert "<html" not in html and html.lstrip().startswith('<form method="post"') and message in html
    assert db.session.scalar(select(User).where(User.email == "new@bakery.lu")) is None
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "new@bakery.lu"))
    assert invitation.accepted_at is None


def test_the_link_alone_never_signs_in_an_existing_account(client, invite):
    existing = make_user("known@bakery.lu")
    token = invite("known@bakery.lu")
    page = text(client.get(f"/invite/{token}"))
    assert 'name="password"' not in page and "sign in as known@bakery.lu to accept it" in page
    assert f"/store/login?next=/invite/{token}" in page
    response = client.post(f"/invite/{token}")
    assert response.status_code == 403 and "Sign in as known@bakery.lu first" in text(response)
    assert db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == existing.id)) is None
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_an_existing_user_signed_in_as_themselves_confirms(client, invite):
    existing = make_user("known@bakery.lu")
    token = invite("known@bakery.lu")
    client.post("/store/login", data={"email": existing.email, "password": PASSWORD})
    assert "Accept the invitation" in text(client.get(f"/invite/{token}"))
    assert client.post(f"/invite/{token}").status_code == 303
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == existing.id))
    assert membership.role == StoreMembership.STAFF


def test_someone_else_signed_in_cannot_accept_an_invitation_for_an_existing_account(client, invite, owner):
    client.post("/store/login", data={"email": owner.email, "password": PASSWORD})
    existing = make_user("known@bakery.lu")
    token = invite("known@bakery.lu")
    assert "You are signed in as owner@bakery.lu" in text(client.get(f"/invite/{token}"))
    assert client.post(f"/invite/{token}").status_code == 403
    assert db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == existing.id)) is None
    with client.session_transaction() as session:
        assert session["_user_id"].startswith(f"{owner.id}:")


def test_an_invitation_to_the_merchant_makes_an_administrator_of_every_store(client, invite, bakery):
    token = invite("boss@bakery.lu", role="admin")
    assert "Join Bakery" in text(client.get(f"/invite/{token}"))
    client.post(f"/invite/{token}", data={"name": "Boss", "password": "a long new secret",
                                          "password_confirm": "a long new secret"})
    user = db.session.scalar(select(User).where(User.email == "boss@bakery.lu"))
    membership = db.session.scalar(select(MerchantMembership).where(MerchantMembership.user_id == user.id))
    assert (membership.merchant_id, membership.role) == (bakery.id, "admin")


def test_expired_invitation_is_a_clear_410(client, invite):
    token = invite()
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "new@bakery.lu"))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for response in (client.get(f"/invite/{token}"),
                     client.post(f"/invite/{token}", data={"name": "Late", "password": "a long new secret",
                                                           "password_confirm": "a long new secret"})):
        assert response.status_code == 410
        assert "This invitation has expired. Ask the person who invited you to send a new one." in text(response)
    assert db.session.scalar(select(User).where(User.email == "new@bakery.lu")) is None


def test_used_invitation_is_a_410_that_points_to_sign_in(app, client, invite):
    token = invite()
    data = {"name": "Nina", "password": "a long new secret", "password_confirm": "a long new secret"}
    assert client.post(f"/invite/{token}", data=data).status_code == 303
    again = app.test_client().get(f"/invite/{token}")
    assert again.status_code == 410
    assert "already been used" in text(again) and 'href="/store/login"' in text(again)


def test_unknown_or_revoked_invitation_is_a_404(client, invite, centre, owner):
    assert client.get("/invite/not-a-real-token").status_code == 404
    token = invite()
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "new@bakery.lu"))
    services.revoke_invitation(centre, invitation.id, owner)
    assert client.get(f"/invite/{token}").status_code == 404


def test_a_deactivated_account_cannot_accept(client, invite):
    gone = make_user("gone@bakery.lu", active=False)
    token = invite("gone@bakery.lu")
    response = client.post(f"/invite/{token}")  # it cannot sign in, so it can never accept
    assert response.status_code == 403 and "Sign in as gone@bakery.lu first" in text(response)
    assert client.post("/store/login", data={"email": gone.email, "password": PASSWORD}).status_code == 422
    assert db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == gone.id)) is None


# -- password reset -----------------------------------------------------------------------------
SENT = "If an account uses this address, we have sent it a link"


def test_reset_request_answers_the_same_for_known_and_unknown_addresses(client, owner, mail_folder):
    unknown = client.post("/store/password-reset", data={"email": "nobody@bakery.lu"})
    known = client.post("/store/password-reset", data={"email": "Owner@Bakery.lu"})
    assert unknown.status_code == known.status_code == 200
    assert SENT in text(unknown) and SENT in text(known)
    (mail,) = mails(mail_folder)
    assert "To: owner@bakery.lu" in mail and "/store/password-reset/" in mail


def test_a_deactivated_account_gets_no_reset_mail(client, mail_folder, platform):
    make_user("gone@bakery.lu", active=False)
    assert SENT in text(client.post("/store/password-reset", data={"email": "gone@bakery.lu"}))
    assert mails(mail_folder) == []


def test_the_reset_link_sets_a_new_password_once_and_ends_other_sessions(app, client, owner, centre, mail_folder):
    other_device = app.test_client()
    other_device.post("/store/login", data={"email": owner.email, "password": PASSWORD})
    client.post("/store/password-reset", data={"email": owner.email})
    link = link_in(mails(mail_folder)[0], "/store/password-reset/")
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "my new long secret", "password_confirm": "my new long secret"})
    assert response.status_code == 303 and response.headers["Location"] == "/store/"
    db.session.expire_all()
    assert verify_password(db.session.get(User, owner.id).password_hash, "my new long secret")
    assert other_device.get("/store/centre/").status_code == 303  # signed out there
    assert client.get("/store/centre/").status_code == 200  # signed in here
    reused = app.test_client().get(link)
    assert reused.status_code == 410 and "already been used" in text(reused)


def test_an_expired_reset_link_is_a_clear_410(client, owner, mail_folder, monkeypatch):
    link = f"/store/password-reset/{_token_for(owner)}"
    monkeypatch.setattr(store_services, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 410 and "This reset link has expired" in text(response)
    assert client.post(link, data={"password": "my new long secret",
                                   "password_confirm": "my new long secret"}).status_code == 410


def test_a_tampered_reset_link_is_a_400(client, owner):
    token = _token_for(owner)
    response = client.get(f"/store/password-reset/{token[:-2]}xx")
    assert response.status_code == 400 and "This reset link is not valid" in text(response)


def test_bad_new_password_answers_the_form_fragment(htmx_client, owner):
    response = htmx_client.post(f"/store/password-reset/{_token_for(owner)}",
                                data={"password": "short", "password_confirm": "short"})
    assert response.status_code == 422
    assert "<html" not in text(response) and "at least 10 characters" in text(response)


def _token_for(user: User) -> str:
    from flask import current_app

    with current_app.test_request_context():
        return store_services.password_reset_token(user)


def test_a_reset_request_answers_the_same_when_the_mail_server_is_down(client, owner, monkeypatch):
    from blueprints.tenancy import store_services

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(store_services, "send_mail", smtp_down)
    known = client.post("/store/password-reset", data={"email": owner.email})
    unknown = client.post("/store/password-reset", data={"email": "nobody@bakery.lu"})
    assert known.status_code == unknown.status_code == 200
    assert SENT in text(known) and SENT in text(unknown)
