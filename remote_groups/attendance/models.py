"""Attendance on closed-course sessions, and the follow-up of absences without notice.

One row per session and participant, written when a facilitator marks the session or when
the participant gives notice from their personal link. The follow-up columns sit on the same
row: the pilots phoned people who were absent without notice, and noted that they had."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, str_enum
from ..extensions import Model


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT_WITH_NOTICE = "absent_with_notice"
    ABSENT_WITHOUT_NOTICE = "absent_no_notice"  # str_enum holds 20 characters


class AttendanceMark(Model):
    __tablename__ = "attendance_marks"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus))
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The participant said beforehand that they cannot come.
    notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contacted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    follow_up_note: Mapped[str] = mapped_column(String(300), default="")
