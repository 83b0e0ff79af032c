"""Intake calls: publishing slots, booking, rebooking, cancelling, marking held, data care.

Functions flush and never commit; the view commits once (`transactions.unit_of_work`).

Locks: publishing slots takes the facilitator's time (`groups.booking.lock_facilitators_time`)
before reading their sessions and other slots, so two pages cannot book the same person twice.
Booking takes the slot rows (`transactions.lock_rows(IntakeSlot, …)`, the old and the new one
in id order) before reading who holds them, the same rule as a course's seats; the unique
constraint on `intake_bookings.slot_id` stands behind it. Slot locks are taken on their own,
never together with another kind."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import dates, signals
from ..courses.models import Application
from ..extensions import db
from ..groups.booking import lock_facilitators_time
from ..groups.models import Group, Session, SessionStatus, session_facilitators
from ..people.models import User
from ..rules.capacity import Status
from ..transactions import lock_rows
from . import invites
from .models import IntakeBooking, IntakeSlot
from .rules import Refusal, Span, clashing, refusal


def slots_of(group: Group) -> list[IntakeSlot]:
    return list(db.session.scalars(
        select(IntakeSlot).where(IntakeSlot.group_id == group.id)
        .order_by(IntakeSlot.starts_at, IntakeSlot.id)))


def bookings_by_slot(group: Group) -> dict[int, IntakeBooking]:
    rows = db.session.scalars(
        select(IntakeBooking).join(IntakeSlot).where(IntakeSlot.group_id == group.id))
    return {b.slot_id: b for b in rows}


def free_slots(group: Group, now: datetime) -> list[IntakeSlot]:
    """Slots still ahead that nobody holds, earliest first."""
    taken = select(IntakeBooking.slot_id)
    return list(db.session.scalars(
        select(IntakeSlot).where(IntakeSlot.group_id == group.id, IntakeSlot.starts_at > now,
                                 IntakeSlot.id.not_in(taken))
        .order_by(IntakeSlot.starts_at, IntakeSlot.id)))


def booking_of(application: Application) -> IntakeBooking | None:
    return db.session.scalar(
        select(IntakeBooking).where(IntakeBooking.application_id == application.id))


# --- slots ------------------------------------------------------------------------------------

def busy_spans(user_id: int, earliest: datetime, latest: datetime) -> list[Span]:
    """The person's scheduled sessions and intake slots (any course) in the window."""
    sessions = db.session.execute(
        select(Session.starts_at, Session.ends_at)
        .join(session_facilitators, session_facilitators.c.session_id == Session.id)
        .where(session_facilitators.c.user_id == user_id, Session.ends_at > earliest,
               Session.starts_at < latest, Session.status == SessionStatus.SCHEDULED))
    slots = db.session.execute(
        select(IntakeSlot.starts_at, IntakeSlot.ends_at)
        .where(IntakeSlot.facilitator_id == user_id, IntakeSlot.ends_at > earliest,
               IntakeSlot.starts_at < latest))
    return [(s, e) for s, e in sessions] + [(s, e) for s, e in slots]


def facilitators_busy(user_ids: Sequence[int], earliest: datetime,
                      latest: datetime) -> list[signals.Busy]:
    """The people's intake slots (booked or free, any course) in the window, for the
    session clash checks (`signals.facilitator_busy`): one narrow query of the slots."""
    rows = db.session.execute(
        select(IntakeSlot.id, IntakeSlot.facilitator_id, IntakeSlot.starts_at,
               IntakeSlot.ends_at)
        .where(IntakeSlot.facilitator_id.in_(list(user_ids)), IntakeSlot.ends_at > earliest,
               IntakeSlot.starts_at < latest)
        .order_by(IntakeSlot.starts_at, IntakeSlot.id))
    return [signals.Busy(uid, s, e, _l("intake call"), ("intake", sid))
            for sid, uid, s, e in rows]


@dataclass(frozen=True)
class Added:
    slots: list[IntakeSlot]
    clashes: list[Span]  # refused: nothing was added


def add_slots(group: Group, facilitator: User, planned: Sequence[Span]) -> Added:
    """Publish the slots, all or none: with the facilitator's time locked, any slot that
    overlaps their sessions, their other slots or another new slot refuses the lot."""
    if not planned:
        return Added([], [])
    lock_facilitators_time([facilitator.id])
    busy = busy_spans(facilitator.id, min(s for s, _ in planned), max(e for _, e in planned))
    bad = clashing(planned, busy)
    if bad:
        return Added([], [planned[i] for i in bad])
    slots = [IntakeSlot(group_id=group.id, facilitator_id=facilitator.id, starts_at=s,
                        ends_at=e) for s, e in planned]
    db.session.add_all(slots)
    db.session.flush()
    return Added(slots, [])


def delete_slot(slot: IntakeSlot) -> bool:
    """Remove a slot nobody holds; False when it is booked (cancel the booking first)."""
    lock_rows(IntakeSlot, [slot.id])
    if db.session.scalar(select(IntakeBooking.id).where(IntakeBooking.slot_id == slot.id)):
        return False
    db.session.delete(slot)
    db.session.flush()
    return True


