"""Platform admin pages of the tenancy module: merchants, stores, domains, users, audit log.

Every object is looked up through a scoped service helper: an object on a platform the admin
may not use is a 404, like one that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from blueprints.tenancy import services
from blueprints.tenancy.dns import current_resolver
from blueprints.tenancy.forms import DomainForm, MerchantForm, StaffInviteForm, StoreEditForm, StoreForm
from blueprints.tenancy.models import ACTIVE, STATUSES, SUSPENDED, Merchant, Store
from webapp import htmx
from webapp.extensions import db
from webapp.models import User
from webapp.security import platform_staff_required, super_admin_required

bp = Blueprint("tenancy_admin", __name__, url_prefix="/admin")


def _selected_platform():
    """The platform chosen with ?platform=<code>, else the one of this host; 404 if not allowed."""
    return services.chosen_platform(current_user, request.values.get("platform"))


def _merchant(merchant_id: int) -> Merchant:
    return services.get_merchant(current_user, merchant_id)


def _store(store_id: int) -> Store:
    store = db.session.get(Store, store_id)
    if store is None:
        raise services.NotFound(store_id)
    services.get_merchant(current_user, store.merchant_id)  # same scope as its merchant
    return store


def _requested_status() -> str:
    status = request.values.get("status", "")
    if status not in (ACTIVE, SUSPENDED):
        abort(400, "Choose active or suspended.")
    return status


def _apply_error(form, exc: services.TenancyError) -> str | None:
    """Put a service's refusal on its form field; returns it when no field fits."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None


# -- merchants --------------------------------------------------------------------------------
@bp.get("/merchants")
@platform_staff_required
def merchants():
    platform = _selected_platform()
    search, status = request.args.get("q", "").strip(), request.args.get("status", "")
    sort, direction = request.args.get("sort", "name"), request.args.get("dir", "asc")
    if status and status not in STATUSES:
        abort(400, f"Unknown status '{status}'.")
    if sort not in ("name", "created") or direction not in ("asc", "desc"):
        abort(400, "Sort by name or created, ascending or descending.")
    result = services.list_merchants(platform, search=search, status=status,
                                     sort=("-" if direction == "desc" else "") + sort,
                                     page=request.args.get("page", 1, type=int))
    filters = {k: v for k, v in {"platform": platform.code, "q": search, "status": status}.items() if v}
    return htmx.render("tenancy/admin/merchants.html", "merchant_table", platform=platform, result=result,
                       search=search, status_filter=status, sort=sort, direction=direction,
                       sort_url=url_for(".merchants", **filters),
                       list_url=url_for(".merchants", **filters, sort=sort, dir=direction),
                       platforms=services.visible_platforms(current_user))


@bp.route("/merchants/new", methods=["GET", "POST"])
@platform_staff_required
def merchant_new():
    platform = _selected_platform()
    form = MerchantForm()
    error = None
    if form.validate_on_submit():
        try:
            merchant = services.create_merchant(platform, form.data, current_user)
        except services.TenancyError as exc:
            error = _apply_error(form, exc)
        else:
            flash(f"Merchant {merchant.name} created. Add its first store below.", "success")
            return htmx.redirect(url_for(".merchant", merchant_id=merchant.id))
    status = 422 if request.method == "POST" else 200
    return htmx.render("tenancy/admin/merchant_new.html", "merchant_form", status=status, form=form, error=error,
                       platform=platform)


@bp.route("/merchants/<id:merchant_id>", methods=["GET", "POST"])
@platform_staff_required
def merchant(merchant_id: int):
    merchant = _merchant(merchant_id)
    form = MerchantForm(obj=merchant)
    error, toast = None, None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.update_merchant(merchant, form.data, current_user)
            except services.TenancyError as exc:
                error = _apply_error(form, exc)
            else:
                toast = f"{merchant.name} saved."
        if toast is None:
            status = 422
    return htmx.render("tenancy/admin/merchant.html", "merchant_form", status=status, merchant=merchant, form=form,
                       error=error, toast=toast, store_form=StoreForm(formdata=None))


@bp.post("/merchants/<id:merchant_id>/status")
@platform_staff_required
def merchant_status(merchant_id: int):
    merchant = _merchant(merchant_id)
    status = _requested_status()
    services.set_merchant_status(merchant, status, current_user)
    flash(f"{merchant.name} is {'active again' if status == ACTIVE else 'suspended: its stores are closed'}.",
          "success" if status == ACTIVE else "warning")
    return htmx.redirect(url_for(".merchant", merchant_id=merchant.id))


