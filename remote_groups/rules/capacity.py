"""Seats on a closed course: who gets one, who waits, who is offered a freed seat.

Plain functions over plain data, no Flask and no database: the views lock the course, load the
applicants as `Applicant` values, ask these rules, and apply the answer in one transaction.
Everything here is deterministic: the same applicants give the same answer, in the same order.

Policy (issue 7):
- A course never has more accepted participants than its capacity.
- The waiting list is first come, first served: ordered by when the person applied (`applied_at`),
  then by id, so two applications in the same instant still have a fixed order.
- When a seat frees up (someone accepted withdraws or is erased, or the course gets more
  places), the first on the waiting list gets an OFFER of it, valid for a configurable time
  (issue 18, `SEAT_OFFER_HOURS`, 48 h by default), as pretix and Linked Events do: people on a
  waiting list have often made other plans, and a seat given silently is often a seat nobody
  comes to. An open offer holds its seat: it counts as taken, so a seat is never offered to
  two people, nor accepted by staff for someone else while it is offered.
- The offer is accepted (the seat is theirs), declined (the application is withdrawn) or left
  unanswered until its deadline (it lapses). A declined or lapsed offer passes the seat to the
  next on the waiting list at once. A person whose offer lapsed or was withdrawn by staff stays
  on the waiting list, after everyone else, and gets no new offer by itself: staff decide.
- Staff can still decide directly: accepting someone takes a free seat (or the seat offered to
  that very person); withdrawing an offer leaves the seat free for them to fill.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


class Status(enum.StrEnum):
    PENDING = "pending"  # received, not yet decided
    ACCEPTED = "accepted"
    WAITING = "waiting"  # on the waiting list
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # the applicant took their application back


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WAITLIST = "waitlist"


@dataclass(frozen=True)
class Applicant:
    """What the seat rules need to know about one application."""

    id: int
    status: Status
    applied_at: datetime
    # Holds an open seat offer (still waiting: the seat is kept for them until they answer).
    offered: bool = False
    # An earlier offer lapsed unanswered or was withdrawn by staff: waits after the others
    # and gets no new offer by itself.
    passed_over: bool = False

    @property
    def holds_offer(self) -> bool:
        return self.offered and self.status == Status.WAITING


@dataclass(frozen=True)
class Outcome:
    """The answer to a facilitator's decision: the new status, or why nothing changed."""

    status: Status
    changed: bool
    full: bool = False  # an acceptance refused because every seat is taken


def accepted_count(applicants: Iterable[Applicant]) -> int:
    return sum(1 for a in applicants if a.status == Status.ACCEPTED)


def taken_count(applicants: Iterable[Applicant]) -> int:
    """Seats taken: accepted participants and open offers."""
    return sum(1 for a in applicants if a.status == Status.ACCEPTED or a.holds_offer)


def seats_left(capacity: int, applicants: Iterable[Applicant]) -> int:
    """Free seats (an offered seat is not free); never negative, even for a course whose
    capacity was lowered later."""
    return max(0, capacity - taken_count(applicants))


def waiting_list(applicants: Iterable[Applicant]) -> list[Applicant]:
    """Everyone waiting, first come first; those passed over by an earlier offer last."""
    return sorted(
        (a for a in applicants if a.status == Status.WAITING),
        key=lambda a: (a.passed_over, a.applied_at, a.id),
    )


def offer_deadline(offered_at: datetime, hours: int) -> datetime:
    """When an offer made at `offered_at` lapses unanswered."""
    return offered_at + timedelta(hours=max(1, hours))


def offer_is_open(expires_at: datetime, now: datetime) -> bool:
    """An offer can be accepted up to (not at) its deadline."""
    return now < expires_at


def decide(
    capacity: int, applicants: Sequence[Applicant], applicant_id: int, decision: Decision
) -> Outcome:
    """What a facilitator's accept, decline or waiting-list decision does to one application.

    An acceptance when every seat is taken changes nothing and says the course is full (the
    facilitator can put the person on the waiting list instead). A withdrawn application stays
    withdrawn: only the applicant can apply again."""
    current = next(a for a in applicants if a.id == applicant_id)
    if current.status == Status.WITHDRAWN:
        return Outcome(status=current.status, changed=False)
    target = {
        Decision.ACCEPT: Status.ACCEPTED,
        Decision.DECLINE: Status.DECLINED,
        Decision.WAITLIST: Status.WAITING,
    }[decision]
    if target == current.status:
        return Outcome(status=current.status, changed=False)
    # The seat offered to this very person is theirs to take: count the others only.
    others = [a for a in applicants if a.id != applicant_id]
    if target == Status.ACCEPTED and seats_left(capacity, others) == 0:
        return Outcome(status=current.status, changed=False, full=True)
    return Outcome(status=target, changed=True)


def offers_due(capacity: int, applicants: Sequence[Applicant]) -> list[int]:
    """Ids of the waiting applicants who should be offered the free seats now, first come
    first: people without an open offer who were not passed over before.

    Returns [] when there is no free seat or nobody is left to offer one to."""
    free = seats_left(capacity, applicants)
    candidates = [a for a in waiting_list(applicants) if not a.offered and not a.passed_over]
    return [a.id for a in candidates[:free]]


def _replace(applicants: Sequence[Applicant], applicant_id: int, *, status: Status | None = None,
             offered: bool = False, passed_over: bool | None = None) -> list[Applicant]:
    return [
        Applicant(a.id, status or a.status, a.applied_at, offered,
                  a.passed_over if passed_over is None else passed_over)
        if a.id == applicant_id else a
        for a in applicants
    ]


def withdraw(capacity: int, applicants: Sequence[Applicant], applicant_id: int) -> list[int]:
    """The applicant withdraws (or declines their offer); returns who is offered the freed
    seat (if any).

    Only an accepted participant or someone holding an offer frees a seat, and only that one
    seat is offered on: withdrawing a pending or waiting application frees nothing, and
    seats the facilitators left free on purpose stay free."""
    leaving = next(a for a in applicants if a.id == applicant_id)
    if leaving.status != Status.ACCEPTED and not leaving.holds_offer:
        return []
    return offers_due(capacity, _replace(applicants, applicant_id, status=Status.WITHDRAWN))[:1]


def lapse(capacity: int, applicants: Sequence[Applicant], applicant_id: int) -> list[int]:
    """An offer ran out unanswered: its holder stays on the waiting list, passed over, and
    the seat is offered to the next person (returned; [] when nobody is left)."""
    holder = next(a for a in applicants if a.id == applicant_id)
    if not holder.holds_offer:
        return []
    return offers_due(capacity, _replace(applicants, applicant_id, passed_over=True))[:1]


def new_places(capacity: int, applicants: Sequence[Applicant], added: int) -> list[int]:
    """The course got `added` more places: who is offered them (at most that many)."""
    return offers_due(capacity, applicants)[:max(0, added)]
