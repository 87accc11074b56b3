"""The unified store admin (/store/…): sign-in, store picker, password reset and each store's pages.

Store pages live under ``/store/<store_code>/``. The tenancy resolver has already loaded the store
from the URL; this blueprint checks that the code it routes on is that store, and every store
page goes through ``store_page(permission)``: signed in, allowed in this store (else 404, as if
it did not exist), holding the permission (else 403).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, flash, g, request, session, url_for
from flask_login import current_user, login_user, logout_user

from blueprints.tenancy import services, store_services
from blueprints.tenancy.permissions import MERCHANT_ROLES, ROLE_LABELS, STORE_ROLES, access_of, may_use_platform
from blueprints.tenancy.services import NotFound, TenancyError
from blueprints.tenancy.store_forms import (
    InviteForm,
    MerchantSettingsForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    ProfileForm,
    RoleForm,
    StoreLoginForm,
    StoreSettingsForm,
)
from webapp import htmx
from webapp.extensions import limiter
from webapp.modules import enabled_codes
from webapp.registry import get_registry
from webapp.security import authenticate, can, current_actor, safe_next_url
from webapp.tenancy import add_store_code, current_platform, current_store, pull_store_code, store_page

bp = Blueprint("tenancy_store", __name__, url_prefix="/store")

ON_BEHALF_KEY = "tenancy_on_behalf_stores"  # ids of the stores this session opened on a merchant's behalf
BAD_CREDENTIALS = "The e-mail or password is not correct."
RESET_SENT = ("If an account uses this address, we have sent it a link to choose a new password. "
              "The link is valid for one hour.")


# -- the store in the URL ----------------------------------------------------------------------
bp.url_value_preprocessor(pull_store_code)
bp.url_defaults(add_store_code)


@dataclass
class StoreShell:
    """What the store admin layout shows around a page: switcher, on-behalf banner."""

    store: object
    on_behalf: bool
    role_label: str
    stores: list = field(default_factory=list)


def store_shell() -> StoreShell | None:
    """Built once per request, only when the layout asks (other modules' store pages use it too)."""
    if "tenancy_store_shell" not in g:
        store = current_store()
        shell = None
        if store is not None and current_user.is_authenticated:
            if current_user.is_platform_staff:
                stores = list(store.merchant.stores)  # the merchant's stores, not every store of the platform
                role_label = "Platform staff, on behalf"
            else:
                stores = _stores_for(current_user)
                role_label = ROLE_LABELS.get(access_of(current_user).role_in(store), "")
            shell = StoreShell(store=store, on_behalf=current_user.is_platform_staff, role_label=role_label,
                               stores=stores)
        g.tenancy_store_shell = shell
    return g.tenancy_store_shell


@bp.app_context_processor
def inject_store_shell() -> dict:
    return {"store_shell": store_shell}


def _stores_for(user) -> list:
    """The user's stores on this request's platform (stores_of does not filter merchant staff by platform)."""
    platform = current_platform()
    if platform is None or (user.is_platform_staff and not may_use_platform(user, platform.id)):
        return []
    return [s for s in services.stores_of(user, platform) if s.platform_id == platform.id]


def _here() -> str:
    return request.full_path if request.query_string else request.path


def enter_store(permission: str):
    """The store of this request for a store admin page: signed in (else the login page), a user of
    this store (else 404), holding ``permission`` (else 403). Registered as the framework's store guard,
    so every module's ``store_page`` views pass here."""
    if not current_user.is_authenticated:
        return htmx.redirect(url_for("tenancy_store.login", next=_here()))
    try:
        store = services.get_store_for(current_user, current_store())
    except NotFound:
        abort(404)
    if not can(current_user, permission, store):
        abort(403)
    if not store.is_active and not current_user.is_platform_staff:
        # Suspension closes the store to its staff too; platform staff may still look in.
        abort(403, f"{store.name} is suspended by the platform. Contact its support to reopen it.")
    if current_user.is_platform_staff:
        _record_on_behalf(store)
    return store


def _record_on_behalf(store) -> None:
    """A platform admin in a store admin acts for the merchant: audited once per session and store."""
    opened = session.get(ON_BEHALF_KEY, [])
    if store.id in opened:
        return
    services.record_on_behalf(store, current_actor())
    session[ON_BEHALF_KEY] = [*opened, store.id]


def _add_error(form, exc: TenancyError) -> str | None:
    """Put a service's refusal under its field; returns it when it belongs to no field of ``form``."""
    target = getattr(form, exc.field, None) if exc.field else None
    if target is None or not hasattr(target, "errors"):
        return str(exc)
    target.errors = [*target.errors, str(exc)]
    return None


# -- sign-in -----------------------------------------------------------------------------------
def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_key() -> str:
    # Per address and e-mail (as the platform admin login): one address cannot lock every account.
    return f"{request.remote_addr}|{request.form.get('email', '').strip().lower()}"


def _sign_in(user) -> None:
    session.clear()  # a fresh session (and CSRF token): nothing planted before sign-in survives
    login_user(user)
    store_services.record_login(user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute", methods=["POST"])
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return htmx.redirect(next_url or url_for(".picker"))
    form = StoreLoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user)
            return htmx.redirect(next_url or url_for(".picker"))
        error = BAD_CREDENTIALS
    status = 422 if request.method == "POST" else 200
    return htmx.render("tenancy/store/login.html", "login_form", status=status, form=form, error=error,
                       next_url=next_url)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        store_services.record_logout(current_actor())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return htmx.redirect(url_for(".login"))


@bp.get("/")
def picker():
    if not current_user.is_authenticated:
        return htmx.redirect(url_for(".login", next=request.path))
    stores = _stores_for(current_user)
    if len(stores) == 1:
        return htmx.redirect(url_for(".dashboard", store_code=stores[0].store_code))
    return htmx.render("tenancy/store/picker.html", stores=stores)


# -- password reset ----------------------------------------------------------------------------
@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute", methods=["POST"])
def password_reset_request():
    form = PasswordResetRequestForm()
    sent = False
    if form.validate_on_submit():
        store_services.request_password_reset(form.email.data)
        sent = True  # the same answer whether or not the address has an account
    status = 422 if request.method == "POST" and not sent else 200
    return htmx.render("tenancy/store/password_reset_request.html", "reset_request", status=status, form=form,
                       sent=sent, message=RESET_SENT)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def password_reset(token: str):
    try:
        store_services.user_for_reset_token(token)
    except store_services.ResetLinkError as exc:
        return htmx.render("tenancy/store/password_reset_invalid.html", status=exc.status, message=str(exc))
    form = PasswordResetForm()
    error = None
    if form.validate_on_submit():
        try:
            user = store_services.reset_password(token, form.password.data)
        except TenancyError as exc:
            error = _add_error(form, exc)
        else:
            _sign_in(user)
            flash("Your password is changed and you are signed in. Other sessions were signed out.", "success")
            return htmx.redirect(url_for(".picker"))
    status = 422 if request.method == "POST" else 200
    return htmx.render("tenancy/store/password_reset.html", "reset_form", status=status, form=form, error=error,
                       token=token)


# -- the store's pages -------------------------------------------------------------------------
@bp.get("/<store_code>/")
@store_page("core.dashboard.view")
def dashboard(store):
    return htmx.render("tenancy/store/dashboard.html", store=store, tiles=_dashboard_tiles(store))


def _dashboard_tiles(store) -> list:
    """Every enabled module's ``dashboard_tiles(store)``; one failing module does not take the page down."""
    enabled = enabled_codes(store.platform)
    tiles = []
    for module in get_registry():
        hook = module.hook("dashboard_tiles") if module.code in enabled else None
        if hook is None:
            continue
        try:
            tiles.extend(hook(store))
        except Exception:
            if current_app.testing:
                raise
            current_app.logger.exception("Dashboard tiles of module %s failed", module.code)
    return sorted(tiles, key=lambda tile: tile.order)


@bp.route("/<store_code>/settings", methods=["GET", "POST"])
@store_page("tenancy.stores.manage")
def settings(store):
    form = StoreSettingsForm(obj=store)
    status, toast, error = 200, None, None
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                services.update_store(store, form.data, current_actor())
            except TenancyError as exc:
                error = _add_error(form, exc)
            else:
                status, toast = 200, "Store settings saved."
    return htmx.render("tenancy/store/settings.html", "settings_form", status=status, store=store, form=form,
                       toast=toast, error=error, refresh_shell=toast is not None and htmx.wants_fragment())


@bp.route("/<store_code>/merchant", methods=["GET", "POST"])
@store_page("tenancy.merchants.manage")
def merchant(store):
    try:
        merchant = services.get_merchant(current_user, store.merchant_id)
    except NotFound:
        abort(404)
    form = MerchantSettingsForm(obj=merchant)
    status, toast, error = 200, None, None
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                services.update_merchant(merchant, form.data, current_actor())
            except TenancyError as exc:
                error = _add_error(form, exc)
            else:
                status, toast = 200, "Merchant details saved."
                form = MerchantSettingsForm(formdata=None, obj=merchant)  # shows the normalised VAT number
    return htmx.render("tenancy/store/merchant.html", "merchant_form", status=status, store=store,
                       merchant=merchant, form=form, toast=toast, error=error)


# -- profile -----------------------------------------------------------------------------------
def _profile_page(store, block: str, *, status: int = 200, **forms):
    user = current_actor()
    forms.setdefault("form", ProfileForm(formdata=None, obj=user))
    forms.setdefault("password_form", PasswordChangeForm(formdata=None))
    return htmx.render("tenancy/store/profile.html", block, status=status, store=store, user=user, **forms)


@bp.route("/<store_code>/profile", methods=["GET", "POST"])
@store_page("core.profile.edit")
def profile(store):
    if request.method == "GET":
        return _profile_page(store, "profile_form")
    form = ProfileForm()
    if not form.validate():
        return _profile_page(store, "profile_form", status=422, form=form)
    try:
        store_services.update_profile(current_actor(), form.data)
    except TenancyError as exc:
        return _profile_page(store, "profile_form", status=422, form=form, error=_add_error(form, exc))
    return _profile_page(store, "profile_form", form=form, toast="Your profile is saved.")


def _user_key() -> str:
    return f"{request.remote_addr}|{current_user.get_id() if current_user.is_authenticated else ''}"


@bp.post("/<store_code>/profile/password")
@limiter.limit(_login_limit, key_func=_user_key)
@store_page("core.profile.edit")
def profile_password(store):
    form = PasswordChangeForm()
    if not form.validate():
        return _profile_page(store, "password_form", status=422, password_form=form)
    user = current_actor()
    try:
        store_services.change_password(user, form.current_password.data, form.new_password.data)
    except TenancyError as exc:
        return _profile_page(store, "password_form", status=422, password_form=form,
                             password_error=_add_error(form, exc))
    # The new session token signed every session out; this one carries on with the new token.
    login_user(user)
    return _profile_page(store, "password_form", password_toast="Your password is changed. "
                                                                "Your other sessions were signed out.")


# -- team --------------------------------------------------------------------------------------
def _team_context(store, **extra) -> dict:
    user = current_actor()
    roles = store_services.invitable_roles(user, store)
    context = {
        "store": store,
        "members": services.team_of(store),
        "invitations": store_services.team_invitations(store),
        "role_labels": ROLE_LABELS,
        "store_roles": STORE_ROLES,
        "merchant_roles": store_services.merchant_roles_granted_by(user, store),
        "invite_form": InviteForm(roles, formdata=None),
    }
    context.update(extra)
    return context


def _team_answer(store, template: str, message: str, *, level: str = "success", status: int = 200, **extra):
    """A team change: htmx gets ``template`` (the changed part, a toast); a plain form post goes back to the page."""
    if not htmx.wants_fragment():
        flash(message, level)
        return htmx.redirect(url_for(".team"))
    return htmx.render(template, status=status, toast=message, toast_level=level,
                       trigger={"tenancy:team-changed": {"store": store.store_code}} if status < 400 else None,
                       **_team_context(store, **extra))


@bp.get("/<store_code>/team")
@store_page("tenancy.team.manage")
def team(store):
    return htmx.render("tenancy/store/team.html", **_team_context(store))


@bp.post("/<store_code>/team/invitations")
@store_page("tenancy.team.manage")
def invite(store):
    user = current_actor()
    form = InviteForm(store_services.invitable_roles(user, store))
    error = None
    if form.validate():
        try:
            invitation = store_services.invite_to_team(store, form.email.data, form.role.data, user)
        except TenancyError as exc:
            error = _add_error(form, exc)
        else:
            return _team_answer(store, "tenancy/store/_invite_response.html",
                                f"Invitation sent to {invitation.email}.")
    return htmx.render("tenancy/store/team.html", "invite_form", status=422,
                       **_team_context(store, invite_form=form, invite_error=error))


@bp.post("/<store_code>/team/invitations/<id:invitation_id>/revoke")
@store_page("tenancy.team.manage")
def revoke_invitation(store, invitation_id: int):
    try:
        invitation = store_services.revoke_team_invitation(store, invitation_id, current_actor())
    except NotFound:
        abort(404)
    except TenancyError as exc:
        return _team_answer(store, "tenancy/store/_invitations_response.html", str(exc), level="danger",
                            status=422)
    return _team_answer(store, "tenancy/store/_invitations_response.html",
                        f"The invitation of {invitation.email} is revoked.")


@bp.post("/<store_code>/team/members/<id:membership_id>/role")
@store_page("tenancy.team.manage")
def member_role(store, membership_id: int):
    return _change_role(store, "store", membership_id, STORE_ROLES, store_services.change_member_role)


@bp.post("/<store_code>/team/members/<id:membership_id>/remove")
@store_page("tenancy.team.manage")
def remove_member(store, membership_id: int):
    return _remove(store, membership_id, store_services.remove_member)


# Owners and administrators of the merchant work in all its stores; only those who manage the merchant change them.
@bp.post("/<store_code>/team/merchant-members/<id:merchant_membership_id>/role")
@store_page("tenancy.merchants.manage")
def merchant_member_role(store, merchant_membership_id: int):
    return _change_role(store, "merchant", merchant_membership_id, MERCHANT_ROLES,
                        store_services.change_merchant_member_role)


@bp.post("/<store_code>/team/merchant-members/<id:merchant_membership_id>/remove")
@store_page("tenancy.merchants.manage")
def remove_merchant_member(store, merchant_membership_id: int):
    return _remove(store, merchant_membership_id, store_services.remove_merchant_member)


def _change_role(store, scope: str, membership_id: int, roles: tuple[str, ...], change):
    form = RoleForm(roles)
    role = form.role.data if form.validate() else ""  # the service looks the member up first: 404 before 422
    try:
        membership = change(store, membership_id, role, current_actor())
    except NotFound:
        abort(404)
    except TenancyError as exc:
        return _team_answer(store, "tenancy/store/_member_row_response.html", str(exc), level="danger",
                            status=422, scope=scope, membership_id=membership_id)
    return _team_answer(store, "tenancy/store/_member_row_response.html",
                        f"{membership.user.email} is now {ROLE_LABELS[membership.role].lower()}.",
                        scope=scope, membership_id=membership.id)


def _remove(store, membership_id: int, remove):
    try:
        membership = remove(store, membership_id, current_actor())
    except NotFound:
        abort(404)
    except TenancyError as exc:
        return _team_answer(store, "tenancy/store/_members_response.html", str(exc), level="danger", status=422)
    return _team_answer(store, "tenancy/store/_members_response.html",
                        f"{membership.user.email} no longer works in {store.name}.")
