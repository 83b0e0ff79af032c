"""Whether a swap of session slots still holds, and what it changes.

Two kinds of swap between co-running areas:
- an *exchange*: area A hosts session 1, area B hosts session 2; after it, B hosts 1 and A
  hosts 2, each with the other's facilitators;
- a *cover*: area A asks another area (one named area, or any co-running area) to take its
  session; the accepting area becomes host and the accepting person the facilitator.

A request is proposed at one moment and answered at another; meanwhile a coordinator may
have moved or cancelled a session, or someone may have taken one of the slots. So the answer
is checked against snapshots taken at proposal time (`proposed`) and the sessions as they are
now (`current`), and the facilitators' other bookings. Plain data in, plain data out: the
caller loads snapshots, applies the changes, and turns problem codes into words.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .overlaps import Booking, find_overlaps


class SwapKind(enum.StrEnum):
    EXCHANGE = "exchange"
    COVER = "cover"


class Problem(enum.StrEnum):
    """Why a swap cannot be done. The values are stable codes the views translate."""

    STARTED = "started"  # a session has begun (or is over)
    CANCELLED = "cancelled"  # a session was cancelled
    HOST_CHANGED = "host_changed"  # host or facilitators differ from the proposal
    RESCHEDULED = "rescheduled"  # time moved, or another change raised the SEQUENCE
    OVERLAP = "overlap"  # someone would be in two sessions at once
    SAME_AREA = "same_area"  # both sides are the same area: nothing to swap
    EXPIRED = "expired"  # the earlier session has started: the request is over
    NOT_CO_RUNNING = "not_co_running"  # the taking area does not co-run that group
    NOT_ADDRESSED = "not_addressed"  # the answering area is not the one asked
    SAME_SESSION = "same_session"  # an exchange of a session with itself
    NO_FACILITATOR = "no_facilitator"  # a cover needs a person to take it


@dataclass(frozen=True)
class SessionSnapshot:
    """What a swap depends on, copied from a session. `area_ids` are the areas that co-run
    the session's group: only they may host it."""

    id: int
    host_area_id: int
    facilitator_ids: frozenset[int]
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    sequence: int
    area_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SessionChange:
    """One session's hosts and facilitators before and after the swap."""

    session_id: int
    host_before: int
    host_after: int
    facilitators_before: frozenset[int]
    facilitators_after: frozenset[int]

    @property
    def removed(self) -> frozenset[int]:
        """Facilitators taken off this session: they get a calendar cancellation."""
        return self.facilitators_before - self.facilitators_after


