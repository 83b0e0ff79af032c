"""The audit log: who changed what, and when, for every change staff make through the
service (accepted swaps, one-session changes, staff accounts, areas, groups).

One table and one function. Swaps wrote the first entries (with the hosts and facilitators
before and after); the same columns serve a coordinator's change to one session, and
`changes` holds the before/after values of anything else, field by field. Entries name people
by id, so a page shows their current names; they hold no client's personal data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from .db_types import UTCDateTime, utcnow
from .extensions import Model, db
from .people.models import Area, User


class AuditEntry(Model):
    """One change: its `action` (e.g. "exchange", "session.move", "user.deactivate"), the
    `subject` it changed ("session", "user", "area", "group") and that row's id, the member
    of staff who made it (`actor`; none for a command run at the shell), and what changed."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(20), default="session")
    subject_id: Mapped[int | None]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Field name -> [before, after], as JSON-friendly values.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # For changes to a session: the session (its page lists them), and for swaps the request
    # and both people; hosts and facilitators before and after when they changed.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    swap_id: Mapped[int | None] = mapped_column(ForeignKey("swap_requests.id", ondelete="SET NULL"))
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    host_before_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    host_after_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    facilitators_before: Mapped[list[int]] = mapped_column(JSON, default=list)
    facilitators_after: Mapped[list[int]] = mapped_column(JSON, default=list)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    host_before: Mapped[Area | None] = relationship(foreign_keys=[host_before_id])
    host_after: Mapped[Area | None] = relationship(foreign_keys=[host_after_id])

    @property
    def is_swap(self) -> bool:
        return self.action in ("exchange", "cover")


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: dates and times as ISO text, enums by value."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, int | str | bool | float):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Only the fields whose value changed, as field -> [before, after]."""
    return {key: [_plain(before.get(key)), _plain(after.get(key))]
            for key in after if _plain(before.get(key)) != _plain(after.get(key))}


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def record(action: str, *, actor: User | None, subject: str, subject_id: int | None,
           changes: Mapping[str, list[Any]] | None = None, **session_fields: Any) -> AuditEntry:
    """Add one entry to the caller's transaction (the view or command commits)."""
    entry = AuditEntry(action=action, actor_id=actor.id if actor is not None else None,
                       subject=subject, subject_id=subject_id, changes=dict(changes or {}),
                       at=session_fields.pop("at", None) or utcnow(), **session_fields)
    db.session.add(entry)
    return entry


def entries(subject: str | None = None, subject_id: int | None = None,
            limit: int = 200) -> list[AuditEntry]:
    """The newest entries, optionally of one subject, with the people named on them."""
    query = select(AuditEntry).options(
        selectinload(AuditEntry.actor), selectinload(AuditEntry.asked_by),
        selectinload(AuditEntry.answered_by), selectinload(AuditEntry.host_before),
        selectinload(AuditEntry.host_after))
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    return list(db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))


def for_session(session_id: int) -> list[AuditEntry]:
    """Every change to one session (swaps and coordinators' changes), newest first."""
    query = select(AuditEntry).where(AuditEntry.session_id == session_id).options(
        selectinload(AuditEntry.actor), selectinload(AuditEntry.asked_by),
        selectinload(AuditEntry.answered_by), selectinload(AuditEntry.host_before),
        selectinload(AuditEntry.host_after))
    return list(db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))
