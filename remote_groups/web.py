"""Blueprints, error pages and response headers: how the features meet HTTP."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template, request
from flask import Request as FlaskRequest
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import IntegerConverter, Map
from werkzeug.utils import cached_property
from werkzeug.wrappers import Response

from . import (
    api,
    attendance,
    calendar,
    courses,
    csp,
    feedback,
    groups,
    http_cache,
    i18n,
    mail,
    people,
    reports,
    series,
    swaps,
    templating,
)
from .extensions import db

# Each feature registers its blueprints, commands and signal receivers itself; this order is
# the order of the blueprints (and of the URL rules that could overlap).
FEATURES = (groups, people, swaps, calendar, mail, series, courses, feedback, reports,
            attendance, api)


class DatabaseId(IntegerConverter):
    """`<int:…>` in every URL, bounded to what an id column holds: a 30-digit id in a typed
    or tampered URL is a plain 404, not an integer overflow in the database driver."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


class NulFreeRequest(FlaskRequest):
    """Query and form values without NUL characters. Nobody types one; PostgreSQL refuses
    them in text (a server error wherever a typed value reaches a query), and a value
    stored with one breaks mails and calendar files later."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        return _without_nul(self, FlaskRequest.args.fget(self))  # type: ignore[attr-defined]

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self, self.__dict__["form"])


def _without_nul(req: FlaskRequest, values: MultiDict[str, str]) -> MultiDict[str, str]:
    if not any("\x00" in k or "\x00" in v for k, v in values.items(multi=True)):
        return values
    return req.parameter_storage_class(
        [(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in values.items(multi=True)])


def register_web(app: Flask) -> None:
    app.request_class = NulFreeRequest
    app.url_map.converters["int"] = DatabaseId
    for feature in FEATURES:
        feature.init_app(app)
    templating.init_app(app)  # every Jinja filter, global and test, each name once
    _register_errors(app)
    _register_health(app)
    http_cache.init_app(app)  # Cache-Control, ETag and 304s for public pages and feeds
    csp.init_app(app)  # the Content-Security-Policy, with the views' own additions

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.view_args and "token" in request.view_args:
            # A private link (status page, survey, password reset): not even this site's own
            # requests for styles and images carry it on as a Referer, which proxies log.
            response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _guess_language() -> None:
    """Error pages outside a /<lang>/ URL still speak the visitor's language."""
    if not getattr(g, "lang", None):
        first = request.path.strip("/").split("/", 1)[0]
        g.lang = first if first in i18n.LANGUAGES else i18n.best_language()


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        _guess_language()
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException | Response:
        if error.code is None or error.code < 400:
            return error
        if (as_json := api.error_for(error)) is not None:
            return as_json  # programs reading /api/ get JSON, never an HTML page
        _guess_language()
        return render_template("errors/http.html", error=error), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int] | Response:
        # The traceback names code, not request data; SQL parameters are hidden by the engine
        # options (config.py), so form fields with personal data never reach the log.
        app.logger.exception("unhandled %s on %s", type(error).__name__, request.endpoint)
        db.session.rollback()
        if (as_json := api.error_for(InternalServerError())) is not None:
            return as_json
        _guess_language()
        return render_template("errors/server.html"), 500


def _register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> tuple[dict[str, str], int]:
        """The database answers; a load balancer sends traffic only when it does."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            db.session.rollback()
            return {"status": "database unreachable"}, 503
        return {"status": "ok"}, 200
