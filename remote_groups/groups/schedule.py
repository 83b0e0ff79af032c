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
    """Anything with a start and an end: a model row, or a frozen row of times only."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


T = TypeVar("T", bound=Timed)
# What an agenda holds once sorted: any entry (sorting needed the times, holding does not).
E = TypeVar("E")
U = TypeVar("U")


@dataclass
class Agenda(Generic[E]):
    now: list[E] = field(default_factory=list)
    today: list[E] = field(default_factory=list)
    this_week: list[E] = field(default_factory=list)
    later: list[E] = field(default_factory=list)


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


def trim_agenda(agenda: Agenda[E], shown: Mapping[str, int]) -> Agenda[E]:
    """Each section cut to what a page shows of it plus one, so the page can still tell that
    there are more; a section not named in `shown` is kept whole."""
    return Agenda(**{name: _first(getattr(agenda, name), shown.get(name)) for name in SECTIONS})


def _first(items: list[E], shown: int | None) -> list[E]:
    return list(items) if shown is None else items[:shown + 1]


def map_agenda(agenda: Agenda[E], find: Callable[[E], U | None]) -> Agenda[U]:
    """The same agenda with each entry replaced by `find(entry)`; entries it cannot find
    (gone in between two queries) are left out."""
    def mapped(items: list[E]) -> list[U]:
        return [found for found in map(find, items) if found is not None]

    return Agenda(**{name: mapped(getattr(agenda, name)) for name in SECTIONS})
