"""Report figures from plain rows. No database, no Flask: the queries in `queries` hand over
grouped rows, these functions add them up, and tests check them against sums done by hand.

Words used: a session is *held* when it was not cancelled and has ended, *upcoming* when it
was not cancelled and has not ended; *offered* is held plus upcoming (what the areas put on
offer in the period). Hours offered count offered sessions only. Joins are the join-button
presses on open-group sessions (closed courses have their own participants)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

LANGUAGES = ("fi", "sv")


@dataclass(frozen=True)
class SessionRow:
    """Sessions sharing host area, group, language, kind, status and past/future."""

    area_id: int
    group_id: int
    language: str  # the group's instruction language: "fi", "sv" or "both"
    open_group: bool
    cancelled: bool
    past: bool
    sessions: int
    minutes: int
    joins: int


@dataclass(frozen=True)
class RatingRow:
    item_id: int
    score: int
    answers: int


@dataclass(frozen=True)
class ApplicationRow:
    group_id: int
    status: str  # accepted | declined | waiting | withdrawn
    applications: int


@dataclass(frozen=True)
class AttendanceRow:
    status: str  # present | absent_with_notice | absent_no_notice
    marks: int


@dataclass
class SessionTotals:
    held: int = 0
    upcoming: int = 0
    cancelled: int = 0
    minutes_offered: int = 0
    joins: int = 0

    @property
    def offered(self) -> int:
        return self.held + self.upcoming

    @property
    def hours_offered(self) -> float:
        return round(self.minutes_offered / 60, 1)

    def add(self, row: SessionRow) -> None:
        if row.cancelled:
            self.cancelled += row.sessions
            return
        if row.past:
            self.held += row.sessions
        else:
            self.upcoming += row.sessions
        self.minutes_offered += row.minutes
        if row.open_group:
            self.joins += row.joins


def session_totals(rows: Iterable[SessionRow]) -> SessionTotals:
    totals = SessionTotals()
    for row in rows:
        totals.add(row)
    return totals


def totals_by_area(rows: Iterable[SessionRow]) -> dict[int, SessionTotals]:
    """Per host area: each session counts for the area that hosted it."""
    return _totals_by(rows, lambda r: r.area_id)


def totals_by_group(rows: Iterable[SessionRow]) -> dict[int, SessionTotals]:
    return _totals_by(rows, lambda r: r.group_id)


def _totals_by(
    rows: Iterable[SessionRow], key: Callable[[SessionRow], int]
) -> dict[int, SessionTotals]:
    result: dict[int, SessionTotals] = defaultdict(SessionTotals)
    for row in rows:
        result[key(row)].add(row)
    return dict(result)


@dataclass
class Offer:
    """Sessions and minutes offered in one language."""

    sessions: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class LanguageBalance:
    by_area: dict[int, dict[str, Offer]] = field(default_factory=dict)
    overall: dict[str, Offer] = field(default_factory=lambda: {c: Offer() for c in LANGUAGES})


def language_of(instruction_language: str) -> tuple[str, ...]:
    """A session in both languages serves Finnish and Swedish speakers alike, so it counts
    fully for each (the two columns can then add up to more than the total)."""
    return LANGUAGES if instruction_language == "both" else (instruction_language,)


def language_balance(rows: Iterable[SessionRow]) -> LanguageBalance:
    """Sessions and hours offered (not cancelled) in Finnish and in Swedish, per host area
    and overall."""
    balance = LanguageBalance()
    for row in rows:
        if row.cancelled:
            continue
        area = balance.by_area.setdefault(row.area_id, {c: Offer() for c in LANGUAGES})
        for code in language_of(row.language):
            for offer in (area[code], balance.overall[code]):
                offer.sessions += row.sessions
                offer.minutes += row.minutes
    return balance


@dataclass(frozen=True)
class ItemFigure:
    item_id: int
    answers: int
    average: float | None  # None when nobody rated the item
    distribution: tuple[int, int, int, int, int]  # answers giving 1, 2, 3, 4, 5


def item_figures(rows: Iterable[RatingRow], item_ids: Iterable[int]) -> list[ItemFigure]:
    """Count and mean per item, in the order of `item_ids` (items without answers included)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
    for row in rows:
        counts[row.item_id][row.score - 1] += row.answers
    figures = []
    for item_id in item_ids:
        dist = counts.get(item_id, [0] * 5)
        n = sum(dist)
        mean = round(sum((i + 1) * c for i, c in enumerate(dist)) / n, 2) if n else None
        figures.append(ItemFigure(item_id, n, mean, (dist[0], dist[1], dist[2], dist[3], dist[4])))
    return figures


@dataclass(frozen=True)
class ApplicationTotals:
    applicants: int  # every application, whatever became of it
    participants: int  # accepted
    waiting: int
    declined: int
    withdrawn: int
    pending: int = 0  # not decided yet


def application_totals(rows: Iterable[ApplicationRow]) -> ApplicationTotals:
    by_status: dict[str, int] = defaultdict(int)
    for row in rows:
        by_status[row.status] += row.applications
    return ApplicationTotals(
        applicants=sum(by_status.values()), participants=by_status["accepted"],
        waiting=by_status["waiting"], declined=by_status["declined"],
        withdrawn=by_status["withdrawn"], pending=by_status["pending"],
    )


def applications_by_group(rows: Iterable[ApplicationRow]) -> dict[int, ApplicationTotals]:
    grouped: dict[int, list[ApplicationRow]] = defaultdict(list)
    for row in rows:
        grouped[row.group_id].append(row)
    return {group_id: application_totals(rs) for group_id, rs in grouped.items()}


def attendance_rate(rows: Iterable[AttendanceRow]) -> float | None:
    """Share of marked places where the participant was present, in per cent (one decimal);
    None when nothing has been marked."""
    marks: dict[str, int] = defaultdict(int)
    for row in rows:
        marks[row.status] += row.marks
    total = sum(marks.values())
    return round(100 * marks["present"] / total, 1) if total else None


def ordered(
    totals: dict[int, SessionTotals], names: dict[int, str]
) -> list[tuple[str, SessionTotals]]:
    """(name, totals) sorted by name, for tables and charts."""
    return sorted(((names.get(k, str(k)), v) for k, v in totals.items()), key=lambda p: p[0])


