"""The one place that reads HX-* request headers and writes HX-* response headers.

Views call ``render`` (whole page or one block), ``redirect`` and pass ``trigger=`` events;
they never look at htmx headers themselves. htmx-flask supplies ``request.htmx``; we write
response headers ourselves because its helper rejects valid swap values.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Response, make_response, render_template, request
from flask import redirect as flask_redirect
from jinja2_fragments.flask import render_block

from webapp.extensions import htmx


def is_htmx() -> bool:
    return bool(getattr(request, "htmx", False))


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of a page.

    Boosted navigation and history restoration need the whole page, or Back would show a bare
    fragment.
    """
    if not is_htmx():
        return False
    return not (request.htmx.boosted or request.htmx.history_restore_request)


def render(
    template: str,
    block: str | None = None,
    *,
    status: int = 200,
    trigger: dict[str, Any] | str | None = None,
    trigger_after_swap: dict[str, Any] | str | None = None,
    reswap: str | None = None,
    retarget: str | None = None,
    push_url: str | None = None,
    **context: Any,
) -> Response:
    """Render ``template`` whole, or only ``block`` when htmx asks for a fragment."""
    if block is not None and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    return decorate(response, trigger=trigger, trigger_after_swap=trigger_after_swap, reswap=reswap,
                    retarget=retarget, push_url=push_url)


def decorate(
    response: Response,
    *,
    trigger: dict[str, Any] | str | None = None,
    trigger_after_swap: dict[str, Any] | str | None = None,
    reswap: str | None = None,
    retarget: str | None = None,
    push_url: str | None = None,
) -> Response:
    """``trigger`` events fire when the answer arrives; ``trigger_after_swap`` ones once it is in the page
    (listeners that read the swapped content, e.g. a form value, need the latter)."""
    if trigger:
        response.headers["HX-Trigger"] = trigger if isinstance(trigger, str) else json.dumps(trigger)
    if trigger_after_swap:
        response.headers["HX-Trigger-After-Swap"] = (trigger_after_swap if isinstance(trigger_after_swap, str)
                                                     else json.dumps(trigger_after_swap))
    if reswap:
        response.headers["HX-Reswap"] = reswap
    if retarget:
        response.headers["HX-Retarget"] = retarget
    if push_url:
        response.headers["HX-Push-Url"] = push_url
    return response


def redirect(location: str, code: int = 303) -> Response:
    """A redirect that htmx follows as a full navigation (see ``convert_redirects``)."""
    return flask_redirect(location, code)


def convert_redirects(response: Response) -> Response:
    """after_request: htmx would swap a followed redirect into its target; send HX-Redirect."""
    response.vary.add("HX-Request")
    if is_htmx() and 300 <= response.status_code < 400 and response.location:
        converted = make_response("", 200)
        converted.headers["HX-Redirect"] = response.location
        converted.vary.add("HX-Request")
        for cookie in response.headers.getlist("Set-Cookie"):
            converted.headers.add("Set-Cookie", cookie)
        return converted
    return response


def init_htmx(app) -> None:
    htmx.init_app(app)
    app.after_request(convert_redirects)
