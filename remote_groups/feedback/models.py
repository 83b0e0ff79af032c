"""Feedback: survey items, anonymous answers, and the unused links of course-end surveys.

Anonymity is a property of the schema, not of good intentions:
- An answer row (`FeedbackAnswer`) names the group (and for open groups the session), the
  *date* it was given and nothing else: no participant, no token, no time of day, no IP.
  Its key is random, not a counter, so the order of rows does not tell who answered first.
- A course participant's link is a random token whose SHA-256 is kept in `SurveyToken`, a
  table of *unused* links with no participant and no e-mail. Answering deletes the row in the
  same transaction that stores the answer; nothing is left that joins the two.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model


class SurveyKind(enum.StrEnum):
    SESSION = "session"  # a short one after an open-group session
    COURSE = "course"  # at the end of a closed course, one answer per participant


class FeedbackItem(Model):
    """One 1–5 statement ("I got support from peers"), written by coordinators in fi and sv.

    Items are switched off, never deleted, so old answers keep their meaning."""

    __tablename__ = "feedback_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    text_fi: Mapped[str] = mapped_column(String(300), default="")
    text_sv: Mapped[str] = mapped_column(String(300), default="")
    text_en: Mapped[str] = mapped_column(String(300), default="")
    in_course_survey: Mapped[bool] = mapped_column(default=True)
    in_session_survey: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    def in_survey(self, kind: SurveyKind) -> bool:
        return self.in_course_survey if kind == SurveyKind.COURSE else self.in_session_survey

    def __repr__(self) -> str:
        return f"<FeedbackItem {self.id}>"


def new_answer_key() -> str:
    """Random, so keys carry no order of arrival."""
    return secrets.token_hex(16)


class FeedbackAnswer(Model):
    """One filled-in survey. Deliberately nothing here points at a person or a link."""

    __tablename__ = "feedback_answers"
    __table_args__ = (
        CheckConstraint("kind = 'course' OR session_id IS NOT NULL",
                        name="session_answer_has_session"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_answer_key)
    kind: Mapped[SurveyKind] = mapped_column(str_enum(SurveyKind))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    # The date only: a time of day could be matched against when a link was opened.
    answered_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")

    ratings: Mapped[list[FeedbackRating]] = relationship(cascade="all, delete-orphan")


class FeedbackRating(Model):
    """The 1–5 score one answer gave one item."""

    __tablename__ = "feedback_ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),)

    answer_id: Mapped[str] = mapped_column(
        ForeignKey("feedback_answers.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"), primary_key=True)
    score: Mapped[int]


class CourseSurvey(Model):
    """That a course's end survey was sent, and until when it can be answered. One per course,
    so nobody can be sent a second link (which would be a second vote)."""

    __tablename__ = "course_surveys"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closes_on: Mapped[date] = mapped_column(Date)


class SurveyToken(Model):
    """An unused course-survey link: only the hash of its token and the course.

    No participant, no e-mail, no creation time; the row is deleted when the link is used."""

    __tablename__ = "survey_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("course_surveys.group_id", ondelete="CASCADE"), index=True
    )


class FacilitatorAnswer(Model):
    """A facilitator's feedback on a course they ran: the course, the date and what was said.
    Like `FeedbackAnswer`, nothing here names the facilitator; `FacilitatorAnswered` records
    only *that* they answered, so nobody answers twice."""

    __tablename__ = "facilitator_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_answer_key)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    answered_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")

    ratings: Mapped[list[FacilitatorRating]] = relationship(cascade="all, delete-orphan")


class FacilitatorRating(Model):
    """The 1–5 score one facilitator's answer gave one of the fixed facilitator statements
    (`rules.FACILITATOR_ITEMS`, by number)."""

    __tablename__ = "facilitator_ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="facilitator_score_1_to_5"),)

    answer_id: Mapped[str] = mapped_column(
        ForeignKey("facilitator_answers.id", ondelete="CASCADE"), primary_key=True)
    item_no: Mapped[int] = mapped_column(primary_key=True)
    score: Mapped[int]


class FacilitatorAnswered(Model):
    """That one facilitator has given their feedback on one course (and nothing of it)."""

    __tablename__ = "facilitator_answered"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
