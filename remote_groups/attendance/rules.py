"""Plain attendance rules: what a mark becomes, who needs a call, when notice can be given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .models import AttendanceStatus

NOTE_MAX = 300


def notice_possible(starts_at: datetime, cancelled: bool, now: datetime) -> bool:
    """Notice of absence is given before the session starts; afterwards the facilitators'
    mark is what counts."""
    return not cancelled and now < starts_at


def default_status(notice_given: bool) -> AttendanceStatus | None:
    """What the marking form shows before a facilitator chooses: notice given means absent
    with notice; otherwise nothing is preselected, so nobody is marked by accident."""
    return AttendanceStatus.ABSENT_WITH_NOTICE if notice_given else None


def read_marks(form: dict[str, str], application_ids: Iterable[int]) -> dict[int, AttendanceStatus]:
    """`mark-<application id>` values; unknown or missing values are left unmarked."""
    allowed = {s.value: s for s in AttendanceStatus}
    marks = {}
    for app_id in application_ids:
        value = form.get(f"mark-{app_id}", "")
        if value in allowed:
            marks[app_id] = allowed[value]
    return marks


@dataclass(frozen=True)
class AbsenceRow:
    session_id: int
    application_id: int
    status: AttendanceStatus
    contacted: bool
    facilitator_ids: frozenset[int]


def needs_follow_up(rows: Iterable[AbsenceRow], facilitator_id: int) -> list[AbsenceRow]:
    """Absences without notice, in sessions this person facilitated, nobody has contacted."""
    return [r for r in rows if r.status == AttendanceStatus.ABSENT_WITHOUT_NOTICE
            and not r.contacted and facilitator_id in r.facilitator_ids]
