"""Column types shared by every feature."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and gives them back aware.

    SQLite has no time zones and PostgreSQL's `timestamptz` converts to the connection's zone;
    naive UTC in the database with aware values in Python behaves the same on both, and a
    naive value passed in by mistake is refused instead of being silently misread."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


MAX_ID = 2**31 - 1


def database_id(text: str | None) -> int | None:
    """An id typed into a query string, or None when it is not one. `str.isdigit()` alone is
    not enough: it accepts "²" (which `int()` refuses) and numbers too big for the id column
    (which the database driver refuses); both used to be server errors."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def str_enum(cls: type[enum.Enum]) -> Enum:
    """An enumeration stored as its string values in a VARCHAR, the same on SQLite and
    PostgreSQL, so adding a value needs no ALTER TYPE."""
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
