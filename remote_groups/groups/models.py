"""Groups (open groups and closed courses) and their sessions."""

from __future__ import annotations

import base64
import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..contact import ContactFields
from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model, db
from ..people.models import Area, User


class GroupKind(enum.StrEnum):
    OPEN = "open"  # anyone joins the video session, no signup, no personal data
    CLOSED = "closed"  # a course; participants are chosen from applications


class Theme(enum.StrEnum):
    NUTRITION = "nutrition"
    EXERCISE = "exercise"
    MENTAL_WELLBEING = "mental_wellbeing"
    REST = "rest"
    CULTURE = "culture"
    WORK_ABILITY = "work_ability"
    PEER_SUPPORT = "peer_support"
    EVERYDAY_LIFE = "everyday_life"


class InstructionLanguage(enum.StrEnum):
    FI = "fi"
    SV = "sv"
    BOTH = "both"


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class GroupArea(Model):
    """An area co-running a group; `position` is its place in the hosting rotation."""

    __tablename__ = "group_areas"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    area: Mapped[Area] = relationship()


class Group(ContactFields, Model):
    """An open group or a closed course, co-run by one or more areas. Its contact line, when
    filled in, replaces the areas' own for this group. An archived group leaves the public
    pages; its sessions, applications and figures stay for the reports."""

    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint(
            "kind = 'open' OR (capacity IS NOT NULL AND capacity > 0)", name="closed_has_capacity"
        ),
        CheckConstraint(
            "applications_open_at IS NULL OR applications_close_at IS NULL "
            "OR applications_close_at > applications_open_at",
            name="application_window_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind))
    theme: Mapped[Theme] = mapped_column(str_enum(Theme))
    instruction_language: Mapped[InstructionLanguage] = mapped_column(str_enum(InstructionLanguage))
    title_fi: Mapped[str] = mapped_column(String(200), default="")
    title_sv: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_fi: Mapped[str] = mapped_column(String(500), default="")
    summary_sv: Mapped[str] = mapped_column(String(500), default="")
    summary_en: Mapped[str] = mapped_column(String(500), default="")
    description_fi: Mapped[str] = mapped_column(Text, default="")
    description_sv: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None]
    applications_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    applications_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A course whose accepted participants book an intake call first (intake/).
    intake_required: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group_areas: Mapped[list[GroupArea]] = relationship(
        order_by=GroupArea.position, cascade="all, delete-orphan"
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="group", order_by="Session.starts_at", cascade="all, delete-orphan"
    )

    @property
    def areas(self) -> list[Area]:
        """Co-running areas in rotation order."""
        return [ga.area for ga in self.group_areas]

    def set_areas(self, areas: list[Area]) -> None:
        self.group_areas = [GroupArea(area=a, position=i) for i, a in enumerate(areas)]

    @property
    def is_closed(self) -> bool:
        return self.kind == GroupKind.CLOSED

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def validate(self) -> list[str]:
        """Rules a group must satisfy before it is saved; returned as problems, not raised,
        so forms can show them next to the fields."""
        problems = []
        if not (self.title_fi or self.title_sv):
            problems.append("title")
        if self.kind == GroupKind.CLOSED and not (self.capacity and self.capacity > 0):
            problems.append("capacity")
        if (
            self.applications_open_at
            and self.applications_close_at
            and self.applications_close_at <= self.applications_open_at
        ):
            problems.append("applications_close_at")
        return problems

    def applications_open(self, now: datetime) -> bool:
        return bool(
            self.is_closed
            and self.applications_open_at
            and self.applications_close_at
            and self.applications_open_at <= now < self.applications_close_at
        )

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.kind}>"


session_facilitators = Table(
    "session_facilitators",
    db.Model.metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    # "Sessions I facilitate" (the staff lists) without reading every facilitation.
    Index("ix_session_facilitators_user", "user_id", "session_id"),
)


def new_room_name() -> str:
    """160 random bits, lower-case base32: unguessable, and safe in any Jitsi room URL."""
    return base64.b32encode(secrets.token_bytes(20)).decode().lower()


def new_uid() -> str:
    return str(uuid.uuid4())


class Session(Model):
    """One meeting of a group (tapaaminen / träff)."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_sessions_group_start", "group_id", "starts_at"),
        # The staff lists: an area's sessions in time order.
        Index("ix_sessions_host_area_start", "host_area_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Calendar UID: fixed for the life of the session so every update lands on the same event.
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    host_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    topic_fi: Mapped[str] = mapped_column(String(200), default="")
    topic_sv: Mapped[str] = mapped_column(String(200), default="")
    topic_en: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus), default=SessionStatus.SCHEDULED
    )
    # Why it was cancelled, in the coordinator's words; shown to participants. Optional.
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    # iCalendar SEQUENCE: raised on every change that matters to an attendee.
    sequence: Mapped[int] = mapped_column(default=0)
    # The session's RECURRENCE-ID in people's recurring calendar entries: where the series
    # put it. It stays when one session is moved, so the move updates that one instance;
    # a whole-series update sets it to the new start (calendar.invites).
    recurrence_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    room_name: Mapped[str] = mapped_column(String(64), unique=True, default=new_room_name)
    # The only thing stored about visitors: how many times the join button was used.
    join_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship(back_populates="sessions")
    host_area: Mapped[Area] = relationship()
    facilitators: Mapped[list[User]] = relationship(
        secondary=session_facilitators, order_by=User.first_name
    )

    @validates("starts_at")
    def _keep_slot(self, _key: str, value: datetime) -> datetime:
        if self.recurrence_at is None:
            self.recurrence_at = self.starts_at if self.starts_at is not None else value
        return value

    @property
    def slot(self) -> datetime:
        """The RECURRENCE-ID instant (see `recurrence_at`)."""
        return self.recurrence_at or self.starts_at

    @validates("ends_at")
    def _check_end(self, _key: str, value: datetime) -> datetime:
        if self.starts_at is not None and value <= self.starts_at:
            raise ValueError("a session ends after it starts")
        return value

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def bump_sequence(self) -> None:
        """Call on every change an attendee's calendar must see (time, host, room, status)."""
        self.sequence = (self.sequence or 0) + 1

    def is_on(self, now: datetime) -> bool:
        return not self.is_cancelled and self.starts_at <= now < self.ends_at

    def __repr__(self) -> str:
        return f"<Session {self.id} {self.starts_at:%Y-%m-%d %H:%M}Z>"
