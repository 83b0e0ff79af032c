"""The API's query parameters: declared once, used both to read a request and to write the
OpenAPI description, so the two cannot disagree.

Each :class:`Param` carries its JSON Schema (what the OpenAPI description says) and a parser
that applies exactly that schema to the query-string text. A value the schema allows is
always accepted (dates far in the past or future are clamped, not refused); anything else
is an :class:`ApiError` with status 400 and a stable code, never a server error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..db_types import MAX_ID
from ..groups.models import InstructionLanguage, Theme
from ..i18n import HELSINKI

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
#: Dates outside these years are clamped: no session was or will be held there, and the
#: clamp keeps time-zone arithmetic away from the ends of Python's calendar.
EARLIEST = date(1970, 1, 1)
LATEST = date(2200, 12, 31)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[1-9][0-9]{0,9}")
SESSION_CURSOR_PATTERN = r"^[0-9]{1,16}-[1-9][0-9]{0,9}$"
GROUP_CURSOR_PATTERN = r"^[1-9][0-9]{0,9}$"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class ApiError(Exception):
    """An answer that is not the data asked for: a status, a stable code, a message."""

    def __init__(self, status: int, code: str, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter

    def as_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.parameter is not None:
            error["parameter"] = self.parameter
        return {"error": error}


def _invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"{name}: {message}", parameter=name)


@dataclass(frozen=True)
class SessionCursor:
    """Where the previous page ended: the last session's start and id (keyset paging, so
    a session added meanwhile neither repeats nor skips one)."""

    starts_at: datetime
    session_id: int

    def encode(self) -> str:
        micros = (self.starts_at - _EPOCH) // _MICROSECOND
        return f"{max(micros, 0)}-{self.session_id}"


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, schema, description, and how to read it."""

    name: str
    schema: dict[str, Any]
    description: str
    parse: Callable[[str, str], Any]

    def openapi(self) -> dict[str, Any]:
        return {"name": self.name, "in": "query", "required": False,
                "description": self.description, "schema": self.schema}


def _integer(name: str, text: str) -> int:
    if not _INTEGER.fullmatch(text) or int(text) > MAX_ID:
        raise _invalid(name, f"expected a whole number from 1 to {MAX_ID}")
    return int(text)


def _limit(name: str, text: str) -> int:
    if not _INTEGER.fullmatch(text) or int(text) > MAX_LIMIT:
        raise _invalid(name, f"expected a whole number from 1 to {MAX_LIMIT}")
    return int(text)


def _choice(values: Sequence[str]) -> Callable[[str, str], str]:
    def parse(name: str, text: str) -> str:
        if text not in values:
            raise _invalid(name, f"expected one of {', '.join(values)}")
        return text
    return parse


def _date(name: str, text: str) -> date:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        value = date.fromisoformat(text)
    except ValueError:
        raise _invalid(name, "expected a date as YYYY-MM-DD") from None
    return min(max(value, EARLIEST), LATEST)


def _session_cursor(name: str, text: str) -> SessionCursor:
    if not re.fullmatch(SESSION_CURSOR_PATTERN, text):
        raise ApiError(400, "invalid_cursor", f"{name}: use the cursor from a previous page",
                       parameter=name)
    # An id past the largest there can be is still a place in the order: nothing follows.
    micros, session_id = (int(part) for part in text.split("-"))
    return SessionCursor(_EPOCH + micros * _MICROSECOND, min(session_id, MAX_ID))


def _group_cursor(name: str, text: str) -> int:
    if not re.fullmatch(GROUP_CURSOR_PATTERN, text):
        raise ApiError(400, "invalid_cursor", f"{name}: use the cursor from a previous page",
                       parameter=name)
    return min(int(text), MAX_ID)


_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_DATE_SCHEMA = {"type": "string", "format": "date"}
THEMES = [t.value for t in Theme]
LANGUAGES = [v.value for v in InstructionLanguage]

AREA = Param("area", _ID_SCHEMA, "Only groups co-run by this area (an id from /areas).",
             _integer)
THEME = Param("theme", {"type": "string", "enum": THEMES}, "Only groups on this theme.",
              _choice(THEMES))
LANGUAGE = Param("language", {"type": "string", "enum": LANGUAGES},
                 "Only groups held in this language; a group held in both Finnish and Swedish "
                 "matches fi and sv.", _choice(LANGUAGES))
KIND = Param("kind", {"type": "string", "enum": ["open", "course"]},
             "open: anyone joins without signing up; course: participants apply.",
             _choice(["open", "course"]))
GROUP = Param("group", _ID_SCHEMA, "Only sessions of this group.", _integer)
FROM = Param("from", _DATE_SCHEMA,
             "Sessions starting on or after this day (Helsinki time). Without it: sessions "
             "that have not yet ended.", _date)
TO = Param("to", _DATE_SCHEMA, "Sessions starting on or before this day (Helsinki time).",
           _date)
LIMIT = Param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT},
              f"Items per page, at most {MAX_LIMIT}.", _limit)
SESSION_CURSOR = Param("cursor", {"type": "string", "pattern": SESSION_CURSOR_PATTERN},
                       "Where to continue: the `next` link of the previous page carries it.",
                       _session_cursor)
GROUP_CURSOR = Param("cursor", {"type": "string", "pattern": GROUP_CURSOR_PATTERN},
                     "Where to continue: the `next` link of the previous page carries it.",
                     _group_cursor)

#: The parameters of each list endpoint, by endpoint name.
SESSION_LIST = (AREA, THEME, LANGUAGE, GROUP, FROM, TO, LIMIT, SESSION_CURSOR)
GROUP_LIST = (AREA, THEME, LANGUAGE, KIND, FROM, TO, LIMIT, GROUP_CURSOR)
FEED = (AREA, THEME, LANGUAGE, FROM, TO)


def parse_query(args: Mapping[str, Sequence[str]], params: Sequence[Param]) -> dict[str, Any]:
    """The request's query as typed values; unknown, repeated or invalid parameters are a
    400 that names the parameter, so a typo is never silently "show everything"."""
    known = {p.name: p for p in params}
    values: dict[str, Any] = {}
    for name, texts in args.items():
        param = known.get(name)
        if param is None:
            raise ApiError(400, "unknown_parameter",
                           f"{name}: not a parameter here; use {', '.join(known)}",
                           parameter=name)
        if len(texts) != 1:
            raise _invalid(name, "give it once")
        values[name] = param.parse(name, texts[0])
    return values


def day_start(day: date) -> datetime:
    """Midnight of a Helsinki day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=HELSINKI).astimezone(UTC)


def day_end(day: date) -> datetime:
    """Midnight after a Helsinki day, in UTC."""
    return day_start(day + timedelta(days=1))
