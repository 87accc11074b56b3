"""Error pages: every expected failure is a clear 4xx page (or fragment), never a 500."""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp import htmx
from webapp.i18n import is_storefront_request
from webapp.tenancy import NotFound, current_store

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You do not have permission to do this."),
    404: ("Not found", "There is nothing here. Check the address, or go back to the start page."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
    409: ("Conflict", "This change conflicts with the current state."),
    422: ("Invalid input", "Some of the input is not valid."),
    429: ("Too many attempts", "Too many attempts. Please wait a minute before trying again."),
    500: ("Something went wrong", "An unexpected error happened. It has been logged."),
}


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith(("/health", "/metrics")) or (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


# The start page of each admin surface, by path: an error page offers the way back to it.
WAYS_BACK = (("/admin", {"label": "Go to the admin dashboard", "href": "/admin/", "icon": "house"}),
             ("/store", {"label": "Go to your stores", "href": "/store/", "icon": "shop"}))


def error_response(status: int, message: str | None = None):
    title, default_message = MESSAGES.get(status, ("Error", "The request failed."))
    message = message or default_message
    if wants_json():
        return jsonify({"error": title, "message": message}), status
    if htmx.wants_fragment():
        # htmx does not swap error responses by default: show a toast instead.
        response = htmx.render("partials/_toast.html", status=status, level="danger", message=message)
        return htmx.decorate(response, reswap="none")
    store = current_store() if is_storefront_request() and status < 500 else None
    if store is not None and store.is_active:
        return _storefront_error(status)
    way_back = next((way for prefix, way in WAYS_BACK if request.path.startswith(prefix)), None)
    return htmx.render("errors/error.html", status=status, code=status, title=title, message=message,
                       way_back=way_back)


def _storefront_error(status: int):
    """A shopper's error page, in the store's theme and language, with the store's navigation."""
    if status == 404:
        title, message = _("Page not found"), _("This page does not exist (any more). The links above lead on.")
    else:
        title, message = _("This did not work"), _("Please go back and try again.")
    return htmx.render("errors/storefront.html", status=status, code=status, title=title, message=message)


def handle_http_exception(exc: HTTPException):
    description = exc.description if exc.code not in (404, 500) and exc.description else None
    if exc.code == 429:
        description = MESSAGES[429][1]
    return error_response(exc.code or 500, description)


def handle_csrf_error(exc: CSRFError):
    return error_response(400, f"The form's security token is missing or invalid ({exc.description}). "
                               "Reload the page and try again.")


def handle_not_found(_exc: NotFound):
    return error_response(404)


def handle_unexpected(exc: Exception):
    if current_app.testing:
        raise exc  # let the test show the traceback
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500)


def init_errors(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(NotFound, handle_not_found)
    app.register_error_handler(Exception, handle_unexpected)
