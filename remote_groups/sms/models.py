"""What the text-message feature keeps.

- :class:`TextChoice`: a course applicant's mobile number and their choice of reminders by
  text message, with the time of the choice. Deleted with the application's data.
- :class:`TextSubscription`: a visitor of an open group who asked for text reminders of one
  session or of the group's next sessions. Only the number and the language are kept, and
  the row is deleted once the last reminder is queued (the outbox row loses the number once
  it is sent).
- :class:`StopLink`: the one-tap ``/s/<token>`` link in every text; only its hash is stored.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Application
from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model
from ..groups.models import Group, Session


class ReminderWay(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    BOTH = "both"
    NONE = "none"


class TextChoice(Model):
    __tablename__ = "sms_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), unique=True)
    mobile: Mapped[str] = mapped_column(String(20), default="")  # E.164
    # Text-message reminders and notices; e-mail reminders stay Application.wants_reminders.
    texts: Mapped[bool] = mapped_column(default=False)
    chosen_way: Mapped[ReminderWay] = mapped_column(str_enum(ReminderWay),
                                                    default=ReminderWay.EMAIL)
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()

    def __repr__(self) -> str:
        return f"<TextChoice {self.id}>"


class TextSubscription(Model):
    __tablename__ = "sms_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          index=True)
    # One session, or (None) the group's sessions up to `last_starts_at`.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    last_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mobile: Mapped[str] = mapped_column(String(20))  # E.164
    language: Mapped[str] = mapped_column(String(2), default="fi")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    session: Mapped[Session | None] = relationship()

    def __repr__(self) -> str:
        return f"<TextSubscription {self.id}>"


class StopLink(Model):
    __tablename__ = "sms_stop_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    choice_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_choices.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_subscriptions.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fi")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<StopLink {self.id}>"
