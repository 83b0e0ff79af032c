"""Blueprints, error pages and response headers: how the features meet HTTP."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, current_app, g, render_template, request
from flask import Request as FlaskRequest
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.routing import IntegerConverter, Map
from werkzeug.utils import cached_property
from werkzeug.wrappers import Response

from . import (
    api,
    assessment,
    attendance,
    calendar,
    course_messages,
    courses,
    csp,
    exchange,
    feedback,
    groups,
    http_cache,
    i18n,
    intake,
    mail,
    materials,
    offers,
    people,
    reports,
    series,
    sms,
    swaps,
    templating,
)
from .extensions import db

# Each feature registers its blueprints, commands and signal receivers itself; this order is
# the order of the blueprints (and of the URL rules that could overlap).
FEATURES = (groups, people, swaps, calendar, mail, series, courses, intake, feedback, reports,
            attendance, materials, api, course_messages, assessment, sms, exchange, offers)
# Nothing on our pages uses these; the video room (camera, microphone) is Jitsi's own origin,
# opened as a page of its own, so our origin needs none of them.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=(), "
    "interest-cohort=()"
)
# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


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
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        max_age = int(app.config.get("HSTS_MAX_AGE", 0))
        if request.is_secure and max_age > 0:
            # Only over HTTPS (behind a proxy: X-Forwarded-Proto via PROXY_HOPS): sent over
            # plain HTTP it would mean nothing, and a demo on http://127.0.0.1 must still work.
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={max_age}; includeSubDomains")
        return response


def _guess_language() -> None:
    """Error pages outside a /<lang>/ URL still speak the visitor's language."""
    if not getattr(g, "lang", None):
        first = request.path.strip("/").split("/", 1)[0]
        g.lang = first if first in i18n.LANGUAGES else i18n.best_language()


DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                        sa_exc.DisconnectionError)


class DatabaseUnavailable(ServiceUnavailable):
    """Raised where the database was found away outside a view (loading the signed-in
    user): answered with the translated "temporarily unavailable" page."""


def database_unavailable(error: BaseException | None) -> bool:
    """The database refused, dropped or timed out the request (not a bug in a query)."""
    return isinstance(error, DATABASE_UNAVAILABLE)


def _without_database() -> None:
    """What an error page needs when the database is away: the transaction dropped without
    a round trip that could fail again, and the visitor shown as signed out, so the page
    (navigation, CSRF token) never reloads the user from the database."""
    try:
        db.session.rollback()
    except Exception:  # the connection is already broken; nothing to undo
        db.session.close()
    g._login_user = AnonymousUserMixin()


def unavailable_page() -> tuple[str, int, dict[str, str]]:
    """503 in the visitor's language, rendered without the database."""
    _guess_language()
    return (render_template("errors/unavailable.html"), 503,
            {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "private, no-store"})


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        _guess_language()
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        original = getattr(error, "original_exception", None)
        if error.code == 500 and original is not None:
            return server_error(original)  # raised outside a view (e.g. in a hook)
        if (as_json := api.error_for(error)) is not None:
            return as_json  # programs reading /api/ get JSON, never an HTML page
        if isinstance(error, DatabaseUnavailable):
            return unavailable_page()
        _guess_language()
        return render_template("errors/http.html", error=error), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Any:
        if database_unavailable(error):
            # Logged without the statement or its parameters: only what failed.
            app.logger.warning("database unavailable (%s) on %s",
                               type(getattr(error, "orig", error)).__name__, request.endpoint)
            _without_database()
            if (as_json := api.error_for(DatabaseUnavailable())) is not None:
                return as_json
            return unavailable_page()
        # The traceback names code, not request data; SQL parameters are hidden by the engine
        # options (config.py), so form fields with personal data never reach the log.
        app.logger.exception("unhandled %s on %s", type(error).__name__, request.endpoint)
        try:
            db.session.rollback()
        except Exception:  # the rollback itself needs the database
            _without_database()
        if (as_json := api.error_for(InternalServerError())) is not None:
            return as_json
        _guess_language()
        return render_template("errors/server.html"), 500


class ReadinessProbe:
    """Asks the database for `SELECT 1` in a thread of its own and waits at most a deadline.

    A stalled database (accepting connections, answering nothing) would otherwise hold the
    request until gunicorn kills the worker; no driver timeout covers a peer whose TCP stack
    still acknowledges. At most one probe per process is in flight: while an earlier one is
    still stuck, the answer is "not ready" at once, so a load balancer polling every second
    does not pile up threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight: threading.Thread | None = None

    def database_answers(self, app: Flask, timeout: float) -> bool:
        result: dict[str, bool] = {}
        with self._lock:
            if self._in_flight is not None and self._in_flight.is_alive():
                return False
            probe = threading.Thread(target=self._probe, args=(app, result), daemon=True,
                                     name="readyz-probe")
            self._in_flight = probe
            probe.start()
        probe.join(timeout)
        return result.get("ok", False)

    @staticmethod
    def _probe(app: Flask, result: dict[str, bool]) -> None:
        with app.app_context():
            try:
                with db.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                result["ok"] = True
            except Exception:  # any failure means "not ready"
                result["ok"] = False


def _register_health(app: Flask) -> None:
    probe = ReadinessProbe()

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int, dict[str, str]]:
        """The process answers. Never touches the database (nor the signed-in user, which
        would load from it): a database outage must not make the orchestrator restart
        healthy web processes."""
        return {"status": "ok"}, 200, {"Cache-Control": "private, no-store"}

    @app.get("/readyz")
    def readyz() -> tuple[dict[str, str], int, dict[str, str]]:
        """The database answers within READYZ_TIMEOUT_SECONDS; a load balancer sends
        traffic only when it does."""
        timeout = float(current_app.config.get("READYZ_TIMEOUT_SECONDS", 1.5))
        if probe.database_answers(current_app._get_current_object(),  # type: ignore[attr-defined]
                                  timeout):
            return {"status": "ok"}, 200, {"Cache-Control": "private, no-store"}
        return ({"status": "database unreachable"}, 503,
                {"Cache-Control": "private, no-store", "Retry-After": "5"})