# --- booking ----------------------------------------------------------------------------------

class Result(enum.StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    SAME = "same"


@dataclass(frozen=True)
class Outcome:
    result: Result | None
    refused: Refusal | None = None
    booking: IntakeBooking | None = None


def book(application: Application, slot_id: int, now: datetime,
         by: User | None = None) -> Outcome:
    """Book the slot for the participant, or move their booking to it.

    The old and the new slot are locked (id order) before anything is read, so of two
    people pressing "Book" on the same slot at once, the second waits, then sees the first
    one's booking and is refused (`Refusal.TAKEN`)."""
    current = booking_of(application)
    lock_rows(IntakeSlot, [slot_id] + ([current.slot_id] if current else []))
    slot = db.session.get(IntakeSlot, slot_id, populate_existing=True)
    if current is not None:
        db.session.refresh(current)
    holder = db.session.scalar(select(IntakeBooking.application_id)
                               .where(IntakeBooking.slot_id == slot_id)
                               .execution_options(populate_existing=True))
    if current is not None and current.slot_id == slot_id:
        return Outcome(Result.SAME, booking=current)
    why = refusal(
        accepted=application.status == Status.ACCEPTED and not application.is_erased,
        required=application.group.intake_required,
        slot_found=slot is not None and slot.group_id == application.group_id,
        slot_starts_at=slot.starts_at if slot is not None else None, now=now,
        taken_by_other=holder is not None and holder != application.id,
        done=current is not None and current.done_at is not None)
    if why is not None or slot is None:
        return Outcome(None, refused=why or Refusal.GONE)
    if current is None:
        booking = IntakeBooking(slot=slot, application=application, booked_at=now,
                                booked_by_id=by.id if by else None, sequence=0)
        db.session.add(booking)
        db.session.flush()
        invites.queue_booked(booking)
        return Outcome(Result.BOOKED, booking=booking)
    old = current.slot
    current.slot = slot
    current.sequence += 1
    current.booked_at = now
    current.booked_by_id = by.id if by else None
    db.session.flush()
    invites.queue_booked(current, old_slot=old)
    return Outcome(Result.MOVED, booking=current)


def cancel(booking: IntakeBooking, now: datetime) -> None:
    """Cancel the booking: CANCELs go out (for a call still ahead), the slot is free again."""
    lock_rows(IntakeSlot, [booking.slot_id])
    booking.sequence += 1
    if booking.slot.ends_at > now:
        invites.queue_cancelled(booking)
    db.session.delete(booking)
    db.session.flush()


def participant_left(application: Application, now: datetime) -> None:
    """The participant left the course: a booked call still ahead is cancelled (both are
    told) and its time is free again; a held one stays on record."""
    booking = booking_of(application)
    if booking is not None and booking.done_at is None:
        cancel(booking, now)


def set_done(booking: IntakeBooking, done: bool, now: datetime) -> bool:
    """Mark the intake held (or not after all); True when something changed."""
    if done == (booking.done_at is not None):
        return False
    booking.done_at = now if done else None
    db.session.flush()
    return True


# --- staff views' helpers ---------------------------------------------------------------------

def status_cells(applications: Sequence[Application], lang: str) -> dict[int, str]:
    """Per application: held on (day), booked for (time) or not booked; one query."""
    ids = [a.id for a in applications]
    if not ids:
        return {}
    rows = db.session.execute(
        select(IntakeBooking.application_id, IntakeBooking.done_at, IntakeSlot.starts_at,
               IntakeSlot.ends_at)
        .join(IntakeSlot, IntakeSlot.id == IntakeBooking.slot_id)
        .where(IntakeBooking.application_id.in_(ids)))
    cells = dict.fromkeys(ids, _("Not booked"))
    for application_id, done_at, starts_at, ends_at in rows:
        if done_at is not None:
            cells[application_id] = _("Held %(day)s", day=dates.date_only(done_at, lang))
        else:
            cells[application_id] = _("Booked: %(when)s",
                                      when=dates.session_span(starts_at, ends_at, lang))
    return cells


# --- data care --------------------------------------------------------------------------------

def export(application: Application) -> dict[str, Any]:
    booking = booking_of(application)
    if booking is None:
        return {"intake_call": None}
    return {"intake_call": {
        "starts_at": booking.slot.starts_at.isoformat(),
        "ends_at": booking.slot.ends_at.isoformat(),
        "booked_at": booking.booked_at.isoformat(),
        "held_at": booking.done_at.isoformat() if booking.done_at else None,
    }}


def erase(application: Application, now: datetime) -> None:
    """The person's booking goes; a call still ahead is cancelled in the facilitator's
    calendar (the participant's address is already blanked, so only they are told)."""
    booking = booking_of(application)
    if booking is None:
        return
    if booking.slot.ends_at > now:
        booking.sequence += 1
        invites.queue_cancelled(booking)
    db.session.execute(delete(IntakeBooking).where(IntakeBooking.id == booking.id)
                       .execution_options(synchronize_session="fetch"))
    db.session.flush()
