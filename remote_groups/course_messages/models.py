"""A message to a course's participants, and who received it.

The text is the course's (the same for everyone, written by staff); what is personal is
the receipt: that this person got it. Receipts are exported and erased with the person's
application; the message itself stays with the course for the other participants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..courses.models import Application
from ..db_types import UTCDateTime, utcnow
from ..extensions import Model
from ..groups.models import Group, Session
from ..people.models import User


class CourseMessage(Model):
    __tablename__ = "course_messages"
    __table_args__ = (Index("ix_course_messages_group_sent", "group_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # Set when the message is about one session ("we meet at 10 today").
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_fi: Mapped[str] = mapped_column(String(150), default="")
    body_fi: Mapped[str] = mapped_column(Text, default="")
    subject_sv: Mapped[str] = mapped_column(String(150), default="")
    body_sv: Mapped[str] = mapped_column(Text, default="")
    recipient_count: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    session: Mapped[Session | None] = relationship()
    author: Mapped[User | None] = relationship()

    def versions(self) -> dict[str, tuple[str, str]]:
        return {"fi": (self.subject_fi, self.body_fi), "sv": (self.subject_sv, self.body_sv)}

    def __repr__(self) -> str:
        return f"<CourseMessage {self.id}>"


class MessageReceipt(Model):
    """This application's person was sent the message, in this language."""

    __tablename__ = "course_message_receipts"
    __table_args__ = (
        UniqueConstraint("message_id", "application_id", name="uq_course_message_receipts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("course_messages.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fi")  # the version sent

    message: Mapped[CourseMessage] = relationship()
    application: Mapped[Application] = relationship()

    def __repr__(self) -> str:
        return f"<MessageReceipt {self.id}>"
