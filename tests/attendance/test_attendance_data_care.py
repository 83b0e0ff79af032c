"""Follow-up notes on absences are personal data: erasure clears them and an export shows
them, like the rest of what is stored about the person."""

from __future__ import annotations

import json
from datetime import timedelta

from remote_groups.attendance.models import AttendanceMark, AttendanceStatus
from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Decision

NOTE = "Soitettu: oli sairaana."


def _participant_with_note(make, db_session):
    area = make.area()
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4)
    session = make.session_(course, utcnow() - timedelta(days=2), host=area)
    admin = make.user(area, Role.ADMIN)
    now = utcnow()
    applied = courses.submit_application(course, courses.ApplicantDetails(
        name="Testi Hakija", email="hakija@example.com", phone="", home_area_id=area.id,
        language="fi", motivation="", support_needs=""), now)
    db_session.commit()
    courses.decide_application(course.id, applied.application.id, Decision.ACCEPT, "", admin,
                               now)
    db_session.add(AttendanceMark(session_id=session.id, application_id=applied.application.id,
                                  status=AttendanceStatus.ABSENT_WITHOUT_NOTICE,
                                  contacted_at=now, follow_up_note=NOTE))
    db_session.commit()
    return admin, applied.application


def test_export_shows_the_follow_up_note(client, make, db_session, login):
    admin, _application = _participant_with_note(make, db_session)
    login(admin)
    answer = client.post("/fi/staff/courses/data-requests",
                         data={"email": "hakija@example.com", "action": "export"})
    data = json.loads(answer.get_data(as_text=True))
    assert data["applications"][0]["attendance"][0]["follow_up_note"] == NOTE


def test_erasure_clears_the_follow_up_note(client, make, db_session, login):
    admin, _application = _participant_with_note(make, db_session)
    login(admin)
    client.post("/fi/staff/courses/data-requests",
                data={"email": "hakija@example.com", "action": "erase"})
    db_session.expire_all()
    mark = db_session.query(AttendanceMark).one()
    assert mark.follow_up_note == ""
    assert mark.status == AttendanceStatus.ABSENT_WITHOUT_NOTICE  # the figures stay
