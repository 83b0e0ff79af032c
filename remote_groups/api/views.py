"""The read API, /api/v1/: areas, groups and sessions as JSON for the areas' own sites.

Every answer is public and the same for everyone, so it carries ``Cache-Control: public``
and an ETag (the hook in :mod:`remote_groups.http_cache`), and a matching conditional GET
is a 304 before anything is encoded (:func:`http_cache.answer_if_fresh`). Browsers on any
origin may read it (CORS, :func:`cors_headers`). Errors are JSON with a stable code.

Each view declares its parameters and answer with :func:`operation`; the OpenAPI
description (:mod:`.openapi`) is built from those declarations and the URL rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..db_types import utcnow
from ..http_cache import Fingerprint, answer_if_fresh, stamp
from . import data, params
from .params import ApiError, Param

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Raise when the JSON's shape changes, so cached copies are refetched.
API_FORMAT = "1"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI description says about one view."""

    summary: str
    answer: str  # a schema name in schemas.SCHEMAS, or "List:<name>" / "Page:<name>"
    params: Sequence[Param] = ()
    tag: str = "data"


def operation(summary: str, answer: str, query: Sequence[Param] = ()) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view.api_operation = Operation(summary, answer, tuple(query))  # type: ignore[attr-defined]
        return view
    return mark


# --- answers --------------------------------------------------------------------------------


def error_response(status: int, code: str, message: str,
                   parameter: str | None = None) -> Response:
    response = jsonify(ApiError(status, code, message, parameter).as_json())
    response.status_code = status
    return response


def http_error(error: HTTPException) -> Response:
    """Werkzeug's errors (no such path, wrong method, too many requests) as API errors."""
    codes = {404: "not_found", 405: "method_not_allowed", 429: "rate_limited",
             500: "server_error"}
    status = error.code or 500
    response = error_response(status, codes.get(status, "http_error"),
                              error.description or error.name)
    for name, value in error.get_headers():
        if name.lower() in ("allow", "retry-after"):
            response.headers[name] = value
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    return error_response(error.status, error.code, error.message, error.parameter)


def answer(payload: dict[str, Any], *, last_modified: Any = None,
           next_url: str | None = None) -> Response:
    """200 with the payload, or 304 when the client's copy is the same data. The ETag is a
    hash of the data (not of the encoded bytes), so a matching poll skips the encoding."""
    fingerprint = Fingerprint.of(API_FORMAT, payload, last_modified=last_modified)
    early = answer_if_fresh(fingerprint)
    response = early if early is not None else stamp(jsonify(payload), fingerprint)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def _not_found(what: str, identifier: int) -> ApiError:
    return ApiError(404, "not_found", f"There is no {what} with id {identifier}.")


def _query(declared: Sequence[Param]) -> dict[str, Any]:
    return params.parse_query(request.args.to_dict(flat=False), declared)


def _check_filter_ids(filters: data.Filters) -> None:
    """A filter naming an area or group that does not exist is a 404, not an empty list:
    a site with a wrong id in its settings should find out."""
    from ..extensions import db
    from ..groups.models import Group
    from ..people.models import Area

    if filters.area_id is not None and db.session.get(Area, filters.area_id) is None:
        raise ApiError(404, "not_found", f"area: there is no area with id {filters.area_id}.",
                       parameter="area")
    if filters.group_id is not None and db.session.get(Group, filters.group_id) is None:
        raise ApiError(404, "not_found",
                       f"group: there is no group with id {filters.group_id}.",
                       parameter="group")