@bp.post("/merchants/<id:merchant_id>/stores")
@platform_staff_required
def store_new(merchant_id: int):
    merchant = _merchant(merchant_id)
    store_form = StoreForm()
    error = None
    if store_form.validate_on_submit():
        try:
            store = services.create_store(merchant, store_form.data, current_user,
                                          owner_email=store_form.owner_email.data or None)
        except services.TenancyError as exc:
            error = _apply_error(store_form, exc)
        else:
            invited = f" and invited {store_form.owner_email.data}" if store_form.owner_email.data else ""
            flash(f"Store {store.name} created{invited}.", "success")
            return htmx.redirect(url_for(".store", store_id=store.id))
    return htmx.render("tenancy/admin/merchant.html", "store_form_block", status=422, merchant=merchant,
                       form=MerchantForm(obj=merchant, formdata=None), store_form=store_form, store_error=error)


# -- stores and domains -----------------------------------------------------------------------
@bp.get("/stores")
@platform_staff_required
def stores():
    platform = _selected_platform()
    search, status = request.args.get("q", "").strip(), request.args.get("status", "")
    if status and status not in STATUSES:
        abort(400, f"Unknown status '{status}'.")
    result = services.list_stores(platform, search=search, status=status, page=request.args.get("page", 1, type=int))
    filters = {k: v for k, v in {"platform": platform.code, "q": search, "status": status}.items() if v}
    return htmx.render("tenancy/admin/stores.html", "store_table", platform=platform, result=result, search=search,
                       status_filter=status, list_url=url_for(".stores", **filters),
                       platforms=services.visible_platforms(current_user))


def _render_store(store: Store, *, status: int = 200, form=None, domain_form=None, error=None, toast=None,
                  toast_level: str = "success", block: str | None = None):
    hosts = store.platform.hosts or []
    here = request.host.split(":")[0].lower()
    # The store admin lives on its platform's host; link there when this admin page is elsewhere.
    admin_url = (f"{request.scheme}://{hosts[0]}/store/{store.store_code}/" if hosts and here not in hosts
                 else f"/store/{store.store_code}/")
    return htmx.render("tenancy/admin/store.html", block, status=status, store=store, store_admin_url=admin_url,
                       form=form or StoreEditForm(obj=store, formdata=None),
                       domain_form=domain_form or DomainForm(formdata=None), error=error, toast=toast,
                       toast_level=toast_level,
                       instructions={d.id: services.dns_instructions(d) for d in store.domains})


@bp.route("/stores/<id:store_id>", methods=["GET", "POST"])
@platform_staff_required
def store(store_id: int):
    store = _store(store_id)
    if request.method == "GET":
        return _render_store(store)
    form = StoreEditForm()
    if form.validate_on_submit():
        try:
            services.update_store(store, form.data, current_user)
        except services.TenancyError as exc:
            return _render_store(store, status=422, form=form, error=_apply_error(form, exc), block="store_form")
        return _render_store(store, form=form, toast=f"{store.name} saved.", block="store_form")
    return _render_store(store, status=422, form=form, block="store_form")


@bp.post("/stores/<id:store_id>/status")
@platform_staff_required
def store_status(store_id: int):
    store = _store(store_id)
    status = _requested_status()
    services.set_store_status(store, status, current_user)
    flash(f"{store.name} is {'open again' if status == ACTIVE else 'suspended'}.", "success")
    return htmx.redirect(url_for(".store", store_id=store.id))


@bp.post("/stores/<id:store_id>/domains")
@platform_staff_required
def domain_add(store_id: int):
    store = _store(store_id)
    domain_form = DomainForm()
    if domain_form.validate_on_submit():
        try:
            domain = services.add_domain(store, domain_form.host.data, current_user)
        except services.TenancyError as exc:
            _apply_error(domain_form, exc)
        else:
            return _render_store(store, block="domains", toast=f"{domain.host} added: publish the TXT record, "
                                                                "then verify.")
    return _render_store(store, status=422, domain_form=domain_form, block="domains")


