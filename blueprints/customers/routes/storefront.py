"""Storefront: the shopper's account at /s/<store_code>/account/… (or /account/… on the store's domain).

Register, sign in and out, reset a forgotten password, edit the profile (language, marketing
consent), change the password and keep addresses. A shopper is signed in for the store's
merchant only (see services.sessions); every page that needs an account sends strangers to sign in.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _

from blueprints.customers.forms import (
    AddressForm,
    CustomerLoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegisterForm,
)
from blueprints.customers.services import CustomerError, NotFound, accounts
from blueprints.customers.services.sessions import current_customer, end_session, start_session
from webapp import htmx
from webapp.extensions import limiter
from webapp.i18n import current_language, store_languages
from webapp.security import safe_next_url
from webapp.tenancy import current_store, domain_relative, storefront_blueprint

bp = storefront_blueprint("customers_storefront", __name__, "account")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_key() -> str:
    # Per address, merchant and e-mail: one address cannot lock every account of every store.
    store = current_store()
    return f"{request.remote_addr}|{store.merchant_id if store else ''}|{request.form.get('email', '').strip().lower()}"


def _add_error(form, exc: CustomerError) -> str | None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None or not hasattr(field, "errors"):
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None


def _here() -> str:
    """This page's path as the browser sees it (without ``/s/<code>`` on the store's own domain)."""
    return domain_relative(request.full_path if request.query_string else request.path)


def customer_required(view):
    """The view gets the signed-in customer of this store's merchant; others are sent to sign in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        customer = current_customer()
        if customer is None:
            return htmx.redirect(url_for(".login", next=_here()))
        try:
            return view(customer, *args, **kwargs)
        except NotFound:
            abort(404)

    return wrapped


def _sign_in(customer) -> None:
    start_session(customer)
    accounts.record_login(customer)


# -- sign-in, registration, sign-out ------------------------------------------------------------
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute", methods=["POST"])
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_customer() is not None:
        return htmx.redirect(next_url or url_for(".account"))
    form = CustomerLoginForm()
    error = None
    if form.validate_on_submit():
        customer = accounts.authenticate(current_store(), form.email.data, form.password.data)
        if customer is not None:
            _sign_in(customer)
            return htmx.redirect(next_url or url_for(".account"))
        error = _("The e-mail or password is not correct.")
    status = 422 if request.method == "POST" else 200
    return htmx.render("customers/storefront/login.html", "login_form", status=status, form=form, error=error,
                       next_url=next_url)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def register():
    if current_customer() is not None:
        return htmx.redirect(url_for(".account"))
    form = RegisterForm()
    error = None
    if form.validate_on_submit():
        try:
            customer = accounts.register(current_store(), form.data, language=current_language())
        except CustomerError as exc:
            error = _add_error(form, exc)
        else:
            _sign_in(customer)
            flash(_("Welcome! Your account is ready."), "success")
            return htmx.redirect(url_for(".account"))
    status = 422 if request.method == "POST" else 200
    return htmx.render("customers/storefront/register.html", "register_form", status=status, form=form, error=error)


@bp.post("/logout")
def logout():
    end_session(current_store().merchant_id)
    flash(_("You are signed out."), "info")
    return htmx.redirect(url_for(".login"))


# -- password reset -----------------------------------------------------------------------------
@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute", methods=["POST"])
def password_reset_request():
    form = PasswordResetRequestForm()
    sent = False
    if form.validate_on_submit():
        accounts.request_password_reset(current_store(), form.email.data)
        sent = True  # the same answer whether or not the address has an account
    status = 422 if request.method == "POST" and not sent else 200
    return htmx.render("customers/storefront/password_reset_request.html", "reset_request", status=status,
                       form=form, sent=sent)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def password_reset(token: str):
    store = current_store()
    try:
        accounts.customer_for_reset_token(store, token)
    except accounts.ResetLinkError as exc:
        return htmx.render("customers/storefront/password_reset_invalid.html", status=exc.status, message=str(exc))
    form = PasswordResetForm()
    error = None
    if form.validate_on_submit():
        try:
            customer = accounts.reset_password(store, token, form.password.data)
        except CustomerError as exc:
            error = _add_error(form, exc)
        except accounts.ResetLinkError as exc:  # used meanwhile in another tab
            return htmx.render("customers/storefront/password_reset_invalid.html", status=exc.status,
                               message=str(exc))
        else:
            _sign_in(customer)
            flash(_("Your password is changed and you are signed in. Other sessions were signed out."), "success")
            return htmx.redirect(url_for(".account"))
    status = 422 if request.method == "POST" else 200
    return htmx.render("customers/storefront/password_reset.html", "reset_form", status=status, form=form,
                       error=error, token=token)


