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


def policy(additions: Mapping[str, Sequence[str]] | None = None,
           replacements: Mapping[str, Sequence[str]] | None = None) -> str:
    """The header value: the base policy with `additions` appended to their directives and
    `replacements` used instead of theirs."""
    additions, replacements = additions or {}, replacements or {}
    unknown = (set(additions) | set(replacements)) - set(BASE)
    if unknown:
        raise ValueError(f"not a directive of the base policy: {', '.join(sorted(unknown))}")
    return "; ".join(" ".join((name, *replacements.get(name, sources), *additions.get(name, ())))
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


def replace(directive: str, *sources: str) -> Callable[[View], View]:
    """Use `sources` instead of the base policy's for `directive` in the answers of the
    decorated view: the one page other sites may frame says `frame-ancestors *` where every
    other page says `'none'` (adding `*` to `'none'` would not do: browsers drop the pair)."""
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.setdefault("csp_replacements", {})[directive] = sources
            return view(*args, **kwargs)
        return wrapped  # type: ignore[return-value]
    return decorate


def download_policy() -> str:
    """For files people download (the materials library): nothing may load or run, and the
    `sandbox` directive treats the file as a foreign origin should a browser ever render it
    instead of saving it."""
    return policy(replacements={name: ("'none'",) for name in BASE}) + "; sandbox"


def download(view: View) -> View:
    """The decorated view serves files (never pages): its answers carry `download_policy`."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.csp_download = True
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    @app.after_request
    def content_security_policy(response: Response) -> Response:
        if g.get("csp_download"):
            value = download_policy()
        else:
            value = policy(g.get("csp_additions"), g.get("csp_replacements"))
        response.headers.setdefault("Content-Security-Policy", value)
        return response
