"""Conditional GET and Cache-Control: what browsers, calendar apps and proxies may keep.

Why: subscribed calendars poll the feeds all day, and at the top of the hour many clients
open the same public pages. A poll that gets ``304 Not Modified`` costs a few bytes instead
of a whole page, and ``public, max-age=60`` lets a browser or a proxy answer repeats itself.

The rules, applied app-wide by :func:`init_app` (one ``after_request``):

* Public pages and feeds (blueprints in :data:`PUBLIC_BLUEPRINTS`), answered to someone
  who is not signed in and without a cookie being set: ``Cache-Control: public,
  max-age=60`` (unless the view set its own, as the feeds do), ``Vary: Cookie``, an ETag,
  and ``304`` when the request's ``If-None-Match`` or ``If-Modified-Since`` matches.
  Without a view-supplied ETag the ETag is a weak one over the body: always right,
  whatever the page shows (the time of day, a group's new title).
* Those public answers are also kept for a few seconds in each worker and reused for
  cookie-less visitors (:mod:`remote_groups.page_cache`).
* Everything else (staff pages, sign-in, a public page seen by signed-in staff, which
  carries their name and a CSRF token, any response that sets a cookie):
  ``Cache-Control: private, no-store``. Static files keep Flask's own headers.

A view whose content is a function of a few database rows can do better than hashing the
body: build a :class:`Fingerprint` from what the answer is made of (ids, ``updated_at``,
titles, language) and call :func:`answer_if_fresh` *before* the expensive work; a matching
poll then costs the queries that load the rows and no rendering. The calendar feeds do::

    fingerprint = Fingerprint.of("group-feed", group.id, lang, *session_parts,
                                 last_modified=newest)
    if (early := answer_if_fresh(fingerprint)) is not None:
        return early
    response = make_response(build_the_feed(...))
    return stamp(response, fingerprint)

The fingerprint must include everything the response shows, or clients keep stale copies
(up to the next change of the facts it does include).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from flask import Flask, Response, request, session
from flask_login import current_user
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response as BaseResponse

from . import page_cache

#: Blueprints whose GET answers are the same for every anonymous visitor.
PUBLIC_BLUEPRINTS = frozenset({"public", "calendar", "api", "open_data"})
#: Seconds a browser or proxy may reuse a public page or feed without asking again.
PUBLIC_MAX_AGE = 60
PUBLIC_CACHE_CONTROL = f"public, max-age={PUBLIC_MAX_AGE}"
PRIVATE_CACHE_CONTROL = "private, no-store"
#: Endpoints that set their own caching (Flask's static files).
OWN_CACHING_ENDPOINTS = frozenset({"static", "healthz", "readyz"})


@dataclass(frozen=True)
class Fingerprint:
    """A cheap stand-in for a response's content: equal fingerprints, equal responses."""

    etag: str
    last_modified: datetime | None = None

    @classmethod
    def of(cls, *parts: object, last_modified: datetime | None = None) -> Fingerprint:
        """Hash the parts' ``repr`` into a weak ETag value (weak: the same content, not
        necessarily the same bytes, e.g. after a proxy compresses it)."""
        digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
        return cls(etag=digest[:32], last_modified=last_modified)


def answer_if_fresh(fingerprint: Fingerprint) -> Response | None:
    """A ``304 Not Modified`` when the client's copy matches, else ``None``. The caching
    headers are added by the ``after_request`` hook like on any other public answer. Never
    for signed-in staff: their copy of a page differs from the public one."""
    if _is_personal():
        return None
    modified = is_resource_modified(
        request.environ, etag=fingerprint.etag, last_modified=fingerprint.last_modified
    )
    if modified:
        return None
    return stamp(Response(status=304), fingerprint)


_AnyResponse = TypeVar("_AnyResponse", bound=BaseResponse)


def stamp(response: _AnyResponse, fingerprint: Fingerprint) -> _AnyResponse:
    """Put the fingerprint's validators on a response."""
    response.set_etag(fingerprint.etag, weak=True)
    if fingerprint.last_modified is not None:
        response.last_modified = fingerprint.last_modified.replace(microsecond=0)
    return response


def _is_public_endpoint(endpoint: str | None) -> bool:
    return bool(endpoint) and endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS  # type: ignore[union-attr]


def _is_personal(response: Response | None = None) -> bool:
    """Signed-in staff see their name and a CSRF token; a cookie belongs to one person.
    (Flask writes the session cookie after the after_request hooks, hence `modified`.)"""
    if response is not None and "Set-Cookie" in response.headers:
        return True
    if session.modified:
        return True
    return bool(getattr(current_user, "is_authenticated", False))


def _make_public(response: Response) -> Response:
    """ETag, Cache-Control (unless the view chose its own, e.g. a feed's longer max-age),
    Vary, a copy in the page memory, and 304 when the client's copy matches."""
    own = response.headers.get("Cache-Control", "")
    if "private" in own or "no-store" in own:
        return response  # the view knows this answer is personal
    if response.status_code == 200 and not response.get_etag()[0]:
        if response.is_streamed or response.direct_passthrough:
            return _make_private(response)  # cannot hash a stream; do not pretend
        body = response.get_data()
        response.set_etag(hashlib.sha1(body, usedforsecurity=False).hexdigest()[:32], weak=True)
    if not own:
        response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    response.vary.add("Cookie")
    if response.status_code == 200:
        page_cache.store(response, is_public_endpoint=True, personal=False)
        response.make_conditional(request)
    return response


def _make_private(response: Response) -> Response:
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response.headers.pop("ETag", None)
    response.headers.pop("Last-Modified", None)
    return response


def cache_headers(response: Response) -> Response:
    """The ``after_request`` hook: public and conditional, or private and never stored."""
    if request.endpoint in OWN_CACHING_ENDPOINTS:
        return response
    page_cache.forget_after_staff_write(
        response, signed_in=bool(getattr(current_user, "is_authenticated", False))
    )
    cacheable = (
        request.method in ("GET", "HEAD")
        and response.status_code in (200, 304)
        and _is_public_endpoint(request.endpoint)
    )
    if cacheable and not _is_personal(response):
        return _make_public(response)
    if "Cache-Control" not in response.headers or cacheable:
        return _make_private(response)
    return response


def init_app(app: Flask) -> None:
    page_cache.init_app(app)
    app.after_request(cache_headers)
