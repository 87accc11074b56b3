"""Store admin: the media library (grid, upload, alt text, delete) and the picker other forms embed.

The picker (``templates/cms/media/_picker.html``) loads ``picker`` into its modal and swaps
itself for ``choose``'s answer: choosing a file is a GET that re-renders the widget, no script.
"""
from __future__ import annotations

import re

from flask import abort, current_app, flash, request, url_for

from blueprints.cms.services import media
from webapp import htmx
from webapp.errors import error_response
from webapp.security import current_actor
from webapp.tenancy import current_store, store_admin_blueprint, store_page

bp = store_admin_blueprint("cms_media", __name__, "cms/media")

PERMISSION = "cms.media.manage"
CHANGED = "cms:media-changed"  # htmx event: the grid reloads itself
CHOSEN = "cms:media-chosen"  # htmx event: a picker's value changed
PICKER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,79}$")


# -- template helpers (also used by the picker macro inside other modules' forms) ----------------
@bp.app_template_global("cms_media_item")
def media_item_of_current_store(media_id):
    """The current store's media item ``media_id``, or None (an empty or stale form value)."""
    store = current_store()
    return media.find_item(store, media_id) if store is not None else None


@bp.app_template_global("cms_media_url")
def media_url(item, thumbnail: bool = False) -> str:
    return media.file_url(current_store(), item, thumbnail=thumbnail)


@bp.app_template_filter("media_size")
def media_size(size: int) -> str:
    return media.format_size(size or 0)


@bp.errorhandler(413)
def upload_too_large(exc):
    """The request body is beyond MAX_CONTENT_LENGTH: refused before it is read, with the limit."""
    limit = media.format_size(current_app.config["MEDIA_MAX_BYTES"])
    return error_response(413, f"The file is larger than the limit of {limit}. Make it smaller and upload it again.")



def _listing(store) -> dict:
    search = request.args.get("q", "")
    result = media.list_items(store, search, request.args.get("page", 1, type=int))
    return {"result": result, "search": media.clean_text(search, 100),
            "list_url": url_for(".index", q=search or None)}


# -- the library -------------------------------------------------------------------------------
@bp.get("/")
@store_page(PERMISSION)
def index(store):
    return htmx.render("cms/media/index.html", "media_grid", store=store, **_listing(store))


@bp.post("/upload")
@store_page(PERMISSION)
def upload(store):
    file = request.files.get("file")
    alt_text = request.form.get("alt_text", "")
    try:
        item = media.upload(store, file.filename if file else "", file.stream if file else None, current_actor(),
                            alt_text=alt_text)
    except media.MediaError as exc:
        return htmx.render("cms/media/index.html", "upload_form", status=exc.status, store=store, error=str(exc),
                           status_is_error=exc.status != 422, alt_text=media.clean_text(alt_text, 300),
                           **_listing(store))
    message = f"“{item.original_name}” is uploaded."
    if not htmx.wants_fragment():
        flash(message, "success")
        return htmx.redirect(url_for(".index"))
    return htmx.render("cms/media/index.html", "upload_form", store=store, toast=message, trigger=CHANGED,
                       **_listing(store))


@bp.post("/<id:media_id>/alt-text")
@store_page(PERMISSION)
def alt_text(store, media_id: int):
    try:
        item = media.update_alt_text(store, media_id, request.form.get("alt_text", ""), current_actor())
    except media.NotFound:
        abort(404)
    if not htmx.wants_fragment():
        flash(f"The description of “{item.original_name}” is saved.", "success")
        return htmx.redirect(url_for(".index"))
    return htmx.render("cms/media/_card_response.html", item=item, toast="Description saved.")


@bp.get("/<id:media_id>/delete")
@store_page(PERMISSION)
def confirm_delete(store, media_id: int):
    """The delete dialog's content: the places that use the item, or the confirmation."""
    try:
        item = media.get_item(store, media_id)
    except media.NotFound:
        abort(404)
    return htmx.render("cms/media/delete.html", "delete_dialog", store=store, item=item,
                       places=media.usages(store, item.id))


@bp.post("/<id:media_id>/delete")
@store_page(PERMISSION)
def delete(store, media_id: int):
    try:
        item = media.delete_item(store, media_id, current_actor())
    except media.NotFound:
        abort(404)
    except media.MediaInUse as exc:
        if not htmx.wants_fragment():
            flash(str(exc), "danger")
            return htmx.redirect(url_for(".index"))
        return htmx.render("partials/_toast.html", status=exc.status, level="danger", message=str(exc))
    message = f"“{item.original_name}” is deleted."
    if not htmx.wants_fragment():
        flash(message, "success")
        return htmx.redirect(url_for(".index"))
    return htmx.render("partials/_toast.html", level="success", message=message, trigger=CHANGED)


# -- the picker --------------------------------------------------------------------------------
def _picker_args() -> dict:
    name, accept = request.args.get("name", ""), request.args.get("accept", "image")
    if not PICKER_NAME.match(name):
        abort(400, "The picker needs the name of its form field (letters, digits, - and _).")
    if accept not in media.ACCEPT:
        abort(400, f"Choose what the picker accepts: {', '.join(media.ACCEPT)}.")
    return {"name": name, "accept": accept, "label": media.clean_text(request.args.get("label", ""), 120)}


@bp.get("/picker")
@store_page(PERMISSION)
def picker(store):
    """The grid inside a picker's modal: search and pages swap its results only."""
    args = _picker_args()
    search = request.args.get("q", "")
    result = media.list_items(store, search, request.args.get("page", 1, type=int), accept=args["accept"], per_page=12)
    return htmx.render("cms/media/picker.html", "picker", store=store, result=result,
                       search=media.clean_text(search, 100), value=request.args.get("value", type=int),
                       picker_url=url_for(".picker", name=args["name"], accept=args["accept"], label=args["label"]),
                       **args)


@bp.get("/picker/choose")
@store_page(PERMISSION)
def choose(store):
    """The picker widget again, holding the chosen item (or nothing, for "remove")."""
    args = _picker_args()
    media_id = request.args.get("media_id", "")
    if media_id:
        try:
            media_id = media.get_item(store, media_id, accept=args["accept"]).id
        except media.NotFound:
            abort(404)
    # Forms that embed the picker may listen (e.g. the theme's live preview): hx-trigger="cms:media-chosen from:body".
    return htmx.render("cms/media/_picker_widget.html", value=media_id or None,
                       trigger_after_swap={CHOSEN: {"name": args["name"], "media_id": media_id or None}}, **args)
