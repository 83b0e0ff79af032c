"""Facilitators' own feedback after a course, and its place in the feedback report."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, inspect, select

from remote_groups.db_types import utcnow
from remote_groups.feedback.models import FacilitatorAnswer, FacilitatorAnswered
from remote_groups.feedback.rules import FilledSurvey
from remote_groups.feedback.service import store_facilitator_answer

from .conftest import shift_to_end


def _url(course, lang="fi"):
    return f"/{lang}/staff/feedback/courses/{course.group.id}/facilitators"


def test_not_open_before_the_last_session(client, login, course):
    login(course.facilitators[0])
    response = client.get(_url(course))
    assert response.status_code == 200
    assert 'type="radio"' not in response.get_data(as_text=True)
    response = client.post(_url(course), data={"item-1": "5"})
    assert response.status_code == 200 and 'type="radio"' not in response.get_data(
        as_text=True)


def test_each_facilitator_answers_once(client, login, course, db_session):
    shift_to_end(course, db_session)
    login(course.facilitators[0])
    # An empty form and a score out of range are refused next to the fields, keeping the text.
    response = client.post(_url(course, "sv"), data={"item-1": "7", "comment": "Bra grupp."})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="item-1-error"' in body and "Bra grupp." in body
    response = client.post(_url(course), data={"item-1": "4", "item-2": "5",
                                               "comment": "Hyvä ryhmä."})
    assert response.status_code == 303
    assert db_session.scalar(select(func.count()).select_from(FacilitatorAnswer)) == 1
    again = client.post(_url(course), data={"item-1": "1"})
    assert 'type="radio"' not in again.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(FacilitatorAnswer)) == 1
    # The answer itself names nobody; only that the facilitator answered is recorded.
    assert "user_id" not in {c.name for c in inspect(FacilitatorAnswer).columns}
    assert db_session.scalars(select(FacilitatorAnswered.user_id)).all() == [
        course.facilitators[0].id]


def test_only_the_course_facilitators(client, login, course, db_session):
    shift_to_end(course, db_session)
    login(course.coordinator)
    assert client.get(_url(course)).status_code == 403
    client.post("/fi/staff/logout")
    login(course.outsider)
    assert client.get(_url(course)).status_code == 403


def test_the_course_pages_link_to_it_for_its_facilitators(client, login, course, db_session):
    login(course.facilitators[1])
    page = client.get(f"/fi/staff/courses/{course.group.id}/participants").get_data(as_text=True)
    assert _url(course) in page
    assert f"/fi/staff/assessment/courses/{course.group.id}/report" in page


def test_report_hides_averages_of_fewer_than_five(client, login, course, db_session, make):
    # Extra facilitators so that the "answered" rows have real users.
    extra = [make.user(course.areas[0]) for _ in range(4)]
    now = utcnow() - timedelta(days=1)
    people = [*course.facilitators, *extra]
    for person in people[:4]:
        store_facilitator_answer(course.group.id, person.id,
                                 FilledSurvey(scores={1: 4}, comment="Salainen huomio"), now)
    db_session.commit()
    login(course.coordinator)
    body = client.get(f"/fi/staff/reports/?group={course.group.id}").get_data(as_text=True)
    assert 'id="h-facilitator-feedback"' in body
    assert "Salainen huomio" not in body
    en = client.get(f"/en/staff/reports/?group={course.group.id}").get_data(as_text=True)
    assert "4 facilitators answered." in en and "Averages are hidden" in en
    store_facilitator_answer(course.group.id, people[4].id,
                             FilledSurvey(scores={1: 2}, comment="Salainen huomio"), now)
    db_session.commit()
    en = client.get(f"/en/staff/reports/?group={course.group.id}").get_data(as_text=True)
    # (4 * 4 + 2) / 5 = 3.6
    assert "Averages are hidden" not in en and "3.6" in en and "Salainen huomio" in en
    csv = client.get(f"/fi/staff/reports/facilitator-feedback.csv?group={course.group.id}")
    assert csv.status_code == 200 and "3,6" in csv.get_data(as_text=True)
