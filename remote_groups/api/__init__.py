"""Open data for the areas' own web sites (issue 17): a read API under /api/v1/ with its
OpenAPI description, iCalendar feeds per area and for all groups, an embeddable listing of
an area's sessions, and a short page that documents them (/<lang>/api).

Registered by :func:`init_app`, like every feature (`remote_groups.web.FEATURES`).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..extensions import limiter

API_PREFIX = "/api/"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def init_app(app: Flask) -> None:
    from . import site_views, views

    if not getattr(views.bp, "rate_limited", False):  # one blueprint object for every app
        # One budget per address for the whole API, not one per endpoint.
        limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(views.bp)
        views.bp.rate_limited = True  # type: ignore[attr-defined]
    app.register_blueprint(views.bp)
    app.register_blueprint(site_views.bp)
    # Also on answers outside the blueprint's views (no such path, wrong method); the
    # blueprint's own hook (views.py) is what puts them on copies in the page memory.
    app.after_request(views.cors_headers)


def error_for(error: HTTPException) -> Response | None:
    """The JSON form of an HTTP error on an API path (the app's error handler asks), so a
    program never gets an HTML error page; None elsewhere."""
    if not is_api_request():
        return None
    from .views import http_error

    return http_error(error)
