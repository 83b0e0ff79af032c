"""Planning a co-run series: several areas run one group together and take turns hosting it.

Plain data in, plain data out, no Flask and no database, so that the coordinator's preview,
the series editor and the tests all see the same decisions.

Decisions made here, and why:

* Times are Finnish wall-clock times (Europe/Helsinki). A "Thursday 13:00" group stays at
  13:00 for its clients all year; its UTC time moves by an hour when daylight saving time
  starts or ends. The stored times (`starts_at`, `ends_at`) are aware UTC datetimes.
* Finnish public holidays come from the `holidays` package (`holidays.Finland`). Besides the
  statutory holidays it lists Midsummer Eve (juhannusaatto) and Christmas Eve (jouluaatto):
  they are not public holidays in law, but almost every workplace, including the wellbeing
  services counties' own services, is closed, so no one would be there to host. We keep
  them as days off, and add them ourselves should a future version of the package drop
  them. New Year's Eve, May Day Eve and the "unofficial" flag days are ordinary working
  days and are not skipped.
* A skipped holiday moves the series on, it does not cost a meeting: with `count` the series
  is extended until that many meetings are held. The host of the i-th *held* meeting is
  `host_order[(i + rotation_offset) % k]`, so an area whose week falls on a holiday simply
  hosts the next meeting; over n meetings each of the k areas hosts floor(n/k) or
  ceil(n/k) of them.
* Problems are reported as stable codes (`Problem(field, code)`), never as user-facing text:
  the UI maps them to translated messages. All problems are collected, not only the first,
  so a coordinator can fix the form in one go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

HELSINKI = ZoneInfo("Europe/Helsinki")

#: The longest series a coordinator can plan in one go; more is almost certainly a typo.
MAX_MEETINGS = 200
#: Intervals the service offers: weekly and fortnightly.
ALLOWED_INTERVAL_WEEKS = (1, 2)
#: A longer meeting than this is a mistake in the form, not a remote group.
MAX_DURATION = timedelta(hours=8)

#: Names of holidays in the languages the service speaks, as the `holidays` package calls them.
_HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}
#: The language of `SkippedDate.reason`: stable, independent of the server's locale.
_REASON_LANGUAGE = "en"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a series form: which field, and a stable code for the UI."""

    field: str
    code: str


class SeriesError(ValueError):
    """The series cannot be planned; `problems` lists every reason, in form order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


@dataclass(frozen=True)
class SeriesSpec:
    """What a coordinator asks for. Exactly one of `count` and `until` must be given.

    `first_date` need not be on `weekday`: the series starts on the first matching weekday
    on or after it. `until` is inclusive. `rotation_offset` says which entry of
    `host_order` hosts the first meeting (0 = the first area).
    """

    host_order: tuple[int, ...]
    weekday: int
    start_time: time
    duration: timedelta
    interval_weeks: int
    first_date: date
    count: int | None = None
    until: date | None = None
    skip_holidays: bool = True
    rotation_offset: int = 0


@dataclass(frozen=True)
class PlannedSession:
    """One held meeting. `index` counts held meetings from 0; times are aware UTC."""

    index: int
    local_date: date
    starts_at: datetime
    ends_at: datetime
    host: int


@dataclass(frozen=True)
class SkippedDate:
    """A date the series would have met on but does not; `reason` is the holiday's name."""

    local_date: date
    reason: str


@dataclass(frozen=True)
class SeriesPlan:
    sessions: tuple[PlannedSession, ...]
    skipped: tuple[SkippedDate, ...]


# --- holidays -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _finnish_holidays(language: str) -> holidays.HolidayBase:
    """One expanding calendar per language; the package adds years as they are asked for."""
    return holidays.country_holidays("FI", language=_HOLIDAY_LANGUAGES[language])