@bp.post("/stores/<id:store_id>/domains/<id:domain_id>/<action>")
@platform_staff_required
def domain_action(store_id: int, domain_id: int, action: str):
    store = _store(store_id)
    domain = services.get_domain(store, domain_id)
    toast, level = None, "success"
    try:
        if action == "verify":
            if services.verify_domain(domain, current_resolver(), current_user):
                toast = f"{domain.host} is verified and now serves the storefront."
            else:
                toast, level = f"No TXT record with the token was found for {domain.host} yet.", "warning"
        elif action == "primary":
            services.make_primary(domain, current_user)
            toast = f"{domain.host} is now the primary domain."
        elif action == "remove":
            host = domain.host
            services.remove_domain(domain, current_user)
            toast = f"{host} removed."
        else:
            abort(404)
    except services.TenancyError as exc:
        toast, level = str(exc), "danger"
    db.session.refresh(store)
    return _render_store(store, block="domains", toast=toast, toast_level=level)


# -- staff users ------------------------------------------------------------------------------
def _user_context(users: list[User]) -> dict:
    return {"platforms": services.visible_platforms(current_user),
            "assigned": services.platform_ids_by_user([user.id for user in users])}


@bp.get("/users")
@super_admin_required
def users():
    search = request.args.get("q", "").strip()
    result = services.list_users(search, page=request.args.get("page", 1, type=int))
    return htmx.render("tenancy/admin/users.html", "user_table", result=result, search=search,
                       list_url=url_for(".users", **({"q": search} if search else {})),
                       invite_form=StaffInviteForm(formdata=None), **_user_context(result.items))


@bp.post("/users/invite")
@super_admin_required
def user_invite():
    form = StaffInviteForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.invite_platform_staff(form.email.data, form.platform_role.data, current_user,
                                                  [int(pid) for pid in request.form.getlist("platform_ids")
                                                   if pid.isdigit()])
        except services.TenancyError as exc:
            error = _apply_error(form, exc)
        else:
            flash(f"{user.email} is invited: they got a link to choose a password.", "success")
            return htmx.redirect(url_for(".users"))
    result = services.list_users("", page=1)  # the whole page when htmx is not there
    return htmx.render("tenancy/admin/users.html", "invite_block", status=422, invite_form=form, invite_error=error,
                       result=result, search="", list_url=url_for(".users"), **_user_context(result.items))


@bp.post("/users/<id:user_id>/<action>")
@super_admin_required
def user_action(user_id: int, action: str):
    user = db.session.get(User, user_id)
    if user is None or action not in ("activate", "deactivate", "role", "platforms"):
        abort(404)
    try:
        if action == "platforms":
            allowed = {p.id for p in services.visible_platforms(current_user)}
            posted = request.form.getlist("platform_ids")
            chosen = [int(pid) for pid in posted if pid.isdigit() and int(pid) in allowed]
            if posted and not chosen:
                abort(400, "None of the chosen platforms exists.")
            services.assign_platforms(user, chosen, current_user)
            toast = (f"{user.email} works on {len(chosen)} platform(s)." if chosen
                     else f"{user.email} works on no platform until one is ticked.")
        elif action == "role":
            role = request.form.get("platform_role") or None
            services.set_platform_role(user, role, current_user)
            toast = f"{user.email} is now {(role or 'merchant staff').replace('_', ' ')}."
        else:
            services.set_user_active(user, action == "activate", current_user)
            toast = f"{user.email} {'can sign in again' if action == 'activate' else 'is deactivated and signed out'}."
    except services.TenancyError as exc:
        abort(409, str(exc))
    return htmx.render("tenancy/admin/_user_row_response.html", user=user, toast=toast, **_user_context([user]))


# -- audit log --------------------------------------------------------------------------------
@bp.get("/audit")
@platform_staff_required
def audit_log():
    platform = _selected_platform()
    action = request.args.get("action", "").strip()
    email = request.args.get("user", "").strip()
    merchant_id = request.args.get("merchant", type=int)
    if merchant_id and not 0 < merchant_id < 2**31:
        abort(404)
    if merchant_id:
        _merchant(merchant_id)
    result = services.audit_entries(platform, action=action, merchant_id=merchant_id, user_email=email,
                                    page=request.args.get("page", 1, type=int),
                                    include_platformless=current_user.is_super_admin)
    filters = {k: v for k, v in {"platform": platform.code, "action": action, "user": email,
                                 "merchant": merchant_id}.items() if v}
    return htmx.render("tenancy/admin/audit.html", "audit_table", platform=platform, result=result,
                       filters=filters, list_url=url_for(".audit_log", **filters),
                       platforms=services.visible_platforms(current_user))