@dataclass(frozen=True)
class Decision:
    """Either problems (the swap fails, nothing changes) or the changes to apply."""

    problems: tuple[Problem, ...] = ()
    changes: tuple[SessionChange, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def expires_at(first: SessionSnapshot, second: SessionSnapshot | None) -> datetime:
    """A request lapses when the earlier of its sessions starts."""
    return first.starts_at if second is None else min(first.starts_at, second.starts_at)


def _unique(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(dict.fromkeys(problems))


def _still_as_proposed(proposed: SessionSnapshot, current: SessionSnapshot,
                       now: datetime) -> list[Problem]:
    problems: list[Problem] = []
    if current.cancelled:
        problems.append(Problem.CANCELLED)
    if current.starts_at <= now:
        problems.append(Problem.STARTED)
    if (current.host_area_id != proposed.host_area_id
            or current.facilitator_ids != proposed.facilitator_ids):
        problems.append(Problem.HOST_CHANGED)
    elif (current.starts_at, current.ends_at) != (proposed.starts_at, proposed.ends_at) or (
        current.sequence != proposed.sequence
    ):
        problems.append(Problem.RESCHEDULED)
    return problems


def _overlaps(changes: Sequence[SessionChange], sessions: dict[int, SessionSnapshot],
              other_bookings: Iterable[Booking]) -> bool:
    """Would anyone be in two sessions at once after the changes? Only clashes involving
    a new booking count: an old double booking elsewhere is not this swap's fault."""
    touched = {c.session_id for c in changes}
    new = [
        Booking(person, ("swap", c.session_id), sessions[c.session_id].starts_at,
                sessions[c.session_id].ends_at)
        for c in changes for person in c.facilitators_after
    ]
    kept = [b for b in other_bookings if b.session not in touched]
    new_keys = {b.session for b in new}
    return any(
        o.first in new_keys or o.second in new_keys for o in find_overlaps([*kept, *new])
    )


def check_exchange_proposal(mine: SessionSnapshot, theirs: SessionSnapshot,
                            proposer_area_id: int, now: datetime) -> tuple[Problem, ...]:
    """Can this exchange be proposed at all? The proposer's area hosts `mine`, another area
    hosts `theirs`, each area co-runs the other's group, and both are still ahead."""
    problems: list[Problem] = []
    if mine.id == theirs.id:
        problems.append(Problem.SAME_SESSION)
    if mine.host_area_id != proposer_area_id:
        problems.append(Problem.NOT_ADDRESSED)
    if theirs.host_area_id == mine.host_area_id:
        problems.append(Problem.SAME_AREA)
    if theirs.host_area_id not in mine.area_ids or mine.host_area_id not in theirs.area_ids:
        problems.append(Problem.NOT_CO_RUNNING)
    for snapshot in (mine, theirs):
        if snapshot.cancelled:
            problems.append(Problem.CANCELLED)
        if snapshot.starts_at <= now:
            problems.append(Problem.STARTED)
    return _unique(problems)


def check_cover_proposal(mine: SessionSnapshot, proposer_area_id: int,
                         target_area_id: int | None, now: datetime) -> tuple[Problem, ...]:
    """Can cover be asked? The proposer's area hosts the session, and the area asked (if
    one is named) is another co-running area."""
    problems: list[Problem] = []
    if mine.host_area_id != proposer_area_id:
        problems.append(Problem.NOT_ADDRESSED)
    if target_area_id is not None:
        if target_area_id == mine.host_area_id:
            problems.append(Problem.SAME_AREA)
        if target_area_id not in mine.area_ids:
            problems.append(Problem.NOT_CO_RUNNING)
    elif not (mine.area_ids - {mine.host_area_id}):
        problems.append(Problem.NOT_CO_RUNNING)
    if mine.cancelled:
        problems.append(Problem.CANCELLED)
    if mine.starts_at <= now:
        problems.append(Problem.STARTED)
    return _unique(problems)


def decide_exchange(
    proposed: tuple[SessionSnapshot, SessionSnapshot],
    current: tuple[SessionSnapshot, SessionSnapshot],
    *,
    answering_area_id: int,
    other_bookings: Iterable[Booking],
    now: datetime,
) -> Decision:
    """Does the exchange still hold? `proposed`/`current` are (proposer's session, target
    session). The answer must come from the area that hosted the target at proposal."""
    (was_mine, was_theirs), (mine, theirs) = proposed, current
    problems: list[Problem] = []
    if now >= expires_at(was_mine, was_theirs):
        problems.append(Problem.EXPIRED)
    if answering_area_id != was_theirs.host_area_id:
        problems.append(Problem.NOT_ADDRESSED)
    problems += _still_as_proposed(was_mine, mine, now)
    problems += _still_as_proposed(was_theirs, theirs, now)
    if mine.host_area_id == theirs.host_area_id:
        problems.append(Problem.SAME_AREA)
    if theirs.host_area_id not in mine.area_ids or mine.host_area_id not in theirs.area_ids:
        problems.append(Problem.NOT_CO_RUNNING)
    changes = (
        SessionChange(mine.id, mine.host_area_id, theirs.host_area_id,
                      mine.facilitator_ids, theirs.facilitator_ids),
        SessionChange(theirs.id, theirs.host_area_id, mine.host_area_id,
                      theirs.facilitator_ids, mine.facilitator_ids),
    )
    if _overlaps(changes, {mine.id: mine, theirs.id: theirs}, other_bookings):
        problems.append(Problem.OVERLAP)
    if problems:
        return Decision(problems=_unique(problems))
    return Decision(changes=changes)


def decide_cover(
    proposed: SessionSnapshot,
    current: SessionSnapshot,
    *,
    target_area_id: int | None,
    taker_area_id: int,
    taker_user_id: int | None,
    other_bookings: Iterable[Booking],
    now: datetime,
) -> Decision:
    """Does the cover still hold? The taker's area must co-run the group, be another area
    than the host, and be the one asked (when one was named); the taker becomes the
    facilitator and must be free at that time."""
    problems: list[Problem] = []
    if now >= expires_at(proposed, None):
        problems.append(Problem.EXPIRED)
    problems += _still_as_proposed(proposed, current, now)
    if taker_area_id == current.host_area_id:
        problems.append(Problem.SAME_AREA)
    if target_area_id is not None and taker_area_id != target_area_id:
        problems.append(Problem.NOT_ADDRESSED)
    if taker_area_id not in current.area_ids:
        problems.append(Problem.NOT_CO_RUNNING)
    if taker_user_id is None:
        problems.append(Problem.NO_FACILITATOR)
        return Decision(problems=_unique(problems))
    change = SessionChange(current.id, current.host_area_id, taker_area_id,
                           current.facilitator_ids, frozenset({taker_user_id}))
    if _overlaps([change], {current.id: current}, other_bookings):
        problems.append(Problem.OVERLAP)
    if problems:
        return Decision(problems=_unique(problems))
    return Decision(changes=(change,))
