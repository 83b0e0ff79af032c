"""The participants file gives the day of acceptance as a Finnish calendar day."""

from __future__ import annotations

from datetime import UTC, datetime

from remote_groups.courses import service as courses
from remote_groups.groups.models import GroupKind
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Decision


def test_acceptance_just_after_midnight_in_helsinki_is_that_day(client, make, db_session,
                                                                 login):
    area = make.area()
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4)
    admin = make.user(area, Role.ADMIN)
    applied = courses.submit_application(course, courses.ApplicantDetails(
        name="Testi Hakija", email="hakija@example.com", phone="", home_area_id=area.id,
        language="fi", motivation="", support_needs=""), datetime(2026, 3, 1, 10, tzinfo=UTC))
    db_session.commit()
    # 00:30 on 10 March in Helsinki (UTC+2) is still 9 March in UTC.
    courses.decide_application(course.id, applied.application.id, Decision.ACCEPT, "", admin,
                               datetime(2026, 3, 9, 22, 30, tzinfo=UTC))
    db_session.commit()
    login(admin)
    text = client.get(f"/fi/staff/courses/{course.id}/participants.csv").get_data(as_text=True)
    assert "2026-03-10" in text
    assert "2026-03-09" not in text


def test_an_address_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(client, make,
                                                                           db_session, login):
    area = make.area()
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4)
    admin = make.user(area, Role.ADMIN)
    applied = courses.submit_application(course, courses.ApplicantDetails(
        name="Testi Hakija", email="=1+1@example.com", phone="", home_area_id=area.id,
        language="fi", motivation="", support_needs=""), datetime(2026, 3, 1, 10, tzinfo=UTC))
    db_session.commit()
    courses.decide_application(course.id, applied.application.id, Decision.ACCEPT, "", admin,
                               datetime(2026, 3, 2, 10, tzinfo=UTC))
    db_session.commit()
    login(admin)
    text = client.get(f"/fi/staff/courses/{course.id}/participants.csv").get_data(as_text=True)
    assert ";'=1+1@example.com;" in text
