"""Attendance pages in a real browser: axe-core in fi and sv, marking by keyboard."""

import pytest
from sqlalchemy import select

from remote_groups.attendance.models import AttendanceMark, AttendanceStatus
from remote_groups.courses.service import ensure_join_key

from .test_attendance import course  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_attendance_pages_have_no_axe_violations(page, course, db_session, assert_accessible,  # noqa: F811
                                                 lang, browser_sign_in):
    db_session.add(AttendanceMark(session_id=course.past.id, application_id=course.people[0].id,
                                  status=AttendanceStatus.ABSENT_WITHOUT_NOTICE))
    key = ensure_join_key(course.people[1])
    db_session.commit()
    page.goto(f"/{lang}/my/{key}/absence")
    assert_accessible(page)
    browser_sign_in(page, course.facilitator, lang)
    page.goto(f"/{lang}/staff/sessions/{course.past.id}/attendance")
    assert_accessible(page)
    page.goto(f"/{lang}/staff/follow-up")
    assert_accessible(page)


def test_marking_works_by_keyboard(page, course, db_session, browser_sign_in):  # noqa: F811
    db_session.commit()
    browser_sign_in(page, course.facilitator, "fi")
    page.goto(f"/fi/staff/sessions/{course.past.id}/attendance")
    page.get_by_label("Paikalla").first.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Tallenna läsnäolot").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Läsnäolot tallennettu.").wait_for()
    db_session.expire_all()
    marks = db_session.scalars(select(AttendanceMark)).all()
    assert [m.status for m in marks] == [AttendanceStatus.PRESENT]
