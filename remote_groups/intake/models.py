"""Intake calls: short slots a course's facilitators publish, and one booking per accepted
participant.

A slot is booked at most once (unique on `slot_id`) and a participant holds at most one
booking per course (unique on `application_id`: an application belongs to one course). The
booking keeps its calendar UID for life: a rebooking moves the same row to another slot and
raises its SEQUENCE, so the participant's calendar moves the entry instead of adding one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Application
from ..db_types import UTCDateTime, utcnow
from ..extensions import Model
from ..groups.models import Group, new_room_name
from ..people.models import User


def new_uid() -> str:
    return f"intake-{uuid.uuid4()}"


class IntakeSlot(Model):
    """A time a facilitator keeps free for one participant's intake call."""

    __tablename__ = "intake_slots"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="intake_slot_ends_after_start"),
        Index("ix_intake_slots_group_start", "group_id", "starts_at"),
        Index("ix_intake_slots_facilitator_start", "facilitator_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The call's own video room (never a session's room).
    room_name: Mapped[str] = mapped_column(String(64), unique=True, default=new_room_name)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    facilitator: Mapped[User] = relationship()

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<IntakeSlot {self.id} {self.starts_at:%Y-%m-%d %H:%M}Z>"


class IntakeBooking(Model):
    """One participant's intake call: which slot, whether it has been held."""

    __tablename__ = "intake_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("intake_slots.id", ondelete="CASCADE"), unique=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), unique=True)
    # Calendar UID and SEQUENCE of this booking's invitation (same UID across rebookings).
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The member of staff who booked for the participant; NULL when they booked themselves.
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    slot: Mapped[IntakeSlot] = relationship()
    application: Mapped[Application] = relationship()

    def __repr__(self) -> str:
        return f"<IntakeBooking {self.id} slot={self.slot_id}>"
