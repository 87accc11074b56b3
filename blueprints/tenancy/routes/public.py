"""Pages reached from e-mails: accepting an invitation (password resets live under /store/password-reset)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request, session, url_for
from flask_login import current_user, login_user

from blueprints.tenancy import services, store_services
from blueprints.tenancy.permissions import ROLE_LABELS
from blueprints.tenancy.services import NotFound, TenancyError
from blueprints.tenancy.store_forms import AcceptInvitationForm, ConfirmForm
from webapp import htmx
from webapp.extensions import limiter

bp = Blueprint("tenancy_public", __name__)


def _gone(message: str):
    """An expired or used invitation: a clear page, 410 Gone."""
    return htmx.render("tenancy/public/invitation_gone.html", status=410, message=message)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def accept_invitation(token: str):
    try:
        invitation = services.find_invitation(token)
    except NotFound:
        abort(404)
    except TenancyError as exc:
        return _gone(str(exc))
    existing = store_services.user_by_email(invitation.email)
    where = invitation.store.name if invitation.store else invitation.merchant.name
    # A link is not a password: an existing account accepts only when signed in as itself.
    must_sign_in = existing is not None and not (current_user.is_authenticated and current_user.id == existing.id)
    form = ConfirmForm() if existing is not None else AcceptInvitationForm()
    error = None
    if must_sign_in and request.method == "POST":
        error = f"Sign in as {existing.email} first, then accept the invitation."
    elif form.validate_on_submit():
        data = {} if existing is not None else {"name": form.name.data, "password": form.password.data}
        try:
            user = services.accept_invitation(token, **data)
        except TenancyError as exc:
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None:
                target.errors = [*target.errors, str(exc)]
            else:
                error = str(exc)
        else:
            if existing is None:  # a new account, whose password was just chosen here
                session.clear()
                login_user(user)
                store_services.record_login(user)
            flash(f"Welcome to {where}!", "success")
            return htmx.redirect(url_for("tenancy_store.picker"))
    status = (403 if must_sign_in else 422) if request.method == "POST" else 200
    signed_in_as = current_user.email if current_user.is_authenticated else None
    return htmx.render("tenancy/public/invitation.html", "invitation_form", status=status, form=form, error=error,
                       invitation=invitation, existing=existing, token=token, role_label=ROLE_LABELS[invitation.role],
                       where=where, signed_in_as=signed_in_as, must_sign_in=must_sign_in,
                       sign_in_url=url_for("tenancy_store.login", next=url_for(".accept_invitation", token=token)))
