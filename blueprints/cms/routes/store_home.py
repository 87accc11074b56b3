"""Store admin: the storefront home page's sections (add, edit, reorder, delete).

One page: the section list on one side, the editor (a kind chooser, or one section's form) on the
other. htmx requests get the changed part, the list out of band and a toast; plain form posts are
redirected back to the page.
"""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _

from blueprints.cms.forms_home import fill, section_data, section_form
from blueprints.cms.services import home
from blueprints.cms.services.home import HomeError, NotFound
from webapp import htmx
from webapp.i18n import LANGUAGES, store_languages
from webapp.security import current_actor
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("cms_home", __name__, "cms/home")

PERMISSION = "cms.pages.edit"
SECTION = "/<id:section_id>"



def _section(store, section_id: int):
    try:
        return home.get_section(store, section_id)
    except NotFound:
        abort(404)


def _add_error(form, exc: HomeError) -> str | None:
    """Put a service's refusal under its field; returns it when no visible field of ``form`` has that name."""
    field = getattr(form, exc.field, None) if exc.field and exc.field != "kind" else None
    if field is None or not hasattr(field, "errors"):
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None


def _context(store, **extra) -> dict:
    languages = store_languages(store)
    context = {
        "store": store, "sections": home.home_sections(store), "languages": languages,
        "default_language": languages[0], "language_names": LANGUAGES, "kinds": home.KINDS,
        "kind_labels": home.KIND_LABELS, "kind_icons": home.KIND_ICONS, "kind_hints": home.KIND_HINTS,
        "button_kinds": home.BUTTON_KINDS, "image_kinds": home.IMAGE_KINDS, "max_sections": home.MAX_SECTIONS,
        "section": None, "form": None, "error": None,
    }
    context.update(extra)
    return context


def _page(store, block: str | None = None, *, status: int = 200, retarget: str | None = None, **extra):
    return htmx.render("cms/home/index.html", block, status=status, retarget=retarget, **_context(store, **extra))


def _form_saved(store, section, message: str, *, added: bool = False):
    """After an add or a save: htmx gets the section's fresh form, the list and a toast."""
    if not htmx.wants_fragment():
        flash(message, "success")
        return htmx.redirect(url_for(".edit", section_id=section.id))
    form = section_form(store_languages(store), formdata=None)
    fill(form, section)
    return htmx.render("cms/home/_form_response.html", **_context(store, section=section, form=form, added=added,
                                                                   toast=message))


def _list_changed(store, message: str, *, level: str = "success", status: int = 200, close_editor: bool = False):
    """After a move or a delete: htmx gets the list and a toast; a plain post goes back to the page."""
    if not htmx.wants_fragment():
        flash(message, level)
        return htmx.redirect(url_for(".index"))
    return htmx.render("cms/home/_sections_response.html", status=status,
                       **_context(store, toast=message, toast_level=level, close_editor=close_editor))


@bp.get("/")
@store_page(PERMISSION)
def index(store):
    return _page(store, "section_editor")


@bp.get("/new")
@store_page(PERMISSION)
def new(store):
    kind = request.args.get("kind", "")
    if kind not in home.KINDS:
        abort(404)
    form = section_form(store_languages(store), formdata=None)
    form.kind.data = kind
    return _page(store, "section_editor", form=form)


@bp.post("/")
@store_page(PERMISSION)
def add(store):
    form = section_form(store_languages(store))
    if form.kind.data not in home.KINDS:
        # The form posted was not for a kind we know: the whole editor (the kind chooser) replaces it.
        return _page(store, "section_editor", status=422, retarget="#section-editor",
                     error=_("Choose a kind of section to add."))
    if not form.validate():
        return _page(store, "section_form", status=422, form=form)
    try:
        section = home.add_section(store, form.kind.data, section_data(form), current_actor())
    except HomeError as exc:
        return _page(store, "section_form", status=422, form=form, error=_add_error(form, exc))
    return _form_saved(store, section, _("The %(kind)s section is added.",
                                         kind=home.KIND_LABELS[section.kind].lower()), added=True)


@bp.get(SECTION)
@store_page(PERMISSION)
def edit(store, section_id: int):
    section = _section(store, section_id)
    form = section_form(store_languages(store), formdata=None)
    fill(form, section)
    return _page(store, "section_editor", section=section, form=form)


@bp.post(SECTION)
@store_page(PERMISSION)
def save(store, section_id: int):
    section = _section(store, section_id)
    form = section_form(store_languages(store))
    form.kind.data = section.kind  # a section keeps its kind
    if not form.validate():
        return _page(store, "section_form", status=422, section=section, form=form)
    try:
        home.save_section(store, section, section_data(form), current_actor())
    except HomeError as exc:
        return _page(store, "section_form", status=422, section=section, form=form, error=_add_error(form, exc))
    return _form_saved(store, section, _("The %(kind)s section is saved.", kind=home.KIND_LABELS[section.kind].lower()))


@bp.post(f"{SECTION}/move")
@store_page(PERMISSION)
def move(store, section_id: int):
    try:
        section = home.move_section(store, section_id, request.form.get("direction", ""), current_actor())
    except NotFound:
        abort(404)
    except HomeError as exc:
        return _list_changed(store, str(exc), level="danger", status=422)
    return _list_changed(store, _("The %(kind)s section is now number %(number)s.",
                                  kind=home.KIND_LABELS[section.kind].lower(), number=section.position + 1))


@bp.post(f"{SECTION}/delete")
@store_page(PERMISSION)
def delete(store, section_id: int):
    try:
        label = home.delete_section(store, section_id, current_actor())
    except NotFound:
        abort(404)
    return _list_changed(store, _("%(section)s is deleted.", section=label),
                         close_editor=request.form.get("editing", type=int) == section_id)
