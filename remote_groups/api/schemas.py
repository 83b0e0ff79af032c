"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of what the API answers.

The views' output is checked against these in the tests (tests/api), and the OpenAPI
description is built from them, so the documentation and the answers are one thing.
`additionalProperties: false` everywhere: a field added to the code without being added
here fails the tests instead of slipping out undocumented (or leaking).
"""

from __future__ import annotations

from typing import Any

from ..db_types import MAX_ID
from .params import LANGUAGES, THEMES


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "required": list(properties), "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


_TEXT = {"type": ["string", "null"]}
_URL = {"type": "string", "format": "uri"}
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_UTC = {"type": "string", "format": "date-time", "pattern": "Z$",
        "description": "UTC, e.g. 2026-12-21T12:00:00Z"}
_LOCAL = {"type": "string", "format": "date-time",
          "description": "Helsinki wall-clock time with its offset, e.g. "
                         "2026-12-21T14:00:00+02:00"}


def _per_language(value: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    return _object({code: value for code in languages})


TEXTS = _per_language(_TEXT, ("fi", "sv", "en"))
URLS = _per_language(_URL, ("fi", "sv", "en"))

SCHEMAS: dict[str, dict[str, Any]] = {
    "Texts": {**TEXTS, "description": "One text in Finnish, Swedish and English; null where "
                                      "it is not written in that language."},
    "LanguageUrls": {**URLS, "description": "The same page in Finnish, Swedish and English."},
    "AreaRef": _object({"id": _ID, "code": {"type": "string"},
                        "name": _per_language({"type": "string"}, ("fi", "sv"))},
                       "A wellbeing services county, named in both national languages."),
    "Area": _object({
        "id": _ID, "code": {"type": "string"},
        "name": _per_language({"type": "string"}, ("fi", "sv")),
        "languages": {"type": "array", "items": {"enum": ["fi", "sv"]}, "minItems": 1},
        "links": _object({"groups": _URL, "sessions": _URL, "calendar": _ref("LanguageUrls"),
                          "embed": _per_language(_URL, ("fi", "sv"))}),
    }, "A wellbeing services county and where its groups, sessions, feed and embed are."),
    "Course": _object({
        "capacity": {"type": "integer", "minimum": 1},
        "seats_left": {"type": "integer", "minimum": 0},
        "applications_open_at": {**_UTC, "type": ["string", "null"]},
        "applications_close_at": {**_UTC, "type": ["string", "null"]},
        "applications_open": {"type": "boolean"},
    }, "A course's places and application period."),
    "Group": _object({
        "id": _ID,
        "kind": {"enum": ["open", "course"]},
        "theme": {"enum": THEMES},
        "language": {"enum": LANGUAGES, "description": "fi, sv, or both"},
        "title": _ref("Texts"), "summary": _ref("Texts"), "description": _ref("Texts"),
        "areas": {"type": "array", "items": _ref("AreaRef"),
                  "description": "The areas co-running the group, in hosting order."},
        "course": {"oneOf": [_ref("Course"), {"type": "null"}]},
        "links": _object({"page": _ref("LanguageUrls"), "calendar": _ref("LanguageUrls"),
                          "sessions": _URL}),
    }, "An open group (join without signing up) or a course (join by application)."),
    "Session": _object({
        "id": _ID, "group_id": _ID,
        "starts_at": _UTC, "ends_at": _UTC,
        "starts_at_helsinki": _LOCAL, "ends_at_helsinki": _LOCAL,
        "host_area": _ref("AreaRef"),
        "topic": _ref("Texts"),
        "status": {"enum": ["scheduled", "cancelled"]},
        "links": _object({"join": {**_ref("LanguageUrls"),
                                   "description": "The public join page: video, phone numbers"},
                          "group": _URL}),
    }, "One session of a group."),
    "Page": _object({"self": _URL, "next": {"type": ["string", "null"], "format": "uri"}}),
    "Error": _object({"error": {
        "type": "object",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "parameter": {"type": "string"}},
        "required": ["code", "message"], "additionalProperties": False,
    }}, "What went wrong: a stable code for programs, a message for people."),
}


def list_of(item: str, paged: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"data": {"type": "array", "items": _ref(item)}}
    if paged:
        properties["links"] = _ref("Page")
    return _object(properties)


def one(item: str) -> dict[str, Any]:
    return _object({"data": _ref(item)})


ERROR_CODES = {
    "invalid_parameter": "A query parameter has a value its schema does not allow.",
    "unknown_parameter": "The query has a parameter this endpoint does not know.",
    "invalid_cursor": "The cursor did not come from a `next` link.",
    "not_found": "No such path, or no area, group or session with that id.",
    "method_not_allowed": "The API only reads: GET (and HEAD, OPTIONS).",
    "rate_limited": "Too many requests from one address; wait and try again.",
}
