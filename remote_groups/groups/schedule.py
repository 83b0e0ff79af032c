"""Sorting sessions into what a visitor looks for first: on now, today, this week, later.
Plain functions over times, so the boundaries (midnight in Helsinki, not UTC) are testable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


class Timed(Protocol):
    starts_at: datetime
    ends_at: datetime


T = TypeVar("T", bound=Timed)


@dataclass
class Agenda(Generic[T]):
    now: list[T] = field(default_factory=list)
    today: list[T] = field(default_factory=list)
    this_week: list[T] = field(default_factory=list)
    later: list[T] = field(default_factory=list)


def build_agenda(sessions: Iterable[T], now: datetime) -> Agenda[T]:
    """`today` ends at local midnight; `this_week` at the end of local Sunday."""
    local_now = now.astimezone(HELSINKI)
    midnight = (local_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    week_end = midnight + timedelta(days=6 - local_now.weekday())
    agenda: Agenda[T] = Agenda()
    for session in sessions:
        if session.starts_at <= now < session.ends_at:
            agenda.now.append(session)
        elif session.starts_at < midnight:
            agenda.today.append(session)
        elif session.starts_at < week_end:
            agenda.this_week.append(session)
        else:
            agenda.later.append(session)
    return agenda
