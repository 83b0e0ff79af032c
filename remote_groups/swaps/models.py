"""Swap requests between areas. What an accepted swap changed goes to the audit log
(`remote_groups.audit.AuditEntry`, re-exported here for the swap code)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit import AuditEntry
from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model
from ..groups.models import Session
from ..people.models import Area, User
from ..rules.swaps import SwapKind


class SwapStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class SwapRequest(Model):
    """A proposal to exchange two sessions, or a request for cover of one.

    `snapshot` holds what both sessions looked like at proposal (hosts, facilitators, times,
    SEQUENCE); accepting compares it with the sessions as they are then."""

    __tablename__ = "swap_requests"
    __table_args__ = (
        Index("ix_swap_requests_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SwapKind] = mapped_column(str_enum(SwapKind))
    status: Mapped[SwapStatus] = mapped_column(str_enum(SwapStatus), default=SwapStatus.PROPOSED)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    proposer_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    target_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    # Cover: the one area asked; None means every co-running area. Exchange: the target's host.
    target_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    answer_message: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    proposer: Mapped[User] = relationship(foreign_keys=[proposer_id])
    proposer_area: Mapped[Area] = relationship(foreign_keys=[proposer_area_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    session: Mapped[Session] = relationship(foreign_keys=[session_id])
    target_session: Mapped[Session | None] = relationship(foreign_keys=[target_session_id])
    target_area: Mapped[Area | None] = relationship(foreign_keys=[target_area_id])

    def effective_status(self, now: datetime) -> SwapStatus:
        """Expiry is computed on read, so a request is never shown as open after the
        earlier session has started, even before `swaps expire` has run."""
        if self.status == SwapStatus.PROPOSED and now >= self.expires_at:
            return SwapStatus.EXPIRED
        return self.status

    def is_open(self, now: datetime) -> bool:
        return self.effective_status(now) == SwapStatus.PROPOSED

    def __repr__(self) -> str:
        return f"<SwapRequest {self.id} {self.kind} {self.status}>"


__all__ = ["AuditEntry", "SwapRequest", "SwapStatus"]
