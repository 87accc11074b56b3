"""Platform admin: sign-in, dashboard, platforms and their module switches."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, request, session, url_for
from flask_login import current_user, login_user, logout_user

from blueprints.core import services
from blueprints.core.forms import LoginForm, PlatformForm
from blueprints.tenancy.permissions import may_use_platform
from webapp import htmx
from webapp import modules as module_service
from webapp.config_forms import config_fields, form_data
from webapp.extensions import limiter
from webapp.registry import Tier, get_registry
from webapp.security import authenticate, platform_staff_required, safe_next_url

bp = Blueprint("core_admin", __name__, url_prefix="/admin")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_key() -> str:
    # Per address and e-mail, so one attacker cannot lock every account from one address
    # and one account cannot be tried from many addresses without hitting the address limit.
    return f"{request.remote_addr}|{request.form.get('email', '').strip().lower()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated and current_user.is_platform_staff:
        return htmx.redirect(url_for(".dashboard"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and user.is_platform_staff:
            next_url = safe_next_url(request.args.get("next"))
            session.clear()  # a fresh session (and CSRF token) after sign-in
            login_user(user)
            services.record_login(user)
            return htmx.redirect(next_url or url_for(".dashboard"))
        error = "The e-mail or password is not correct."
    status = 422 if request.method == "POST" else 200
    return htmx.render("core/login.html", "login_form", status=status, form=form, error=error)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.record_logout(current_user)
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return htmx.redirect(url_for(".login"))


@bp.get("/")
@platform_staff_required
def dashboard():
    overview = services.platform_overview(current_user)
    return htmx.render("core/dashboard.html", overview=overview, registry_size=len(get_registry().modules))


@bp.route("/platforms", methods=["GET", "POST"])
@platform_staff_required
def platforms():
    form = PlatformForm()
    status = 200
    if request.method == "POST":
        if not current_user.is_super_admin:
            abort(403)
        if form.validate_on_submit():
            try:
                platform = services.create_platform(
                    form.code.data, form.name.data, services.parse_hosts(form.hosts.data or ""), current_user
                )
            except services.CoreError as exc:
                getattr(form, exc.field).errors.append(str(exc))
            else:
                flash(f"Platform {platform.name} created.", "success")
                return htmx.redirect(url_for(".modules", code=platform.code))
        status = 422
    return htmx.render("core/platforms.html", "platform_form", status=status,
                       overview=services.platform_overview(current_user), form=form)


# -- module switches ------------------------------------------------------------------------
def _platform_or_404(code: str):
    """A platform the signed-in admin may use; any other is a 404, like one that does not exist."""
    try:
        platform = module_service.get_platform(code)
    except module_service.UnknownModule:
        abort(404)
    if not may_use_platform(current_user, platform.id):
        abort(404)
    return platform


def _visible_states(platform):
    states = module_service.module_states(platform)
    if not current_user.is_super_admin:
        states = {c: s for c, s in states.items() if not s.module.is_internal}
    return states


def _state_or_404(platform, module_code: str):
    state = _visible_states(platform).get(module_code)
    if state is None:
        abort(404)
    return state


@bp.get("/platforms/<code>/modules")
@platform_staff_required
def modules(code: str):
    platform = _platform_or_404(code)
    tier = request.args.get("tier", "")
    states = _visible_states(platform)
    tiers = [t for t in Tier if any(s.module.tier is t for s in states.values())]
    shown = [t for t in tiers if not tier or t.value == tier]
    if tier and not shown:
        abort(404)
    groups = [(t, [s for s in states.values() if s.module.tier is t]) for t in shown]
    return htmx.render("core/modules.html", "module_list", platform=platform, groups=groups,
                       tiers=tiers, tier=tier, enabled_count=sum(s.enabled for s in states.values()))


@bp.get("/platforms/<code>/modules/<module_code>")
@platform_staff_required
def module_row(code: str, module_code: str):
    """A row in its resting state (used by Cancel)."""
    platform = _platform_or_404(code)
    return htmx.render("core/_module_row_response.html", platform=platform,
                       state=_state_or_404(platform, module_code), others=[])


@bp.get("/platforms/<code>/modules/<module_code>/<action>")
@platform_staff_required
def module_plan(code: str, module_code: str, action: str):
    """The row in confirm mode: what enabling also enables, or what disabling also disables."""
    platform = _platform_or_404(code)
    state = _state_or_404(platform, module_code)
    if action not in ("enable", "disable"):
        abort(404)
    planner = module_service.plan_enable if action == "enable" else module_service.plan_disable
    try:
        plan = planner(platform, module_code, current_user)
    except module_service.ModuleError as exc:
        abort(exc.status_code, str(exc))
    names = {c: s.module.name for c, s in module_service.module_states(platform).items()}
    return htmx.render("core/_module_row_response.html", platform=platform, state=state,
                       plan=plan, names=names, others=[])


@bp.post("/platforms/<code>/modules/<module_code>/<action>")
@platform_staff_required
def module_toggle(code: str, module_code: str, action: str):
    platform = _platform_or_404(code)
    _state_or_404(platform, module_code)
    if action not in ("enable", "disable"):
        abort(404)
    apply = module_service.enable if action == "enable" else module_service.disable
    try:
        plan = apply(platform, module_code, current_user)
    except module_service.ModuleError as exc:
        abort(exc.status_code, str(exc))
    states = _visible_states(platform)
    names = [states[c].module.name for c in plan.changes if c in states]
    verb = "enabled" if action == "enable" else "disabled"
    message = f"{', '.join(names)} {verb}." if names else f"Nothing to change: already {verb}."
    others = [states[c] for c in plan.also if c in states]
    return htmx.render("core/_module_row_response.html", platform=platform, state=states[module_code],
                       others=others, toast=message,
                       trigger={"core:modules-changed": {"platform": platform.code, "changes": plan.changes}})


@bp.route("/platforms/<code>/modules/<module_code>/config", methods=["GET", "POST"])
@platform_staff_required
def module_config(code: str, module_code: str):
    platform = _platform_or_404(code)
    state = _state_or_404(platform, module_code)
    schema = state.module.config_schema
    if not schema.model_fields:
        abort(404)
    if state.module.is_internal and not current_user.is_super_admin:
        abort(404)
    errors: dict[str, str] = {}
    values = state.config
    status, toast = 200, None
    if request.method == "POST":
        values = form_data(schema, request.form)
        try:
            module_service.update_config(platform, module_code, values, current_user)
        except module_service.ConfigInvalid as exc:
            errors, status = exc.errors, 422
        else:
            state = module_service.module_states(platform)[module_code]
            values, toast = state.config, f"Settings of {state.module.name} saved."
    return htmx.render("core/module_config.html", "config_form", status=status, platform=platform,
                       state=state, fields=config_fields(schema, values, errors), toast=toast,
                       has_errors=bool(errors))
