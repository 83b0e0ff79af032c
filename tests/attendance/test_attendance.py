"""Attendance on a closed course: marking, notice from the personal link, the follow-up list,
and the attendance rate in reports."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.attendance.models import AttendanceMark, AttendanceStatus
from remote_groups.attendance.rules import AbsenceRow, needs_follow_up, notice_possible
from remote_groups.courses.models import Application
from remote_groups.courses.service import ensure_join_key
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind
from remote_groups.people.models import Role
from remote_groups.reports import figures as fg
from remote_groups.reports.queries import ReportFilter, attendance_rows
from remote_groups.rules.capacity import Status


@pytest.fixture
def course(make, db_session):
    area = make.area()
    facilitator = make.user(area=area, role=Role.FACILITATOR)
    group = make.group(areas=[area], kind=GroupKind.CLOSED, title_fi="Kurssi")
    past = make.session_(group=group, starts_at=utcnow() - timedelta(days=1),
                         facilitators=[facilitator])
    coming = make.session_(group=group, starts_at=utcnow() + timedelta(days=6),
                           facilitators=[facilitator])
    people = [Application(group_id=group.id, status=status, name=name, phone="040 000 0000",
                          email=f"{name.lower()}@example.com", applied_at=utcnow())
              for name, status in [("Aino", Status.ACCEPTED), ("Bertil", Status.ACCEPTED),
                                   ("Cecilia", Status.ACCEPTED), ("Daniel", Status.WAITING)]]
    db_session.add_all(people)
    db_session.commit()
    return type("Course", (), dict(area=area, facilitator=facilitator, group=group, past=past,
                                   coming=coming, people=people))


def test_facilitator_marks_each_accepted_participant(client, login, course, db_session):
    login(course.facilitator)
    page = client.get(f"/fi/staff/sessions/{course.past.id}/attendance").get_data(as_text=True)
    assert page.count("<fieldset") == 3 and "Daniel" not in page  # waiting list not listed
    a, b, c, _d = course.people
    response = client.post(f"/fi/staff/sessions/{course.past.id}/attendance", data={
        f"mark-{a.id}": "present", f"mark-{b.id}": "absent_with_notice",
        f"mark-{c.id}": "absent_no_notice"})
    assert response.status_code == 302
    marks = {m.application_id: m.status for m in db_session.scalars(select(AttendanceMark))}
    assert marks == {a.id: AttendanceStatus.PRESENT, b.id: AttendanceStatus.ABSENT_WITH_NOTICE,
                     c.id: AttendanceStatus.ABSENT_WITHOUT_NOTICE}
    with client.application.test_request_context("/fi/"):
        rate = fg.attendance_rate(attendance_rows(ReportFilter()))
    assert rate == 33.3  # 1 present of 3 marked


def test_follow_up_lists_absence_without_notice_until_contacted(client, login, course,
                                                                 db_session):
    a, b, _c, _d = course.people
    db_session.add_all([
        AttendanceMark(session_id=course.past.id, application_id=a.id,
                       status=AttendanceStatus.ABSENT_WITHOUT_NOTICE),
        AttendanceMark(session_id=course.past.id, application_id=b.id,
                       status=AttendanceStatus.ABSENT_WITH_NOTICE),
    ])
    db_session.commit()
    login(course.facilitator)
    page = client.get("/fi/staff/follow-up").get_data(as_text=True)
    assert "Aino" in page and "Bertil" not in page and "tel:0400000000" in page
    client.post(f"/fi/staff/follow-up/{course.past.id}/{a.id}",
                data={"note": "Soitettu, kaikki hyvin"})
    assert "Aino" not in client.get("/fi/staff/follow-up").get_data(as_text=True)
    mark = db_session.get(AttendanceMark, (course.past.id, a.id))
    db_session.refresh(mark)
    assert mark.follow_up_note == "Soitettu, kaikki hyvin" and mark.contacted_at is not None


def test_other_facilitators_do_not_see_the_follow_up(client, login, make, course, db_session):
    a = course.people[0]
    db_session.add(AttendanceMark(session_id=course.past.id, application_id=a.id,
                                  status=AttendanceStatus.ABSENT_WITHOUT_NOTICE))
    db_session.commit()
    login(make.user(role=Role.FACILITATOR))
    assert "Aino" not in client.get("/fi/staff/follow-up").get_data(as_text=True)
    assert client.get(f"/fi/staff/sessions/{course.past.id}/attendance").status_code == 403


def test_participant_gives_notice_from_the_personal_link(client, course, db_session):
    a = course.people[0]
    key = ensure_join_key(a)
    db_session.commit()
    page = client.get(f"/sv/my/{key}/absence")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in page.headers
    client.post(f"/sv/my/{key}/absence", data={"session_id": str(course.past.id)})  # too late
    client.post(f"/sv/my/{key}/absence", data={"session_id": str(course.coming.id)})
    marks = db_session.scalars(select(AttendanceMark)).all()
    assert [(m.session_id, m.status) for m in marks] == [
        (course.coming.id, AttendanceStatus.ABSENT_WITH_NOTICE)]
    assert client.get("/sv/my/not-a-key/absence").status_code == 404


def test_plain_rules():
    now = utcnow()
    assert notice_possible(now + timedelta(minutes=1), False, now)
    assert not notice_possible(now, False, now)
    assert not notice_possible(now + timedelta(days=1), True, now)
    rows = [AbsenceRow(1, 1, AttendanceStatus.ABSENT_WITHOUT_NOTICE, False, frozenset({7})),
            AbsenceRow(1, 2, AttendanceStatus.ABSENT_WITHOUT_NOTICE, True, frozenset({7})),
            AbsenceRow(2, 3, AttendanceStatus.ABSENT_WITH_NOTICE, False, frozenset({7})),
            AbsenceRow(3, 4, AttendanceStatus.ABSENT_WITHOUT_NOTICE, False, frozenset({8}))]
    assert [r.application_id for r in needs_follow_up(rows, 7)] == [1]
