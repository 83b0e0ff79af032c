"""Seat offers: a freed seat on a course kept for the first on the waiting list until a deadline.

One row per offer made. At most one open offer per application (a partial unique index); the
seats an open offer holds are counted as taken by `rules.capacity`. Rows hold no free text
and no contact details, only times and what became of the offer; they are deleted with the
application's data (`service.erase_offers`)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Application
from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model


class OfferStatus(enum.StrEnum):
    OPEN = "open"  # waiting for the person's answer, until expires_at
    ACCEPTED = "accepted"  # by the person, or by staff accepting them directly
    DECLINED = "declined"  # the person said no: their application is withdrawn
    EXPIRED = "expired"  # unanswered by the deadline: passed to the next person
    WITHDRAWN = "withdrawn"  # staff took the offer back (or the application left the list)


class SeatOffer(Model):
    __tablename__ = "course_seat_offers"
    __table_args__ = (
        Index("uq_course_seat_offers_open", "application_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_course_seat_offers_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), index=True)
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.OPEN)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OPEN

    def __repr__(self) -> str:
        return f"<SeatOffer {self.id} {self.status}>"
