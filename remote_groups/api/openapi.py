"""The OpenAPI 3.1 description of /api/v1/, built from the code at each request.

Paths come from the app's URL rules for the `api` blueprint, parameters from each view's
declared :class:`~.params.Param` list (the same objects that read the request), answers
from :mod:`.schemas` (the same schemas the tests check the answers against). A view added
without a declaration is left out of the description, and a test fails on it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from ..db_types import MAX_ID
from ..links import external_url
from .schemas import ERROR_CODES, SCHEMAS, list_of, one
from .views import EXPOSED, Operation

VERSION = "1.0.0"
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")

_CACHE_HEADERS = {
    "ETag": {"description": "Send it back as If-None-Match; an unchanged answer is a 304.",
             "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=60", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"description": "Any origin may read the API.",
                                    "schema": {"const": "*"}},
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _answer_schema(name: str) -> dict[str, Any]:
    if name == "OpenAPI":
        return {"type": "object", "required": ["openapi", "paths"]}
    if name.startswith("List:"):
        return list_of(name.removeprefix("List:"), paged=False)
    if name.startswith("Page:"):
        return list_of(name.removeprefix("Page:"), paged=True)
    return one(name)


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    found = []
    for converter, name in _CONVERTER.findall(rule):
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        found.append({"name": name, "in": "path", "required": True, "schema": schema})
    return found


def _operation(endpoint: str, rule: str, declared: Operation) -> dict[str, Any]:
    headers = dict(_CACHE_HEADERS)
    if declared.answer.startswith("Page:"):
        headers["Link"] = {"description": 'The next page: <…>; rel="next" (absent on the '
                                          "last page)", "schema": {"type": "string"}}
    responses: dict[str, Any] = {
        "200": {"description": "OK", "headers": headers,
                "content": {"application/json": {"schema": _answer_schema(declared.answer)}}},
        "304": {"description": "Not modified: the copy whose ETag was sent is current."},
        "400": _error("A parameter is unknown, repeated or has a value its schema does not "
                      "allow (codes unknown_parameter, invalid_parameter, invalid_cursor)."),
        "404": _error("No such area, group or session (code not_found)."),
        "429": _error("Too many requests (code rate_limited); see Retry-After."),
    }
    parameters = _path_parameters(rule) + [p.openapi() for p in declared.params]
    result: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": declared.summary,
        "tags": [declared.tag],
        "responses": responses,
    }
    if parameters:
        result["parameters"] = parameters
    return result


def openapi_path(rule: str, prefix: str) -> str:
    """`/api/v1/groups/<int:group_id>` → `/groups/{group_id}` (below the server URL)."""
    return _CONVERTER.sub(r"{\2}", rule.removeprefix(prefix)) or "/"


def describe(app: Flask) -> dict[str, Any]:
    """The whole description for this app, from its URL rules and views."""
    prefix = "/api/v1"
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        declared = getattr(app.view_functions[rule.endpoint], "api_operation", None)
        if declared is None:
            continue
        paths.setdefault(openapi_path(rule.rule, prefix), {})["get"] = _operation(
            rule.endpoint, rule.rule, declared)
    server = external_url("api.no_such_path").rstrip("/")  # …/api/v1 on the public base
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Remote groups: open data",
            "version": VERSION,
            "summary": "Areas, groups and sessions of the remote groups that Finland's "
                       "wellbeing services counties run together.",
            "description": (
                "Read-only and public: no key, no cookies. Answers carry an ETag (send "
                "If-None-Match for a 304) and Cache-Control: public, max-age=60; any origin "
                "may read them (CORS). Lists come a page at a time: follow links.next. "
                "Errors are JSON {error: {code, message}}; codes: "
                + "; ".join(f"{code}: {text}" for code, text in ERROR_CODES.items())
                + f". Exposed headers: {EXPOSED}."
            ),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server}],
        "tags": [{"name": "data", "description": "Areas, groups and sessions"}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