def _midsummer_eve(year: int) -> date:
    """The Friday between 19 and 25 June."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


_DE_FACTO_DAYS_OFF = {
    "fi": ("Juhannusaatto", "Jouluaatto"),
    "sv": ("Midsommarafton", "Julafton"),
    "en": ("Midsummer Eve", "Christmas Eve"),
}


def holiday_name(day: date, language: str = _REASON_LANGUAGE) -> str | None:
    """The name of the Finnish holiday (or de facto day off) on `day`, or None.

    `language` is one of "fi", "sv", "en"; the UI can use this to show a skipped date's
    reason in the reader's language.
    """
    name = _finnish_holidays(language).get(day)
    if name:
        return str(name)
    midsummer, christmas = _DE_FACTO_DAYS_OFF[language]
    if day == _midsummer_eve(day.year):
        return midsummer
    if (day.month, day.day) == (12, 24):
        return christmas
    return None


# --- validation -----------------------------------------------------------------------------


def _host_order_problems(spec: SeriesSpec) -> list[Problem]:
    order = spec.host_order
    if not order:
        return [Problem("host_order", "no_areas")]
    problems: list[Problem] = []
    # With one area there is no rotation; with more, the last hands over to the first.
    neighbours = zip(order, order[1:] + order[:1], strict=True) if len(order) > 1 else ()
    if any(a == b for a, b in neighbours):
        problems.append(Problem("host_order", "same_area_twice_in_a_row"))
    if not 0 <= spec.rotation_offset < len(order):
        problems.append(Problem("rotation_offset", "bad_rotation_offset"))
    return problems


def _time_problems(spec: SeriesSpec) -> list[Problem]:
    problems: list[Problem] = []
    if not 0 <= spec.weekday <= 6:
        problems.append(Problem("weekday", "bad_weekday"))
    if spec.start_time.tzinfo is not None:
        # A wall-clock time with a zone attached would be read two ways; refuse it.
        problems.append(Problem("start_time", "bad_start_time"))
    if spec.interval_weeks not in ALLOWED_INTERVAL_WEEKS:
        problems.append(Problem("interval_weeks", "bad_interval"))
    if spec.duration <= timedelta(0):
        problems.append(Problem("duration", "end_before_start"))
    elif spec.duration > MAX_DURATION:
        problems.append(Problem("duration", "bad_duration"))
    else:
        start = timedelta(hours=spec.start_time.hour, minutes=spec.start_time.minute,
                          seconds=spec.start_time.second)
        if start + spec.duration > timedelta(days=1):
            problems.append(Problem("duration", "duration_crosses_midnight"))
    return problems


def _extent_problems(spec: SeriesSpec) -> list[Problem]:
    if spec.count is not None and spec.until is not None:
        return [Problem("count", "count_and_until")]
    if spec.count is None and spec.until is None:
        return [Problem("count", "count_or_until_required")]
    if spec.count is not None:
        if spec.count < 1:
            return [Problem("count", "no_meetings")]
        if spec.count > MAX_MEETINGS:
            return [Problem("count", "too_many_meetings")]
    if spec.until is not None and spec.until < spec.first_date:
        return [Problem("until", "end_before_start")]
    return []


def validate_spec(spec: SeriesSpec) -> list[Problem]:
    """Every problem with the form itself, before any date is planned."""
    return _host_order_problems(spec) + _time_problems(spec) + _extent_problems(spec)


# --- planning -------------------------------------------------------------------------------


def first_meeting_date(spec: SeriesSpec) -> date:
    """The first `weekday` on or after `first_date`."""
    return spec.first_date + timedelta(days=(spec.weekday - spec.first_date.weekday()) % 7)


def _candidate_dates(spec: SeriesSpec) -> Iterator[date]:
    step = timedelta(weeks=spec.interval_weeks)
    day = first_meeting_date(spec)
    while True:
        yield day
        day += step


def local_to_utc(local_date: date, local_time: time) -> datetime:
    """Helsinki wall-clock time to aware UTC. In the autumn hour that occurs twice, the
    first (summer-time) occurrence is meant."""
    return datetime.combine(local_date, local_time, tzinfo=HELSINKI).astimezone(UTC)


def _exists_locally(local_date: date, local_time: time) -> bool:
    """False for the spring hour that the clocks skip (03:00-03:59 on the last Sunday of
    March)."""
    back = local_to_utc(local_date, local_time).astimezone(HELSINKI)
    return (back.date(), back.time()) == (local_date, local_time)


def _walk(spec: SeriesSpec, held_before: int = 0, after: date | None = None,
          not_before: datetime | None = None) -> tuple[list[PlannedSession], list[SkippedDate]]:
    """Walk the series' dates, skipping holidays, until `count` or `until` ends it.

    `held_before` meetings are already held (by `replan_future`), so the rotation and the
    count continue from there; dates on or before `after`, and meetings that would start
    before `not_before`, are passed over. Stops after MAX_MEETINGS + 1 meetings: the caller
    reports "too_many_meetings" rather than building a huge plan.
    """
    sessions: list[PlannedSession] = []
    skipped: list[SkippedDate] = []
    k = len(spec.host_order)
    for day in _candidate_dates(spec):
        if after is not None and day <= after:
            continue
        if not_before is not None and local_to_utc(day, spec.start_time) < not_before:
            continue
        if spec.until is not None and day > spec.until:
            break
        if spec.count is not None and held_before + len(sessions) >= spec.count:
            break
        if held_before + len(sessions) > MAX_MEETINGS:
            break
        reason = holiday_name(day) if spec.skip_holidays else None
        if reason is not None:
            skipped.append(SkippedDate(day, reason))
            continue
        index = held_before + len(sessions)
        starts_at = local_to_utc(day, spec.start_time)
        sessions.append(PlannedSession(
            index=index,
            local_date=day,
            starts_at=starts_at,
            ends_at=starts_at + spec.duration,
            host=spec.host_order[(index + spec.rotation_offset) % k],
        ))
    return sessions, skipped


def _checked_plan(spec: SeriesSpec, sessions: list[PlannedSession],
                  skipped: list[SkippedDate], begun: int) -> SeriesPlan:
    """The problems only the planned dates reveal; `begun` meetings were held before."""
    problems: list[Problem] = []
    if any(not _exists_locally(s.local_date, spec.start_time) for s in sessions):
        problems.append(Problem("start_time", "start_time_does_not_exist"))
    total = begun + len(sessions)
    if total == 0:
        problems.append(Problem("until", "no_meetings"))
    if total > MAX_MEETINGS:
        problems.append(Problem("until", "too_many_meetings"))
    if problems:
        raise SeriesError(problems)
    return SeriesPlan(sessions=tuple(sessions), skipped=tuple(skipped))


def plan_series(spec: SeriesSpec) -> SeriesPlan:
    """Plan every meeting of a series: its date, UTC times and host; report skipped holidays.

    Raises SeriesError with all problems found. Codes (field: code):
    host_order: no_areas, same_area_twice_in_a_row; rotation_offset: bad_rotation_offset;
    weekday: bad_weekday; start_time: bad_start_time, start_time_does_not_exist;
    interval_weeks: bad_interval; duration: end_before_start, bad_duration,
    duration_crosses_midnight; count: count_and_until, count_or_until_required,
    no_meetings, too_many_meetings; until: end_before_start, no_meetings, too_many_meetings.
    """
    problems = validate_spec(spec)
    if problems:
        raise SeriesError(problems)
    sessions, skipped = _walk(spec)
    return _checked_plan(spec, sessions, skipped, begun=0)


def hosts_per_area(plan: SeriesPlan | Iterable[PlannedSession]) -> dict[int, int]:
    """How many meetings each area hosts, for the coordinator's preview ("fair?")."""
    sessions = plan.sessions if isinstance(plan, SeriesPlan) else plan
    return dict(Counter(s.host for s in sessions))


