"""The Content-Security-Policy: built here, with a per-view addition where a view needs one.

No external fonts, scripts or frames: everything comes from this app. A view that must allow
one more source (the join form redirects into the Jitsi room, and browsers apply the page's
`form-action` to that redirect too) says so with `@allow(...)`, and only that view's
answers carry the addition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, g
from werkzeug.wrappers import Response

BASE: Mapping[str, Sequence[str]] = {
    "default-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "style-src": ("'self'",),
    "script-src": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
}

View = TypeVar("View", bound=Callable[..., Any])


def policy(additions: Mapping[str, Sequence[str]] | None = None) -> str:
    """The header value: the base policy with `additions` appended to their directives."""
    additions = additions or {}
    unknown = set(additions) - set(BASE)
    if unknown:
        raise ValueError(f"not a directive of the base policy: {', '.join(sorted(unknown))}")
    return "; ".join(" ".join((name, *sources, *additions.get(name, ())))
                     for name, sources in BASE.items())


def origin(url: str) -> str:
    """The scheme and host of `url`, the form a source takes in the policy."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def allow(directive: str, source: Callable[[], str]) -> Callable[[View], View]:
    """Add `source()` (asked for at request time, e.g. from the configuration) to
    `directive` for the answers of the decorated view."""
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            extra: dict[str, list[str]] = g.setdefault("csp_additions", {})
            extra.setdefault(directive, []).append(source())
            return view(*args, **kwargs)
        return wrapped  # type: ignore[return-value]
    return decorate


def init_app(app: Flask) -> None:
    @app.after_request
    def content_security_policy(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy",
                                    policy(g.get("csp_additions")))
        return response
