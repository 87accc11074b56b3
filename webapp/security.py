"""Passwords, security headers, access decorators and the audit helper."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, has_request_context, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.extensions import db, login_manager
from webapp.models import AuditLog, User

# argon2id with the library's RFC 9106 "low memory" profile defaults.
password_hasher = PasswordHasher()

# Compared against when the e-mail is unknown, so that timing does not reveal which e-mails exist.
_DUMMY_HASH = password_hasher.hash(secrets.token_hex(16))

MIN_PASSWORD_LENGTH = 10

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return password_hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def new_session_token() -> str:
    return secrets.token_hex(16)


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()  # signs the user out of every other session


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated argon2 parameters."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if not verify_password(user.password_hash if user else "", password) or user is None:
        return None
    if not user.is_active:
        return None
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not token or not secrets.compare_digest(user.session_token, token):
        return None
    return user


# (user, permission, store) -> allowed. The tenancy module registers the real one at start-up.
PermissionCheck = Callable[[User, str, Any], bool]
_permission_check: PermissionCheck | None = None


def set_permission_check(check: PermissionCheck) -> None:
    global _permission_check
    _permission_check = check


def current_actor() -> User | None:
    """The signed-in staff user as the object itself, not Flask-Login's proxy: what services are given
    as the actor (they keep it, e.g. in audit rows, beyond the request)."""
    user = current_user._get_current_object()
    return user if getattr(user, "is_authenticated", False) else None


def can(user, permission: str, store=None) -> bool:
    """May ``user`` use ``permission`` (a code a module declares) in ``store``?

    The one check behind views, menus and services. Without the tenancy module's rules only
    platform staff may do anything.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if _permission_check is not None:
        return _permission_check(user, permission, store)
    return user.is_platform_staff


def safe_next_url(target: str | None) -> str | None:
    """``next=`` only ever leads to a path on this site (browsers drop tabs and read ``/\\`` as ``//``)."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def platform_staff_required(view):
    """The view needs a signed-in platform admin or super admin."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_platform_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def super_admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_super_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def audit(action: str, *, target: str = "", platform=None, user=None, details: dict | None = None,
          merchant=None, store=None) -> AuditLog:
    """Add an audit row to the session; the caller's commit makes it durable with the change.

    ``user`` defaults to the signed-in staff user; ``user=False`` records no user (a shopper's own
    action, even while a staff member is signed in in the same browser).
    """
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    user = user or None
    if store is not None:
        merchant = merchant or store.merchant
    if merchant is not None:
        platform = platform or merchant.platform
    entry = AuditLog(
        action=action,
        target=target,
        platform_id=platform.id if platform is not None else None,
        merchant_id=merchant.id if merchant is not None else None,
        store_id=store.id if store is not None else None,
        user_id=user.id if user is not None else None,
        details=details or {},
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def reject_nul_characters() -> None:
    """before_request: a NUL byte is never valid input, and PostgreSQL text refuses it (a 500)."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.form:
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400, "The request contains a NUL character, which is never valid input.")


def init_security(app) -> None:
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:  # behind a reverse proxy: trust its X-Forwarded-* headers for that many hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    app.before_request(reject_nul_characters)
    login_manager.init_app(app)
    login_manager.login_view = "core_admin.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.after_request(set_security_headers)
