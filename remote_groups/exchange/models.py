"""The exchange board between areas: offers and requests, the answers to them, and the
exchanges made when both areas agreed (what the balance report counts)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model
from ..groups.models import Group, Session, Theme
from ..people.models import Area, User


class PostKind(enum.StrEnum):
    OFFER = "offer"  # "we can host six Swedish sessions on nutrition"
    REQUEST = "request"  # "we need a Swedish-speaking facilitator for our course"


class PostStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"  # an answer was agreed
    WITHDRAWN = "withdrawn"


class ReplyStatus(enum.StrEnum):
    PROPOSED = "proposed"  # the answering area agreed to it; waiting for the posting area
    AGREED = "agreed"  # both agreed: the exchange is made
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ExchangePost(Model):
    """An offer or a request on the board. An offer gives its period and the number of
    sessions; a request names its group and the sessions it needs a facilitator for."""

    __tablename__ = "exchange_posts"
    __table_args__ = (
        CheckConstraint("session_count > 0", name="session_count_positive"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(str_enum(PostKind))
    status: Mapped[PostStatus] = mapped_column(str_enum(PostStatus), default=PostStatus.OPEN,
                                               index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(2))
    theme: Mapped[Theme] = mapped_column(str_enum(Theme))
    session_count: Mapped[int]
    period_start: Mapped[date]
    period_end: Mapped[date]
    when_text: Mapped[str] = mapped_column(String(200), default="")
    description_fi: Mapped[str] = mapped_column(Text, default="")
    description_sv: Mapped[str] = mapped_column(Text, default="")
    # A request: the group whose sessions need a facilitator, and which ones.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    session_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area: Mapped[Area] = relationship()
    author: Mapped[User | None] = relationship()
    group: Mapped[Group | None] = relationship()
    replies: Mapped[list[ExchangeReply]] = relationship(
        back_populates="post", order_by="ExchangeReply.id", cascade="all, delete-orphan")

    @property
    def is_offer(self) -> bool:
        return self.kind == PostKind.OFFER


class ExchangeReply(Model):
    """Another area's answer. For an offer: which of its groups, and when (first day, times,
    how many, how often). For a request: which of its facilitators. Sending it is the
    answering area's agreement; the posting area's agreement makes the exchange."""

    __tablename__ = "exchange_replies"
    __table_args__ = (
        CheckConstraint("count IS NULL OR count > 0", name="count_positive"),
        CheckConstraint("interval_weeks IN (1, 2)", name="interval"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("exchange_posts.id", ondelete="CASCADE"),
                                         index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    status: Mapped[ReplyStatus] = mapped_column(str_enum(ReplyStatus),
                                                default=ReplyStatus.PROPOSED)
    # An answer to an offer: the group and the dates.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    first_date: Mapped[date | None]
    start_time: Mapped[time | None] = mapped_column(Time())
    end_time: Mapped[time | None] = mapped_column(Time())
    count: Mapped[int | None]
    interval_weeks: Mapped[int] = mapped_column(default=1)
    # An answer to a request: the answering area's facilitators; for an offer, the offering
    # area's facilitators, chosen when it agrees.
    facilitator_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post: Mapped[ExchangePost] = relationship(back_populates="replies")
    area: Mapped[Area] = relationship()
    group: Mapped[Group | None] = relationship()
    replied_by: Mapped[User | None] = relationship(foreign_keys=[replied_by_id])
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])


class ExchangeSession(Model):
    __tablename__ = "exchange_sessions"

    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, index=True)

    session: Mapped[Session] = relationship()


class Exchange(Model):
    """An agreed exchange: `host_area` hosts these sessions for `receiving_area`. `minutes`
    is their length when agreed; the balance report counts the sessions as they are then
    (a session cancelled later no longer counts)."""

    __tablename__ = "exchanges"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("exchange_replies.id", ondelete="CASCADE"),
                                          unique=True)
    host_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    receiving_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    host_area: Mapped[Area] = relationship(foreign_keys=[host_area_id])
    receiving_area: Mapped[Area] = relationship(foreign_keys=[receiving_area_id])
    members: Mapped[list[ExchangeSession]] = relationship(cascade="all, delete-orphan")
