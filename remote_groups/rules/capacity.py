"""Seats on a closed course: who gets one, who waits, who is promoted.

Plain functions over plain data, no Flask and no database: the views lock the course, load the
applicants as `Applicant` values, ask these rules, and apply the answer in one transaction.
Everything here is deterministic: the same applicants give the same answer, in the same order.

Policy (issue 7):
- A course never has more accepted participants than its capacity.
- The waiting list is first come, first served: ordered by when the person applied (`applied_at`),
  then by id, so two applications in the same instant still have a fixed order.
- When a seat frees up (someone accepted withdraws), the first on the waiting list is accepted
  straight away and told by mail. A confirm-first offer would leave the seat empty while the
  offer is open, and these applicants already said they want the seat; anyone who can no longer
  come withdraws with their own link, which frees the seat for the next person.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


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


@dataclass(frozen=True)
class Outcome:
    """The answer to a facilitator's decision: the new status, or why nothing changed."""

    status: Status
    changed: bool
    full: bool = False  # an acceptance refused because every seat is taken


def accepted_count(applicants: Iterable[Applicant]) -> int:
    return sum(1 for a in applicants if a.status == Status.ACCEPTED)


def seats_left(capacity: int, applicants: Iterable[Applicant]) -> int:
    """Free seats; never negative, even for a course whose capacity was lowered later."""
    return max(0, capacity - accepted_count(applicants))


def waiting_list(applicants: Iterable[Applicant]) -> list[Applicant]:
    """Everyone waiting, first come first."""
    return sorted(
        (a for a in applicants if a.status == Status.WAITING), key=lambda a: (a.applied_at, a.id)
    )


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
    if target == Status.ACCEPTED and seats_left(capacity, applicants) == 0:
        return Outcome(status=current.status, changed=False, full=True)
    return Outcome(status=target, changed=True)


def promotions(capacity: int, applicants: Sequence[Applicant]) -> list[int]:
    """Ids of the waiting applicants who get the free seats now, first come first.

    Called after a withdrawal (or a capacity increase); returns [] when there is no free seat
    or nobody is waiting."""
    free = seats_left(capacity, applicants)
    return [a.id for a in waiting_list(applicants)[:free]]


def withdraw(capacity: int, applicants: Sequence[Applicant], applicant_id: int) -> list[int]:
    """The applicant withdraws; returns who is promoted into the freed seat (if any).

    Only an accepted participant frees a seat, and only that one seat is filled: withdrawing a
    pending or waiting application promotes nobody, and seats the facilitators left free on
    purpose stay free."""
    leaving = next(a for a in applicants if a.id == applicant_id)
    if leaving.status != Status.ACCEPTED:
        return []
    after = [
        Applicant(a.id, Status.WITHDRAWN, a.applied_at) if a.id == applicant_id else a
        for a in applicants
    ]
    return promotions(capacity, after)[:1]
