"""Attendance against the database: facilitators' marks, a participant's notice of absence,
and the note after a follow-up call. The decisions are `rules`'; nothing here commits (the
view commits once)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ..courses.models import Application
from ..extensions import db
from ..groups.models import Session
from ..people.models import User
from .models import AttendanceMark, AttendanceStatus
from .rules import NOTE_MAX


def _mark(session_id: int, application_id: int) -> AttendanceMark:
    """The stored mark, or a new one added to the session."""
    mark = db.session.get(AttendanceMark, (session_id, application_id))
    if mark is None:
        mark = AttendanceMark(session_id=session_id, application_id=application_id)
        db.session.add(mark)
    return mark


def mark_session(session: Session, marks: Mapping[int, AttendanceStatus], by: User,
                 now: datetime) -> None:
    """Store the facilitator's marks (application id → status). A mark that does not change
    keeps who marked it and when."""
    for application_id, status in marks.items():
        mark = _mark(session.id, application_id)
        if mark.status != status:
            mark.status, mark.marked_at, mark.marked_by_id = status, now, by.id
    db.session.flush()


def give_notice(session: Session, application: Application, now: datetime) -> None:
    """The participant will not come: absent with notice, and when they said so."""
    mark = _mark(session.id, application.id)
    mark.status = AttendanceStatus.ABSENT_WITH_NOTICE
    mark.notice_at = now
    db.session.flush()


def record_contact(mark: AttendanceMark, by: User, note: str, now: datetime) -> None:
    """A facilitator reached the participant after an absence; the note is kept short."""
    mark.contacted_at = now
    mark.contacted_by_id = by.id
    mark.follow_up_note = note.strip()[:NOTE_MAX]
    db.session.flush()
