"""Links that leave the app (mails, calendar invites, feeds): absolute, on PUBLIC_BASE_URL.

Why one function: a link in a mail is read days later, far from the code that made it. Built
through Flask's own URL map, it follows a renamed or moved route, and an endpoint that no
longer exists fails loudly here (`werkzeug.routing.BuildError`) instead of mailing a dead
link. Why PUBLIC_BASE_URL and never the request's host: the mail worker and the CLI have no
request, and inside one a forged Host header must not put someone else's address in a mail.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` with `values` (the page language `lang` included, as
    the reader of a mail has no request to take it from). Values the route does not name
    become the query string. Works inside and outside a request."""
    base = urlsplit(str(current_app.config["PUBLIC_BASE_URL"]))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def endpoint_of(url: str) -> tuple[str, dict[str, Any]] | None:
    """The endpoint and values of a link `external_url` built (the inverse), or None when
    the link is not ours. A calendar entry carries the person's own join link; features
    that add their links beside it read the person's key back from it this way."""
    from werkzeug.exceptions import HTTPException

    base = urlsplit(str(current_app.config["PUBLIC_BASE_URL"]))
    parts = urlsplit(url)
    if parts.netloc != base.netloc:
        return None
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/")
    path = parts.path[len(base.path.rstrip("/")):] if base.path else parts.path
    try:
        endpoint, values = adapter.match(path, method="GET")
    except HTTPException:
        return None
    return str(endpoint), dict(values)


def served_at(url: str) -> dict[str, str]:
    """The config override that points every external link at `url`: the demo serves on a
    port chosen at the command line, and its mails and invites must link there."""
    return {"PUBLIC_BASE_URL": url.rstrip("/")}