def _next_link(endpoint: str, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = {k: v for k, v in request.args.items() if k != "cursor"}
    query["cursor"] = cursor
    return data.absolute(endpoint) + "?" + urlencode(query)


def _self_link(endpoint: str) -> str:
    query = urlencode(list(request.args.items(multi=True)))
    return data.absolute(endpoint) + (f"?{query}" if query else "")


# --- endpoints ------------------------------------------------------------------------------


@bp.get("/areas")
@operation("Every wellbeing services county in the service.", "List:Area")
def areas() -> Response:
    _query(())
    return answer({"data": [data.area_json(a) for a in data.all_areas()]})


@bp.get("/areas/<int:area_id>")
@operation("One area.", "Area")
def area(area_id: int) -> Response:
    _query(())
    from ..extensions import db
    from ..people.models import Area

    found = db.session.get(Area, area_id)
    if found is None:
        raise _not_found("area", area_id)
    return answer({"data": data.area_json(found)})


@bp.get("/groups")
@operation("Open groups and courses, oldest first, a page at a time.", "Page:Group",
           params.GROUP_LIST)
def groups() -> Response:
    values = _query(params.GROUP_LIST)
    filters = data.Filters.of(values)
    _check_filter_ids(filters)
    now = utcnow()
    limit = values.get("limit", params.DEFAULT_LIMIT)
    found, more = data.groups_page(filters, now, limit, values.get("cursor"))
    seats = data.seats_left(found)
    cursor = str(found[-1].id) if more else None
    next_url = _next_link("api.groups", cursor)
    payload = {"data": [data.group_json(g, seats, now) for g in found],
               "links": {"self": _self_link("api.groups"), "next": next_url}}
    return answer(payload, next_url=next_url)


@bp.get("/groups/<int:group_id>")
@operation("One group or course.", "Group")
def group(group_id: int) -> Response:
    _query(())
    found = data.group_by_id(group_id)
    if found is None:
        raise _not_found("group", group_id)
    now = utcnow()
    return answer({"data": data.group_json(found, data.seats_left([found]), now)})


@bp.get("/sessions")
@operation("Sessions in start order, a page at a time; by default those not yet ended. "
           "Cancelled sessions are listed with status cancelled.", "Page:Session",
           params.SESSION_LIST)
def sessions() -> Response:
    values = _query(params.SESSION_LIST)
    filters = data.Filters.of(values)
    _check_filter_ids(filters)
    limit = values.get("limit", params.DEFAULT_LIMIT)
    found, more = data.sessions_page(filters, utcnow(), limit, values.get("cursor"))
    cursor = None
    if more:
        cursor = params.SessionCursor(found[-1].starts_at, found[-1].id).encode()
    next_url = _next_link("api.sessions", cursor)
    payload = {"data": [data.session_json(s) for s in found],
               "links": {"self": _self_link("api.sessions"), "next": next_url}}
    return answer(payload, next_url=next_url)


@bp.get("/sessions/<int:session_id>")
@operation("One session.", "Session")
def session(session_id: int) -> Response:
    _query(())
    found = data.session_by_id(session_id)
    if found is None:
        raise _not_found("session", session_id)
    return answer({"data": data.session_json(found)}, last_modified=found.updated_at)


@bp.get("/openapi.json")
@operation("This description (OpenAPI 3.1).", "OpenAPI")
def openapi_json() -> Response:
    from .openapi import describe

    _query(())
    response = jsonify(describe(current_app))
    return response


@bp.get("/")
@bp.get("/<path:rest>")
def no_such_path(rest: str = "") -> Response:
    raise ApiError(404, "not_found",
                   "No such path. The description is at /api/v1/openapi.json.")


# --- CORS ------------------------------------------------------------------------------------

#: Headers a page on another site may read from our answers.
EXPOSED = "ETag, Last-Modified, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, " \
          "RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


@bp.after_request
def cors_headers(response: Response) -> Response:
    """Any origin may read the API with GET: it is public data, sent without cookies
    (no Allow-Credentials), so a page elsewhere cannot act for a signed-in staff member.

    A blueprint's hooks run before the app's, so the headers are on the response before
    the caching hook keeps a copy in the page memory, which answers without any hook."""
    if not request.path.startswith(bp.url_prefix or "/api/v1"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
