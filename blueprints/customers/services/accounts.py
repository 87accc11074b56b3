"""Shopper accounts on the storefront: registration, sign-in, password reset, profile, addresses.

Messages here are shown to shoppers, so they are translated (gettext). Every function takes the
store of the request: the account it reads or writes is always one of that store's merchant.
"""
from __future__ import annotations

import hashlib
import hmac
import logging

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from blueprints.customers.models import Customer, CustomerAddress
from blueprints.customers.services import CustomerError, NotFound, flush_unique, one_line
from webapp.extensions import db
from webapp.i18n import store_languages
from webapp.mail import absolute_url, send_mail
from webapp.models import utcnow
from webapp.security import (
    MIN_PASSWORD_LENGTH,
    audit,
    hash_password,
    new_session_token,
    password_hasher,
    verify_password,
)

log = logging.getLogger(__name__)
PASSWORD_RESET_MAX_AGE = 3600  # seconds
PASSWORD_RESET_SALT = "buttek.customers.password-reset"
DEFAULT_COUNTRY = "LU"


def target(customer: Customer) -> str:
    """How audit rows name a customer: by id, so that erasure leaves no e-mail in the log."""
    return f"customer #{customer.id}"


def normalise_email(email: str | None) -> str:
    email = (email or "").strip().lower()
    local, _at, domain = email.rpartition("@")
    if not local or "." not in domain or any(ch.isspace() for ch in email) or len(email) > 254:
        raise CustomerError(_("Enter a valid e-mail address."), "email")
    return email


