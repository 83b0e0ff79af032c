"""What each person's calendar holds of a group: one entry (one UID) per person per group.

Why stored: RFC 5546 wants every later message about an entry to carry a higher SEQUENCE
than the last one that person got (a withdrawal's CANCEL and a later re-invitation
included), and a person's first message about it to be an invitation. Neither can be worked
out from the sessions alone. Only a keyed-free SHA-256 of the address is kept, never the
address itself (the outbox row that carries the mail is purged after 30 days)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import Model


def address_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class CalendarCopy(Model):
    """One person's calendar entry for a group's sessions (a recurring event)."""

    __tablename__ = "calendar_copies"
    __table_args__ = (UniqueConstraint("group_id", "address_hash",
                                       name="uq_calendar_copies_group_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    address_hash: Mapped[str] = mapped_column(String(64))
    # The SEQUENCE of the last message this person got about the entry.
    sequence: Mapped[int] = mapped_column(default=0)
    # Whether the person's calendar holds the entry now (False after a CANCEL).
    active: Mapped[bool] = mapped_column(default=False)
    # Sessions that ended before this are not in the entry (a participant accepted midway).
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarCopy {self.id} group={self.group_id} seq={self.sequence}>"
