"""Self-assessment in the database.

Who answered is kept apart from what was answered:
- `AssessmentPseudonym` maps an application to a random pseudonym. It is the only table that
  names an application, and it holds no answer.
- `AssessmentResponse` and `AssessmentScore` hold the answers under the pseudonym, with the
  course, the phase and the date (no time of day): the answer tables alone identify nobody.
Erasing an application deletes its pseudonym row and the answers under it.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model
from ..rules.assessment import Phase, ScaleRange


def new_key() -> str:
    """Random, so keys carry no order of arrival and no person."""
    return secrets.token_hex(16)


class AssessmentScale(Model):
    """A course's scale: its range and which ready-made set it started from."""

    __tablename__ = "assessment_scales"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    scale_range: Mapped[ScaleRange] = mapped_column(str_enum(ScaleRange),
                                                    default=ScaleRange.ONE_TO_FIVE)
    preset: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    items: Mapped[list[AssessmentItem]] = relationship(
        order_by="AssessmentItem.position", cascade="all, delete-orphan")


class AssessmentItem(Model):
    """One statement of a course's scale, in Finnish and Swedish (English optional)."""

    __tablename__ = "assessment_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_scales.group_id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text_fi: Mapped[str] = mapped_column(String(300), default="")
    text_sv: Mapped[str] = mapped_column(String(300), default="")
    text_en: Mapped[str] = mapped_column(String(300), default="")

    def __repr__(self) -> str:
        return f"<AssessmentItem {self.id}>"


class AssessmentPseudonym(Model):
    """The one link between an application and its answers."""

    __tablename__ = "assessment_pseudonyms"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True, default=new_key)


class AssessmentResponse(Model):
    """One person's answers at the start or at the end, under their pseudonym."""

    __tablename__ = "assessment_responses"
    __table_args__ = (
        UniqueConstraint("pseudonym", "phase", name="uq_assessment_responses_pseudonym_phase"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_key)
    pseudonym: Mapped[str] = mapped_column(
        ForeignKey("assessment_pseudonyms.pseudonym", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    answered_on: Mapped[date] = mapped_column(Date)

    scores: Mapped[list[AssessmentScore]] = relationship(cascade="all, delete-orphan")


class AssessmentScore(Model):
    __tablename__ = "assessment_scores"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 10", name="score_0_to_10"),)

    response_id: Mapped[str] = mapped_column(
        ForeignKey("assessment_responses.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_items.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int]
