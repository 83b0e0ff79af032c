"""Sorting sessions into what a visitor looks for first: on now, today, this week, later.
Plain functions over times, so the boundaries (midnight in Helsinki, not UTC) are testable."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


class Timed(Protocol):
    starts_at: datetime
    ends_at: datetime


T = TypeVar("T", bound=Timed)
U = TypeVar("U", bound=Timed)


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


SECTIONS = ("now", "today", "this_week", "later")


def trim_agenda(agenda: Agenda[T], shown: Mapping[str, int]) -> Agenda[T]:
    """Each section cut to what a page shows of it plus one, so the page can still tell that
    there are more; a section not named in `shown` is kept whole."""
    return Agenda(**{name: _first(getattr(agenda, name), shown.get(name)) for name in SECTIONS})


def _first(items: list[T], shown: int | None) -> list[T]:
    return list(items) if shown is None else items[:shown + 1]


def map_agenda(agenda: Agenda[T], find: Callable[[T], U | None]) -> Agenda[U]:
    """The same agenda with each entry replaced by `find(entry)`; entries it cannot find
    (gone in between two queries) are left out."""
    def mapped(items: list[T]) -> list[U]:
        return [found for found in map(find, items) if found is not None]

    return Agenda(**{name: mapped(getattr(agenda, name)) for name in SECTIONS})
