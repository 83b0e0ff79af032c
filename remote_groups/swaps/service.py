"""Swap requests against the database: propose, accept, decline, withdraw, expire.

The decisions are made by `rules.swaps`; this module loads snapshots, locks rows, applies
the changes, queues calendar updates and mails, and writes the audit log. Nothing here
commits: the view (or CLI command) commits once, so a swap and its mails are saved
together or not at all.

Concurrency: two people may answer one request, or accept conflicting requests (both
involving one session, or both booking one person), at the same moment. Every answer
locks the request first, then its sessions, then the people it books, each in id order
(`transactions.lock_rows`; on SQLite the database write lock). Only then are they read
again and checked, so the check and the write cannot be split by another answer; the loser
sees the winner's change and gets a refusal with the reason."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..calendar import invites
from ..db_types import utcnow
from ..extensions import db
from ..groups.booking import busy_outside_sessions, lock_facilitators_time
from ..groups.models import Group, GroupArea, Session, SessionStatus, session_facilitators
from ..links import external_url
from ..mail.notify import queue_mail
from ..people.models import Area, Role, User
from ..rules import swaps as rules
from ..rules.overlaps import Booking
from ..transactions import lock_rows
from .models import AuditEntry, SwapRequest, SwapStatus

# Codes the service adds to the rules' problem codes.
NOT_OPEN = "not_open"  # the request was already answered, withdrawn or has expired
NOT_ALLOWED = "not_allowed"  # this person may not do that to this request
BUSY = "busy"  # a facilitator has an intake call (not a session) at that time


@dataclass(frozen=True)
class Outcome:
    """What happened: `problems` empty means done."""

    problems: tuple[str, ...] = ()
    request: SwapRequest | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Snapshots -------------------------------------------------------------------------------


def snapshot_of(session: Session) -> rules.SessionSnapshot:
    return rules.SessionSnapshot(
        id=session.id,
        host_area_id=session.host_area_id,
        facilitator_ids=frozenset(u.id for u in session.facilitators),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        cancelled=session.is_cancelled,
        sequence=session.sequence,
        area_ids=frozenset(ga.area_id for ga in session.group.group_areas),
    )


def _to_json(snap: rules.SessionSnapshot) -> dict[str, Any]:
    return {
        "id": snap.id, "host_area_id": snap.host_area_id,
        "facilitator_ids": sorted(snap.facilitator_ids),
        "starts_at": snap.starts_at.isoformat(), "ends_at": snap.ends_at.isoformat(),
        "cancelled": snap.cancelled, "sequence": snap.sequence,
        "area_ids": sorted(snap.area_ids),
    }


def _from_json(data: dict[str, Any]) -> rules.SessionSnapshot:
    return rules.SessionSnapshot(
        id=int(data["id"]), host_area_id=int(data["host_area_id"]),
        facilitator_ids=frozenset(int(i) for i in data["facilitator_ids"]),
        starts_at=datetime.fromisoformat(data["starts_at"]),
        ends_at=datetime.fromisoformat(data["ends_at"]),
        cancelled=bool(data["cancelled"]), sequence=int(data["sequence"]),
        area_ids=frozenset(int(i) for i in data.get("area_ids", ())),
    )


def proposed_snapshots(request: SwapRequest) -> list[rules.SessionSnapshot]:
    """The request's sessions as they were at proposal: the proposer's first."""
    return [_from_json(s) for s in request.snapshot["sessions"]]


def _details() -> list[Any]:
    return [
        selectinload(Session.facilitators),
        selectinload(Session.host_area),
        selectinload(Session.group).selectinload(Group.group_areas).selectinload(GroupArea.area),
    ]


# --- Proposing -------------------------------------------------------------------------------


def propose_exchange(proposer: User, mine: Session, theirs: Session, message: str = "",
                     now: datetime | None = None) -> Outcome:
    """Propose to swap `mine` (hosted by the proposer's area) with `theirs`."""
    now = now or utcnow()
    a, b = snapshot_of(mine), snapshot_of(theirs)
    problems = rules.check_exchange_proposal(a, b, _acting_area(proposer, mine), now)
    if problems:
        return Outcome(problems=tuple(problems))
    request = SwapRequest(
        kind=rules.SwapKind.EXCHANGE, proposer=proposer, proposer_area_id=mine.host_area_id,
        session=mine, target_session=theirs, target_area_id=theirs.host_area_id,
        message=message.strip(), snapshot={"sessions": [_to_json(a), _to_json(b)]},
        created_at=now, expires_at=rules.expires_at(a, b),
    )
    db.session.add(request)
    db.session.flush()
    _tell_the_other_side(request)
    return Outcome(request=request)


def ask_cover(proposer: User, mine: Session, target_area_id: int | None, message: str = "",
              now: datetime | None = None) -> Outcome:
    """Ask one area (or, with None, every co-running area) to take `mine`."""
    now = now or utcnow()
    a = snapshot_of(mine)
    problems = rules.check_cover_proposal(a, _acting_area(proposer, mine), target_area_id, now)
    if problems:
        return Outcome(problems=tuple(problems))
    request = SwapRequest(
        kind=rules.SwapKind.COVER, proposer=proposer, proposer_area_id=mine.host_area_id,
        session=mine, target_area_id=target_area_id, message=message.strip(),
        snapshot={"sessions": [_to_json(a)]}, created_at=now, expires_at=rules.expires_at(a, None),
    )
    db.session.add(request)
    db.session.flush()
    _tell_the_other_side(request)
    return Outcome(request=request)


def _tell_the_other_side(request: SwapRequest) -> int:
    """Mail the request to the people who can answer it: the target session's facilitators
    for an exchange (or, if it has none, the area's facilitators), the facilitators of the
    area asked (or of every other co-running area) for cover."""
    if request.target_session is not None and request.target_session.facilitators:
        people = list(request.target_session.facilitators)
    else:
        area_ids = [request.target_area_id] if request.target_area_id else [
            ga.area_id for ga in request.session.group.group_areas
            if ga.area_id != request.proposer_area_id]
        people = list(db.session.scalars(select(User).where(
            User.area_id.in_(area_ids), User.role == Role.FACILITATOR,
            User.active.is_(True))))
    for person in people:
        link = external_url("swaps.detail", lang=person.language, request_id=request.id)
        queue_mail(kind="swap_request", recipient=person.email, language=person.language,
                   template="swap_request", subject=_l("A swap request for your area"),
                   request=request, link=link,
                   dedupe_key=f"swap-request-{request.id}-{person.id}")
    return len(people)


def _acting_area(user: User, session: Session) -> int:
    """Admins act for the host area; everyone else for their own."""
    return session.host_area_id if user.role == Role.ADMIN else user.area_id


# --- Who sees what ---------------------------------------------------------------------------


def is_addressed_to(request: SwapRequest, area_id: int) -> bool:
    """May staff of `area_id` answer this request?"""
    if request.kind == rules.SwapKind.EXCHANGE or request.target_area_id is not None:
        return request.target_area_id == area_id
    co_running = {ga.area_id for ga in request.session.group.group_areas}
    return area_id in co_running and area_id != request.proposer_area_id


def involves_area(request: SwapRequest, area_id: int) -> bool:
    return request.proposer_area_id == area_id or is_addressed_to(request, area_id)


def requests_query() -> Any:
    return select(SwapRequest).options(
        selectinload(SwapRequest.session).options(*_details()),
        selectinload(SwapRequest.target_session).options(*_details()),
        selectinload(SwapRequest.proposer),
        selectinload(SwapRequest.answered_by),
        selectinload(SwapRequest.target_area),
        selectinload(SwapRequest.proposer_area),
    )


def incoming_requests(user: User, now: datetime | None = None) -> list[SwapRequest]:
    """Open requests the user's area may answer, soonest first."""
    now = now or utcnow()
    query = requests_query().where(
        SwapRequest.status == SwapStatus.PROPOSED, SwapRequest.expires_at > now,
        SwapRequest.proposer_area_id != user.area_id,
    ).order_by(SwapRequest.expires_at)
    return [r for r in db.session.scalars(query) if is_addressed_to(r, user.area_id)]


def outgoing_requests(user: User, limit: int = 50) -> list[SwapRequest]:
    """Requests from the user's area, newest first, with their answers."""
    query = requests_query().where(SwapRequest.proposer_area_id == user.area_id)
    return list(db.session.scalars(query.order_by(SwapRequest.created_at.desc()).limit(limit)))


def fresh_answers(user: User, since: datetime) -> list[SwapRequest]:
    """Answers to the user's own requests since `since`: the notice on their page."""
    query = requests_query().where(
        SwapRequest.proposer_id == user.id, SwapRequest.answered_at.is_not(None),
        SwapRequest.answered_at > since,
    )
    return list(db.session.scalars(query.order_by(SwapRequest.answered_at.desc())))


def audit_for_session(session_id: int) -> list[AuditEntry]:
    from ..audit import for_session

    return for_session(session_id)


# --- Answering -------------------------------------------------------------------------------
#
# Every path that touches an open request takes its locks in one order (see `transactions`):
# the request row first, then its sessions in id order, then the people booked (accept
# only). Decline and withdraw lock the request alone. So an acceptance and a withdrawal, a
# decline or another acceptance of the same request simply queue behind each other, and the
# later one finds the request answered.


def _lock_request(request_id: int) -> SwapRequest | None:
    """Lock the request and read it fresh (the status another answer may have just set)."""
    lock_rows(SwapRequest, [request_id])
    return db.session.scalar(select(SwapRequest).where(SwapRequest.id == request_id)
                             .execution_options(populate_existing=True))


def _lock_sessions(ids: Sequence[int]) -> dict[int, Session]:
    """Lock the sessions (in id order) and read them fresh, with what the checks need."""
    lock_rows(Session, ids)
    query = (select(Session).where(Session.id.in_(ids)).order_by(Session.id)
             .options(*_details()).execution_options(populate_existing=True))
    return {s.id: s for s in db.session.scalars(query)}


def _other_bookings(user_ids: set[int], sessions: Sequence[Session]) -> list[Booking]:
    """The given people's other scheduled sessions around the swapped ones. Their time must
    be locked first (`lock_facilitators_time`), or another change could book them between
    this read and the commit."""
    if not user_ids:
        return []
    earliest = min(s.starts_at for s in sessions)
    latest = max(s.ends_at for s in sessions)
    rows = db.session.execute(
        select(session_facilitators.c.user_id, Session.id, Session.starts_at, Session.ends_at)
        .join(Session, Session.id == session_facilitators.c.session_id)
        .where(session_facilitators.c.user_id.in_(user_ids),
               Session.status == SessionStatus.SCHEDULED,
               Session.starts_at < latest, Session.ends_at > earliest,
               Session.id.not_in([s.id for s in sessions]))
    )
    return [Booking(user_id, sid, start, end) for user_id, sid, start, end in rows]


def _busy_bookings(user_ids: set[int], sessions: Sequence[Session]) -> list[Booking]:
    """The people's busy times that are not sessions (intake calls) around the swapped
    ones, as bookings; their time must be locked first, as for `_other_bookings`."""
    earliest = min(s.starts_at for s in sessions)
    latest = max(s.ends_at for s in sessions)
    return [Booking(b.user_id, ("busy", n), b.starts_at, b.ends_at)
            for n, b in enumerate(busy_outside_sessions(user_ids, earliest, latest))]


def accept(request_id: int, user: User, answer: str = "",
           now: datetime | None = None) -> Outcome:
    """Accept for the user's area. Either everything changes (hosts, facilitators, SEQUENCE,
    invites, audit log, the proposer's mail) or nothing does and the reasons are returned.

    Takes its locks before it reads anything it decides on: the request, its sessions, and
    the time of everyone it would book (see the order above). Call it first in a unit of
    work (`transactions.unit_of_work`), before the transaction has locked or written
    anything else. A refusal writes nothing, so the caller's commit (or rollback) only
    releases the locks; nothing needs rolling back here."""
    now = now or utcnow()
    request = _lock_request(request_id)
    if request is None:
        return Outcome(problems=(NOT_ALLOWED,))
    if request.effective_status(now) != SwapStatus.PROPOSED:
        return Outcome(problems=(NOT_OPEN,), request=request)
    area_id = user.area_id
    if not is_addressed_to(request, area_id):
        return Outcome(problems=(rules.Problem.NOT_ADDRESSED.value,), request=request)
    sessions = _lock_sessions([i for i in (request.session_id, request.target_session_id)
                               if i is not None])
    proposed = proposed_snapshots(request)
    current = [snapshot_of(sessions[p.id]) for p in proposed]
    if request.kind == rules.SwapKind.EXCHANGE:
        people = set(current[0].facilitator_ids | current[1].facilitator_ids)
        lock_facilitators_time(people)

        def decide(other_bookings: list[Booking]) -> rules.Decision:
            return rules.decide_exchange(
                (proposed[0], proposed[1]), (current[0], current[1]), answering_area_id=area_id,
                other_bookings=other_bookings, now=now)
    else:
        people = {user.id}
        lock_facilitators_time(people)

        def decide(other_bookings: list[Booking]) -> rules.Decision:
            return rules.decide_cover(
                proposed[0], current[0], target_area_id=request.target_area_id,
                taker_area_id=area_id, taker_user_id=user.id, other_bookings=other_bookings,
                now=now)
    booked = _other_bookings(people, list(sessions.values()))
    busy = _busy_bookings(people, list(sessions.values()))
    decision = decide([*booked, *busy])
    if not decision.ok:
        codes = tuple(p.value for p in decision.problems)
        if busy and rules.Problem.OVERLAP in decision.problems and \
                rules.Problem.OVERLAP not in decide(booked).problems:
            # Only an intake call (or other busy time) is in the way: say so.
            codes = tuple(BUSY if c == rules.Problem.OVERLAP.value else c for c in codes)
        return Outcome(problems=codes, request=request)
    _apply(request, decision.changes, sessions, user, now)
    request.status = SwapStatus.ACCEPTED
    _close(request, user, answer, now)
    db.session.flush()
    return Outcome(request=request)


def _apply(request: SwapRequest, changes: Sequence[rules.SessionChange],
           sessions: dict[int, Session], answerer: User, now: datetime) -> None:
    people = {u.id: u for s in sessions.values() for u in s.facilitators}
    people[answerer.id] = db.session.get(User, answerer.id) or answerer
    # An exchange changes two sessions: each person gets their entry once, not twice.
    batch = invites.batched() if len(changes) > 1 else contextlib.nullcontext()
    with batch:
        for change in changes:
            session = sessions[change.session_id]
            before = invites.remember_before(session)
            session.host_area = db.session.get(Area, change.host_after)  # type: ignore[assignment]
            session.facilitators = [people[i] for i in sorted(change.facilitators_after)]
            session.bump_sequence()
            db.session.add(AuditEntry(
                session_id=session.id, swap_id=request.id, action=request.kind.value,
                subject="session", subject_id=session.id, actor_id=answerer.id,
                asked_by_id=request.proposer_id, answered_by_id=answerer.id, at=now,
                host_before_id=change.host_before, host_after_id=change.host_after,
                facilitators_before=sorted(change.facilitators_before),
                facilitators_after=sorted(change.facilitators_after),
            ))
            db.session.flush()
            invites.queue_session_changed(session, before=before)


def _close_open_request(request: SwapRequest, status: SwapStatus, now: datetime) -> bool:
    """Move a still-open request to `status`. The caller holds the request's lock; the
    UPDATE is conditional all the same, so the rule holds even for a caller that forgot."""
    if request.effective_status(now) != SwapStatus.PROPOSED:
        return False
    claimed = db.session.execute(
        update(SwapRequest).where(SwapRequest.id == request.id,
                                  SwapRequest.status == SwapStatus.PROPOSED)
        .values(status=status).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    request.status = status
    return True


def decline(request_id: int, user: User, answer: str = "",
            now: datetime | None = None) -> Outcome:
    now = now or utcnow()
    request = _lock_request(request_id)
    if request is None or not is_addressed_to(request, user.area_id):
        return Outcome(problems=(NOT_ALLOWED,))
    if not _close_open_request(request, SwapStatus.DECLINED, now):
        return Outcome(problems=(NOT_OPEN,), request=request)
    _close(request, user, answer, now)
    db.session.flush()
    return Outcome(request=request)


def withdraw(request_id: int, user: User, now: datetime | None = None) -> Outcome:
    now = now or utcnow()
    request = _lock_request(request_id)
    if request is None or not (user.role == Role.ADMIN
                               or request.proposer_area_id == user.area_id):
        return Outcome(problems=(NOT_ALLOWED,))
    if not _close_open_request(request, SwapStatus.WITHDRAWN, now):
        return Outcome(problems=(NOT_OPEN,), request=request)
    db.session.flush()
    return Outcome(request=request)


def _close(request: SwapRequest, answerer: User, answer: str, now: datetime) -> None:
    """Record the answer and tell the proposer at once, in their language."""
    request.answered_by_id = answerer.id
    request.answered_at = now
    request.answer_message = answer.strip()
    proposer = request.proposer
    accepted = request.status == SwapStatus.ACCEPTED
    queue_mail(
        kind="swap_answer", recipient=proposer.email, language=proposer.language,
        template="swap_answer",
        subject=(_l("Your swap request was accepted") if accepted
                 else _l("Your swap request was declined")),
        request=request, accepted=accepted, answerer=answerer, proposer=proposer,
        dedupe_key=f"swap-answer-{request.id}",
    )


def expire_overdue(now: datetime | None = None) -> int:
    """Mark open requests whose earlier session has started as expired (the pages already
    treat them so; this keeps the table honest). Returns how many."""
    now = now or utcnow()
    result = db.session.execute(
        update(SwapRequest).where(SwapRequest.status == SwapStatus.PROPOSED,
                                  SwapRequest.expires_at <= now)
        .values(status=SwapStatus.EXPIRED).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
