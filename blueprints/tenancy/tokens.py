"""Signed, single-use password links: reset links, and the first password of invited staff."""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from webapp.models import User

PASSWORD_RESET_SALT = "buttek.tenancy.password-reset"


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PASSWORD_RESET_SALT)


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a link works once (and no longer after any change)."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def password_reset_token(user: User) -> str:
    return serializer().dumps({"user": user.id, "fingerprint": password_fingerprint(user)})
