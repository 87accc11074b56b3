"""Platform admin: the platform's own site pages and the default pages it offers every store."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.cms.forms import apply_error, fill, page_data, page_form
from blueprints.cms.models import Page
from blueprints.cms.services import markdown, pages
from blueprints.cms.services.pages import NotFound, PageError
from blueprints.tenancy import services as tenancy
from webapp import htmx
from webapp.i18n import LANGUAGES
from webapp.models import utcnow
from webapp.security import can, platform_staff_required

bp = Blueprint("cms_admin", __name__, url_prefix="/admin/cms")
SCOPE_LABELS = {Page.DEFAULT: "Store defaults", Page.PLATFORM: "Platform site"}


def _platform():
    """The platform chosen with ?platform=<code>, else this host's; 404 outside the admin's platforms."""
    try:
        platform = tenancy.chosen_platform(current_user, request.values.get("platform"))
    except tenancy.NotFound:
        abort(404)
    if not can(current_user, "cms.pages.edit"):
        abort(403)
    return platform


def _page(platform, page_id: int) -> Page:
    try:
        return pages.get_platform_page(platform, page_id)
    except NotFound:
        abort(404)


@bp.get("/pages")
@platform_staff_required
def index():
    platform = _platform()
    return htmx.render("cms/admin/pages.html", platform=platform, groups=pages.platform_pages(platform),
                       scope_labels=SCOPE_LABELS, platforms=tenancy.visible_platforms(current_user), now=utcnow())


def _editor(platform, scope: str, form, page=None, *, error=None, status=200):
    here = {"platform": platform.code}
    urls = {"save": url_for(".edit", page_id=page.id, **here) if page else url_for(".new", scope=scope, **here),
            "preview": url_for(".preview", **here),
            "view": url_for("cms_site.page", slug=page.slug) if page and page.scope == Page.PLATFORM else None}
    if page is not None:
        urls.update({action: url_for(f".{action}", page_id=page.id, **here)
                     for action in ("publish", "unpublish", "delete")})
        urls["restore"] = lambda revision_id: url_for(".restore", page_id=page.id, revision_id=revision_id, **here)
    return htmx.render("cms/pages/edit.html", "editor" if status == 422 else None, status=status, form=form,
                       page=page, error=error, languages=list(LANGUAGES), language_names=LANGUAGES, now=utcnow(),
                       layout="layouts/admin.html", in_store=False, urls=urls, may_edit=True, default=None,
                       crumbs=[(_("Pages of %(platform)s", platform=platform.name), url_for(".index", **here)),
                               (_(SCOPE_LABELS[scope]), None)],
                       revisions=pages.revisions(page) if page is not None else [])


@bp.route("/pages/new", methods=["GET", "POST"])
@platform_staff_required
def new():
    platform = _platform()
    scope = request.args.get("scope", Page.DEFAULT)
    if scope not in SCOPE_LABELS:
        abort(404)
    form = page_form(list(LANGUAGES))
    if request.method == "POST" and form.validate():
        try:
            page = pages.save_platform_page(platform, scope, None, page_data(form), current_user)
        except PageError as exc:
            return _editor(platform, scope, form, error=apply_error(form, exc), status=422)
        flash(_("The page %(slug)s is created.", slug=page.slug), "success")
        return htmx.redirect(url_for(".edit", page_id=page.id, platform=platform.code))
    return _editor(platform, scope, form, status=422 if request.method == "POST" else 200)


@bp.route("/pages/<id:page_id>", methods=["GET", "POST"])
@platform_staff_required
def edit(page_id: int):
    platform = _platform()
    page = _page(platform, page_id)
    form = page_form(list(LANGUAGES), formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        fill(form, page)
        return _editor(platform, page.scope, form, page)
    if not form.validate():
        return _editor(platform, page.scope, form, page, status=422)
    try:
        pages.save_platform_page(platform, page.scope, page, page_data(form), current_user)
    except PageError as exc:
        return _editor(platform, page.scope, form, page, error=apply_error(form, exc), status=422)
    flash(_("The page is saved."), "success")
    return htmx.redirect(url_for(".edit", page_id=page.id, platform=platform.code))


@bp.post("/pages/preview")
@platform_staff_required
def preview():
    _platform()
    language = request.form.get("preview_language", "en")
    language = language if language in LANGUAGES else "en"
    return htmx.render("cms/pages/_preview.html", title=request.form.get(f"title_{language}", ""),
                       body=markdown.render(request.form.get(f"body_{language}", "")[: markdown.MAX_MARKDOWN]),
                       language=language)


def _change(page_id: int, change, done: str):
    platform = _platform()
    page = _page(platform, page_id)
    try:
        result = change(platform, page)
    except NotFound:
        abort(404)
    except PageError as exc:
        flash(str(exc), "danger")
        return htmx.redirect(url_for(".edit", page_id=page.id, platform=platform.code))
    flash(done, "success")
    if result is None:
        return htmx.redirect(url_for(".index", platform=platform.code))
    return htmx.redirect(url_for(".edit", page_id=result.id, platform=platform.code))


@bp.post("/pages/<id:page_id>/publish")
@platform_staff_required
def publish(page_id: int):
    return _change(page_id, lambda platform, page: pages.set_platform_page_published(platform, page, True,
                                                                                    current_user),
                   _("The page is published."))


@bp.post("/pages/<id:page_id>/unpublish")
@platform_staff_required
def unpublish(page_id: int):
    return _change(page_id, lambda platform, page: pages.set_platform_page_published(platform, page, False,
                                                                                    current_user),
                   _("The page is hidden."))


@bp.post("/pages/<id:page_id>/delete")
@platform_staff_required
def delete(page_id: int):
    return _change(page_id, lambda platform, page: pages.delete_platform_page(platform, page, current_user),
                   _("The page is deleted."))


@bp.post("/pages/<id:page_id>/revisions/<id:revision_id>/restore")
@platform_staff_required
def restore(page_id: int, revision_id: int):
    return _change(page_id, lambda platform, page: pages.restore_platform_revision(platform, page, revision_id,
                                                                                  current_user),
                   _("The revision is restored as the current version."))

