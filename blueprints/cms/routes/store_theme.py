"""Store admin: the storefront theme (preset, colours, fonts, logo, favicon, custom CSS) and its preview.

Choosing a preset (or "reset to preset") fills the design fields from it without saving; every
change of a field refreshes the preview, which links a stylesheet made from the unsaved values
(the CSP forbids inline styles). Saving validates everything in ``services.themes`` and audits.
"""
from __future__ import annotations

from flask import abort, make_response, request
from flask_babel import lazy_gettext as _l

from blueprints.cms.forms import apply_error
from blueprints.cms.forms_theme import ThemeForm
from blueprints.cms.services import themes
from blueprints.cms.services.themes import ThemeError
from webapp import htmx
from webapp.security import current_actor
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("cms_theme", __name__, "cms/theme")

TEMPLATE = "cms/theme/edit.html"


def _render(store, block: str | None, form: ThemeForm, *, status: int = 200, template: str = TEMPLATE,
            **context):
    # The form's fragment alone has no preview to show; the page and the other answers do.
    preview = None if block and htmx.wants_fragment() else themes.preview(store, form.data)
    return htmx.render(template, block, status=status, store=store, form=form, presets=themes.PRESETS,
                       preview=preview, **context)


@bp.route("/", methods=["GET", "POST"])
@store_page("cms.theme.edit")
def edit(store):
    if request.method == "GET":
        return _render(store, None, ThemeForm(formdata=None, obj=themes.theme_for_editing(store)))
    form = ThemeForm()
    if not form.validate():
        return _render(store, "theme_form", form, status=422)
    try:
        theme = themes.save_theme(store, form.data, current_actor())
    except ThemeError as exc:
        return _render(store, "theme_form", form, status=422, error=apply_error(form, exc))
    form = ThemeForm(formdata=None, obj=theme)  # shows the stored values (colours in lower case, CSS trimmed)
    return _render(store, "theme_form", form, toast=_l("Theme saved. Your storefront shows it now."),
                   trigger={"cms:theme-saved": {"store": store.store_code}})


@bp.post("/preset")
@store_page("cms.theme.edit")
def preset(store):
    """Fill the design fields from a preset (``choose_preset``), unsaved; the preview follows out of band."""
    form, status, error = ThemeForm(), 200, None
    try:
        form = ThemeForm(formdata=None, data=themes.preset_values(form.data, request.form.get("choose_preset", "")))
    except ThemeError as exc:
        status, error = 422, apply_error(form, exc)
    template = "cms/theme/_preset_response.html" if htmx.wants_fragment() else TEMPLATE
    return _render(store, None, form, status=status, template=template, error=error)


@bp.post("/preview")
@store_page("cms.theme.edit")
def preview(store):
    """The preview of the unsaved form values (refused values fall back, with the reason shown)."""
    return _render(store, None, ThemeForm(), template="cms/theme/_preview.html")


def _stylesheet(css: str, max_age: int):
    response = make_response(css)
    response.mimetype = "text/css"
    response.cache_control.private = True  # behind the sign-in: no shared cache keeps it
    response.cache_control.max_age = max_age
    return response


@bp.get("/preview.css")
@store_page("cms.theme.edit")
def preview_stylesheet(store):
    """The unsaved values (a signed token in ``t``) as CSS for the preview; the token is the content."""
    css = themes.preview_stylesheet(store, request.args.get("t", ""))
    if css is None:
        abort(404)
    return _stylesheet(css, 3600)


@bp.get("/preview-base.css")
@store_page("cms.theme.edit")
def preview_base_stylesheet(store):
    """The storefront's look inside the preview container, the same for every preview."""
    return _stylesheet(themes.preview_base_stylesheet(), 3600)
