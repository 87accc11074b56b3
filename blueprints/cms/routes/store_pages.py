"""Store admin: content pages (the store's own, its customised defaults, the platform's defaults)."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.cms.forms import apply_error, fill, page_data, page_form
from blueprints.cms.services import markdown, pages
from blueprints.cms.services.pages import NotFound, PageError
from webapp import htmx
from webapp.i18n import LANGUAGES, store_languages
from webapp.models import utcnow
from webapp.security import can, current_actor
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("cms_pages", __name__, "cms/pages")


def _page(store, page_id: int):
    try:
        return pages.get_store_page(store, page_id)
    except NotFound:
        abort(404)



@bp.get("/")
@store_page("cms.pages.view")
def index(store):
    return htmx.render("cms/pages/index.html", store=store, rows=pages.store_pages(store), now=utcnow())


def _editor(store, form, page=None, *, error=None, status=200):
    languages = store_languages(store)
    urls = {"save": url_for(".edit", page_id=page.id) if page else url_for(".new"),
            "preview": url_for(".preview", page_id=page.id) if page else url_for(".preview"),
            "view": url_for("cms_storefront.page", slug=page.slug) if page else None}
    if page is not None:
        urls.update({action: url_for(f".{action}", page_id=page.id)
                     for action in ("publish", "unpublish", "revert", "delete")})
        urls["restore"] = lambda revision_id: url_for(".restore", page_id=page.id, revision_id=revision_id)
    return htmx.render("cms/pages/edit.html", "editor" if status == 422 else None, status=status, store=store,
                       form=form, page=page, error=error, languages=languages, language_names=LANGUAGES, now=utcnow(),
                       layout="layouts/store.html", in_store=True, urls=urls,
                       may_edit=can(current_user, "cms.pages.edit", store),
                       crumbs=[(store.name, url_for("tenancy_store.dashboard")), (_("Pages"), url_for(".index"))],
                       default=pages.default_for(page) if page is not None else None,
                       revisions=pages.revisions(page) if page is not None and page.store_id else [])


@bp.route("/new", methods=["GET", "POST"])
@store_page("cms.pages.edit")
def new(store):
    form = page_form(store_languages(store))
    if request.method == "POST" and form.validate():
        try:
            page = pages.create_store_page(store, page_data(form), current_actor())
        except PageError as exc:
            return _editor(store, form, error=apply_error(form, exc), status=422)
        flash(_("The page %(slug)s is created.", slug=page.slug), "success")
        return htmx.redirect(url_for(".edit", page_id=page.id))
    return _editor(store, form, status=422 if request.method == "POST" else 200)


@bp.route("/<id:page_id>", methods=["GET", "POST"])
@store_page("cms.pages.view")
def edit(store, page_id: int):
    page = _page(store, page_id)
    form = page_form(store_languages(store), formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        fill(form, page)
        return _editor(store, form, page)
    if not can(current_user, "cms.pages.edit", store):  # viewers may open the editor, not save
        abort(403)
    if not form.validate():
        return _editor(store, form, page, status=422)
    try:
        saved = pages.update_store_page(store, page, page_data(form), current_actor())
    except PageError as exc:
        return _editor(store, form, page, error=apply_error(form, exc), status=422)
    flash(_("The page is saved.") if saved.id == page.id else
          _("Your version of this page is saved; the platform's default stays for other stores."), "success")
    return htmx.redirect(url_for(".edit", page_id=saved.id))


@bp.post("/<id:page_id>/preview")
@bp.post("/preview")
@store_page("cms.pages.view")
def preview(store, page_id: int | None = None):
    """The live preview beside the editor: the chosen language's title and text, rendered as shoppers see it."""
    if page_id is not None:
        _page(store, page_id)
    languages = store_languages(store)
    language = request.form.get("preview_language", languages[0])
    if language not in languages:
        language = languages[0]
    body = request.form.get(f"body_{language}", "")[: markdown.MAX_MARKDOWN]
    return htmx.render("cms/pages/_preview.html", title=request.form.get(f"title_{language}", ""),
                       body=markdown.render(body), language=language, languages=languages,
                       language_names=LANGUAGES)


def _change(store, page_id: int, change, done: str):
    page = _page(store, page_id)
    try:
        result = change(store, page, current_actor())
    except NotFound:
        abort(404)
    except PageError as exc:
        flash(str(exc), "danger")
        return htmx.redirect(url_for(".edit", page_id=page.id))
    flash(done, "success")
    return htmx.redirect(url_for(".edit", page_id=result.id) if result is not None else url_for(".index"))


@bp.post("/<id:page_id>/publish")
@store_page("cms.pages.edit")
def publish(store, page_id: int):
    return _change(store, page_id, lambda s, p, a: pages.set_published(s, p, True, a), _("The page is published."))


@bp.post("/<id:page_id>/unpublish")
@store_page("cms.pages.edit")
def unpublish(store, page_id: int):
    return _change(store, page_id, lambda s, p, a: pages.set_published(s, p, False, a),
                   _("The page is hidden from shoppers."))


@bp.post("/<id:page_id>/revert")
@store_page("cms.pages.edit")
def revert(store, page_id: int):
    return _change(store, page_id, pages.revert_to_default, _("The platform's default page shows again."))


@bp.post("/<id:page_id>/delete")
@store_page("cms.pages.edit")
def delete(store, page_id: int):
    return _change(store, page_id, lambda s, p, a: pages.delete_store_page(s, p, a), _("The page is deleted."))


@bp.post("/<id:page_id>/revisions/<id:revision_id>/restore")
@store_page("cms.pages.edit")
def restore(store, page_id: int, revision_id: int):
    return _change(store, page_id, lambda s, p, a: pages.restore_revision(s, p, revision_id, a),
                   _("The revision is restored as the current version."))
