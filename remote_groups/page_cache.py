"""A few seconds' memory of public pages for anonymous visitors, in each worker process.

Why: at the top of the hour many clients open the same few pages at once, and the front
page lists every group (hundreds) and the next sessions; rendering it takes far longer
than sending it. Answering repeats from memory for PUBLIC_PAGE_CACHE_SECONDS (default 5;
0 turns it off) makes a burst cost one rendering per worker.

Why this is not state that matters: it holds only copies of public pages that any
visitor, browser or proxy may keep for 60 s anyway (``Cache-Control: public, max-age=60``);
each instance forgets them within the TTL, so instances behind a load balancer differ by
at most a few seconds and never in anything a signed-in person does. What it never holds:
answers to requests that carry any cookie (signed-in staff, anyone with a session), answers
that set a cookie, anything but a 200 from the public blueprints. Staff edits made through
this instance empty it at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, request

from .ttl_cache import TTLCache

#: Copies kept per worker; the least recently used goes first.
MAX_ENTRIES = 256
#: Pages larger than this are not kept (a guard; the biggest page is far smaller).
MAX_BODY_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class _Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]


#: The page memory: full URL to a copy of the response.
PageCache = TTLCache[_Entry]


def _now() -> float:
    return time.monotonic()


def _seconds() -> float:
    return float(current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0) or 0)


def _key(environ: dict[str, Any]) -> str:
    """The whole URL as the app saw it, host and scheme included: should a page ever build
    absolute links from the request, a forged Host header cannot reach other visitors."""
    return "{}://{}{}{}?{}".format(
        environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST", ""),
        environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )


def _may_use(is_public_endpoint: bool) -> bool:
    """Only anonymous, cookie-less GETs of public pages, and only when switched on."""
    return (
        is_public_endpoint
        and request.method in ("GET", "HEAD")
        and not request.environ.get("HTTP_COOKIE")
        and _seconds() > 0
    )


def cache_of(app: Flask) -> PageCache:
    return app.extensions["page_cache"]


class PageMemory:
    """WSGI middleware that answers from the page memory before Flask sees the request:
    no routing, no session, no hooks, no database, just the stored bytes (or a 304).

    A copy only gets there from the public blueprints' after_request (`store`), so what
    it answers is what Flask answered a moment ago to the same cookie-less GET. Rate
    limits are not counted for these answers: they cost nothing worth limiting."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not environ.get("HTTP_COOKIE")
            and self.app.config.get("PUBLIC_PAGE_CACHE_SECONDS")
        ):
            entry = cache_of(self.app).get(_key(environ))
            if entry is not None:
                response = Response(entry.body, status=200, headers=list(entry.headers))
                response.make_conditional(environ)
                return response(environ, start_response)
        return self.wsgi_app(environ, start_response)


def store(response: Response, is_public_endpoint: bool, personal: bool) -> None:
    """The after_request half, called once the response has its caching headers."""
    if (
        personal
        or response.status_code != 200
        or not _may_use(is_public_endpoint)
        or response.is_streamed
        or response.direct_passthrough
        or "Set-Cookie" in response.headers
    ):
        return
    body = response.get_data()
    if len(body) > MAX_BODY_BYTES:
        return
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() != "content-length")
    cache_of(current_app).set(_key(request.environ), _Entry(body, headers), _seconds())


def forget_after_staff_write(response: Response, signed_in: bool) -> None:
    """A successful change by signed-in staff may change public pages: forget them here
    (other instances forget within their TTL)."""
    if signed_in and request.method not in ("GET", "HEAD", "OPTIONS") \
            and response.status_code < 400:
        cache_of(current_app).clear()


def init_app(app: Flask) -> None:
    """The seconds come from config.py (PUBLIC_PAGE_CACHE_SECONDS, 5 in production)."""
    # The clock is looked up on each use, so a test can move it.
    app.extensions["page_cache"] = PageCache(max_entries=MAX_ENTRIES, clock=lambda: _now())
    app.wsgi_app = PageMemory(app.wsgi_app, app)  # type: ignore[method-assign]