# -- the account --------------------------------------------------------------------------------
def _account_page(customer, block: str | None = None, *, status: int = 200, **context):
    store = current_store()
    languages = store_languages(store)
    context.setdefault("form", ProfileForm(languages, formdata=None, obj=customer))
    context.setdefault("password_form", PasswordChangeForm(formdata=None))
    return htmx.render("customers/storefront/account.html", block, status=status, customer=customer, store=store,
                       **context)


@bp.get("/")
@customer_required
def account(customer):
    return _account_page(customer)


@bp.post("/profile")
@customer_required
def profile(customer):
    form = ProfileForm(store_languages(current_store()))
    if not form.validate():
        return _account_page(customer, "profile_form", status=422, form=form)
    try:
        accounts.update_profile(current_store(), customer, form.data)
    except CustomerError as exc:
        return _account_page(customer, "profile_form", status=422, form=form, error=_add_error(form, exc))
    return _account_page(customer, "profile_form", form=form, toast=_("Your details are saved."))


def _customer_key() -> str:
    customer = current_customer()
    return f"{request.remote_addr}|customer-{customer.id if customer else ''}"


@bp.post("/password")
@limiter.limit(_login_limit, key_func=_customer_key)
@customer_required
def password(customer):
    form = PasswordChangeForm()
    if not form.validate():
        return _account_page(customer, "password_form", status=422, password_form=form)
    try:
        accounts.change_password(current_store(), customer, form.current_password.data, form.new_password.data)
    except CustomerError as exc:
        return _account_page(customer, "password_form", status=422, password_form=form,
                             password_error=_add_error(form, exc))
    # The new session token ended every session; this one carries on (the page keeps its CSRF token).
    start_session(customer, renew_csrf=False)
    return _account_page(customer, "password_form", password_form=PasswordChangeForm(formdata=None),
                         password_toast=_("Your password is changed. Your other sessions were signed out."))


# -- addresses ----------------------------------------------------------------------------------
def _addresses_page(customer, block: str | None = None, *, status: int = 200, **context):
    context.setdefault("form", AddressForm(formdata=None))
    return htmx.render("customers/storefront/addresses.html", block, status=status, customer=customer,
                       addresses=accounts.addresses_of(customer), **context)


@bp.route("/addresses", methods=["GET", "POST"])
@customer_required
def addresses(customer):
    if request.method == "GET":
        return _addresses_page(customer)
    form = AddressForm()
    if form.validate():
        try:
            accounts.add_address(customer, form.data)
        except CustomerError as exc:
            return _addresses_page(customer, "address_book", status=422, form=form, error=_add_error(form, exc))
        return _addresses_page(customer, "address_book", toast=_("Address added."))
    return _addresses_page(customer, "address_book", status=422, form=form)


@bp.route("/addresses/<id:address_id>", methods=["GET", "POST"])
@customer_required
def address(customer, address_id: int):
    address = accounts.get_address(customer, address_id)
    form = AddressForm(obj=address)
    error = None
    if request.method == "POST" and form.validate():
        try:
            accounts.update_address(customer, address_id, form.data)
        except CustomerError as exc:
            error = _add_error(form, exc)
        else:
            flash(_("Address saved."), "success")
            return htmx.redirect(url_for(".addresses"))
    status = 422 if request.method == "POST" else 200
    return htmx.render("customers/storefront/address.html", "address_form", status=status, customer=customer,
                       address=address, form=form, error=error)


@bp.post("/addresses/<id:address_id>/default")
@customer_required
def address_default(customer, address_id: int):
    accounts.make_default_address(customer, address_id)
    return _addresses_page(customer, "address_book", toast=_("Default address changed."))


@bp.post("/addresses/<id:address_id>/delete")
@customer_required
def address_delete(customer, address_id: int):
    accounts.delete_address(customer, address_id)
    return _addresses_page(customer, "address_book", toast=_("Address removed."))