class HeldSession(Protocol):
    """What `replan_future` needs of a stored session (a PlannedSession or a model row).
    Read-only, so frozen dataclasses and properties qualify."""

    @property
    def local_date(self) -> date: ...

    @property
    def starts_at(self) -> datetime: ...


def replan_future(existing: Iterable[HeldSession], spec: SeriesSpec,
                  now: datetime) -> SeriesPlan:
    """Plan the rest of a series after its form was edited, keeping what has already begun.

    Sessions in `existing` that started before `now` stay as they are and are not returned;
    the returned plan holds only the meetings from `now` on, to replace the stored future
    ones. Numbering, rotation and `count` (the total, including the meetings already begun)
    continue from the begun ones, using the same formula as `plan_series`, so editing nothing
    gives back exactly the future part of the original plan, and an area that hosted a
    begun meeting does not host the next one because of the edit. The new plan never puts a
    meeting on or before the day of the last begun one. Skipped holidays are reported from
    `now` on. `now` must be an aware datetime.

    Raises SeriesError with the problems of `plan_series`, plus ("count", "fewer_than_held")
    when the new count is below the number of meetings already begun.
    """
    problems = validate_spec(spec)
    if problems:
        raise SeriesError(problems)
    begun = sorted((s for s in existing if s.starts_at < now), key=lambda s: s.starts_at)
    if spec.count is not None and spec.count < len(begun):
        raise SeriesError([Problem("count", "fewer_than_held")])
    last_day = begun[-1].local_date if begun else None
    sessions, skipped = _walk(spec, held_before=len(begun), after=last_day, not_before=now)
    return _checked_plan(spec, sessions, skipped, begun=len(begun))