def check_password(password: str | None, email: str = "", field: str = "password") -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CustomerError(_("The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
                            field)
    if len(password) > 256:
        raise CustomerError(_("The password is too long (256 characters at most)."), field)
    if len(set(password)) < 4 or (email and password.lower() in (email, email.partition("@")[0])):
        raise CustomerError(_("This password is too easy to guess. Choose a longer, less obvious one."), field)
    return password


def _set_password(customer: Customer, password: str) -> None:
    customer.password_hash = hash_password(password)
    customer.session_token = new_session_token()  # every other session of the customer ends


def customer_by_email(merchant_id: int, email: str) -> Customer | None:
    return db.session.scalar(select(Customer).where(Customer.merchant_id == merchant_id,
                                                    Customer.email == (email or "").strip().lower()))


# -- registration and sign-in -------------------------------------------------------------------
def register(store, data: dict, language: str | None = None) -> Customer:
    """A new account with the store's merchant; the e-mail must be new to that merchant."""
    email = normalise_email(data.get("email"))
    password = check_password(data.get("password"), email)
    if customer_by_email(store.merchant_id, email) is not None:
        raise CustomerError(_("An account with this e-mail already exists. Sign in, or reset your password."),
                            "email")
    consent = bool(data.get("marketing_consent"))
    customer = Customer(merchant_id=store.merchant_id, registered_store_id=store.id, email=email,
                        first_name=one_line(data.get("first_name"))[:80],
                        last_name=one_line(data.get("last_name"))[:80],
                        language=language if language in store_languages(store) else None,
                        marketing_consent=consent, marketing_consent_at=utcnow() if consent else None)
    _set_password(customer, password)
    db.session.add(customer)
    flush_unique(_("An account with this e-mail already exists. Sign in, or reset your password."), "email")
    audit("customer.registered", target=target(customer), store=store, user=False,
          details={"marketing_consent": consent})
    db.session.commit()
    return customer


def authenticate(store, email: str, password: str) -> Customer | None:
    """The customer of the store's merchant with these credentials, or None (same answer for both failures)."""
    customer = customer_by_email(store.merchant_id, email)
    usable = customer is not None and not customer.is_erased and bool(customer.password_hash)
    if not verify_password(customer.password_hash if usable else "", password or "") or not usable:
        return None
    if password_hasher.check_needs_rehash(customer.password_hash):
        customer.password_hash = hash_password(password)
    return customer


def record_login(customer: Customer) -> None:
    customer.last_login_at = utcnow()
    db.session.commit()


# -- password reset -----------------------------------------------------------------------------
class ResetLinkError(ValueError):
    """A reset link that cannot be used; ``status`` is the HTTP answer (400 malformed, 410 gone)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PASSWORD_RESET_SALT)


def _fingerprint(customer: Customer) -> str:
    """Changes with the password, so that a link works once."""
    return hashlib.sha256(f"{customer.id}:{customer.password_hash}".encode()).hexdigest()[:24]


def password_reset_token(customer: Customer) -> str:
    return _serializer().dumps({"customer": customer.id, "merchant": customer.merchant_id,
                                "fingerprint": _fingerprint(customer)})


def request_password_reset(store, email: str) -> bool:
    """Mail a reset link if the merchant has this customer; the caller answers the same either way."""
    customer = customer_by_email(store.merchant_id, email)
    if customer is None or customer.is_erased:
        return False
    link = absolute_url("customers_storefront.password_reset", store_code=store.store_code,
                        token=password_reset_token(customer))
    audit("customer.password_reset_requested", target=target(customer), store=store, user=False)
    db.session.commit()
    try:
        send_mail(customer.email, _("Reset your password at %(store)s", store=one_line(store.name)),
                  _("Hello %(name)s,\n\nSomeone (hopefully you) asked to reset the password of your account at "
                    "%(store)s. Choose a new password within one hour:\n\n%(link)s\n\n"
                    "If you did not ask for this, ignore this e-mail: your password stays as it is.\n",
                    name=customer.first_name or customer.email, store=one_line(store.name), link=link))
    except (OSError, ValueError):
        log.exception("The password reset mail to customer %s could not be sent", customer.id)
        return False
    return True


def customer_for_reset_token(store, token: str) -> Customer:
    try:
        data = _serializer().loads(token, max_age=PASSWORD_RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise ResetLinkError(_("This reset link has expired (links are valid for one hour). Ask for a new one."),
                             410) from exc
    except BadSignature as exc:
        raise ResetLinkError(_("This reset link is not valid. Check that you copied the whole link from the "
                               "e-mail, or ask for a new one."), 400) from exc
    customer_id = data.get("customer") if isinstance(data, dict) else None
    customer = db.session.get(Customer, customer_id) if isinstance(customer_id, int) else None
    if customer is None or customer.merchant_id != store.merchant_id or customer.is_erased:
        raise ResetLinkError(_("This reset link is not valid. Ask for a new one."), 400)
    if not hmac.compare_digest(str(data.get("fingerprint", "")), _fingerprint(customer)):
        raise ResetLinkError(_("This reset link has already been used. Ask for a new one if you need to."), 410)
    return customer


def reset_password(store, token: str, password: str) -> Customer:
    customer = customer_for_reset_token(store, token)
    _set_password(customer, check_password(password, customer.email))
    audit("customer.password_reset", target=target(customer), store=store, user=False)
    db.session.commit()
    return customer


# -- profile ------------------------------------------------------------------------------------
def update_profile(store, customer: Customer, data: dict) -> Customer:
    """Name, phone, language and marketing consent (its date is when it was given)."""
    first_name, last_name = one_line(data.get("first_name")), one_line(data.get("last_name"))
    if not first_name:
        raise CustomerError(_("Enter your first name."), "first_name")
    language = data.get("language") or None
    if language is not None and language not in store_languages(store):
        raise CustomerError(_("Choose one of the languages of this store."), "language")
    customer.first_name, customer.last_name = first_name[:80], last_name[:80]
    customer.phone = one_line(data.get("phone"))[:40]
    customer.language = language
    consent = bool(data.get("marketing_consent"))
    if consent != customer.marketing_consent:
        customer.marketing_consent = consent
        customer.marketing_consent_at = utcnow() if consent else None
        audit("customer.marketing_consent_given" if consent else "customer.marketing_consent_withdrawn",
              target=target(customer), store=store, user=False)
    db.session.commit()
    return customer


def set_language(customer: Customer, language: str) -> None:
    """The language a signed-in shopper switched to becomes their preference."""
    if customer.language != language:
        customer.language = language
        db.session.commit()


def change_password(store, customer: Customer, current_password: str, new_password: str) -> Customer:
    if not verify_password(customer.password_hash, current_password or ""):
        raise CustomerError(_("The current password is not correct."), "current_password")
    check_password(new_password, customer.email, "new_password")
    if verify_password(customer.password_hash, new_password):
        raise CustomerError(_("Choose a password that differs from the current one."), "new_password")
    _set_password(customer, new_password)
    audit("customer.password_changed", target=target(customer), store=store, user=False)
    db.session.commit()
    return customer


# -- addresses ----------------------------------------------------------------------------------
ADDRESS_FIELDS = ("label", "name", "street", "postal_code", "city", "country")
ADDRESS_LIMIT = 50


def addresses_of(customer: Customer) -> list[CustomerAddress]:
    return list(db.session.scalars(select(CustomerAddress).where(CustomerAddress.customer_id == customer.id)
                                   .order_by(CustomerAddress.is_default.desc(), CustomerAddress.id)))


def get_address(customer: Customer, address_id: int) -> CustomerAddress:
    address = db.session.get(CustomerAddress, address_id)
    if address is None or address.customer_id != customer.id:
        raise NotFound(address_id)
    return address


def _clean_address(data: dict) -> dict:
    cleaned = {key: one_line(data.get(key)) for key in ADDRESS_FIELDS}
    for key, message in (("name", _("Enter the name on the address.")), ("street", _("Enter the street.")),
                         ("postal_code", _("Enter the postal code.")), ("city", _("Enter the city."))):
        if not cleaned[key]:
            raise CustomerError(message, key)
    cleaned["country"] = (cleaned["country"] or DEFAULT_COUNTRY).upper()
    if not (len(cleaned["country"]) == 2 and cleaned["country"].isascii() and cleaned["country"].isalpha()):
        raise CustomerError(_("Use the two-letter country code, e.g. LU."), "country")
    return cleaned


def _make_default(customer: Customer, address: CustomerAddress) -> None:
    db.session.execute(update(CustomerAddress).where(CustomerAddress.customer_id == customer.id,
                                                     CustomerAddress.id != address.id)
                       .values(is_default=False))
    address.is_default = True


def add_address(customer: Customer, data: dict) -> CustomerAddress:
    cleaned = _clean_address(data)
    existing = addresses_of(customer)
    if len(existing) >= ADDRESS_LIMIT:
        raise CustomerError(_("You have %(count)d addresses already; remove one first.", count=ADDRESS_LIMIT))
    address = CustomerAddress(customer_id=customer.id, **cleaned)
    db.session.add(address)
    db.session.flush()
    if data.get("is_default") or not existing:
        _make_default(customer, address)
    db.session.commit()
    return address


def update_address(customer: Customer, address_id: int, data: dict) -> CustomerAddress:
    address = get_address(customer, address_id)
    for key, value in _clean_address(data).items():
        setattr(address, key, value)
    if data.get("is_default"):
        _make_default(customer, address)
    db.session.commit()
    return address


def make_default_address(customer: Customer, address_id: int) -> CustomerAddress:
    address = get_address(customer, address_id)
    _make_default(customer, address)
    db.session.commit()
    return address


def delete_address(customer: Customer, address_id: int) -> None:
    address = get_address(customer, address_id)
    was_default = address.is_default
    db.session.delete(address)
    db.session.flush()
    if was_default:
        following = db.session.scalar(select(CustomerAddress).where(CustomerAddress.customer_id == customer.id)
                                      .order_by(CustomerAddress.id).limit(1))
        if following is not None:
            following.is_default = True
    db.session.commit()
