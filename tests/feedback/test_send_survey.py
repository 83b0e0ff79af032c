"""Staff send a course's end survey to the participants a registered source names."""

import pytest
from sqlalchemy import func, select

from remote_groups import courses, signals
from remote_groups.feedback.models import SurveyToken
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import Role


@pytest.fixture
def without_courses(app):
    """The app as without closed courses: nobody answers who gets a course's survey."""
    receiver = courses._course_survey_recipients
    signals.course_survey_recipients.disconnect(receiver, sender=app)
    yield
    signals.course_survey_recipients.connect(receiver, sender=app)


@pytest.fixture
def participants(app, without_courses):
    people = [("Aino.Esimerkki@example.com", "fi"), ("bo.exempel@example.com", "sv"),
              ("aino.esimerkki@example.com", "fi")]  # the same person twice, from two sources

    def answer(sender, group):
        return people

    with signals.course_survey_recipients.connected_to(answer, sender=app):
        yield people


def test_a_facilitator_of_the_course_sends_it_once(client, make, login, course, participants,
                                                   db_session):
    login(make.user(area=course.areas[0], role=Role.FACILITATOR))
    page = client.get(f"/fi/staff/feedback/courses/{course.id}").get_data(as_text=True)
    assert "Jokainen 2 hyväksytystä osallistujasta" in page
    response = client.post(f"/fi/staff/feedback/courses/{course.id}")
    assert response.status_code == 302
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert db_session.scalar(select(func.count()).select_from(SurveyToken)) == 2
    client.post(f"/fi/staff/feedback/courses/{course.id}")  # a second press sends nothing
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    page = client.get(f"/fi/staff/feedback/courses/{course.id}").get_data(as_text=True)
    assert "Käyttämättömiä linkkejä: 2." in page
    listing = client.get("/fi/staff/feedback/courses").get_data(as_text=True)
    assert "Arjen taidot" in listing and "Lähetetty" in listing


def test_a_facilitator_of_another_area_may_not(client, make, login, course, participants,
                                               db_session):
    login(make.user(role=Role.FACILITATOR))
    assert client.post(f"/fi/staff/feedback/courses/{course.id}").status_code == 403
    assert "Arjen taidot" not in client.get("/fi/staff/feedback/courses").get_data(as_text=True)


def test_without_closed_courses_the_page_says_so(client, make, login, course, without_courses,
                                                 db_session):
    login(make.user(area=course.areas[0], role=Role.COORDINATOR))
    page = client.get(f"/fi/staff/feedback/courses/{course.id}").get_data(as_text=True)
    assert "Ei vielä saatavilla" in page
    assert client.post(f"/fi/staff/feedback/courses/{course.id}").status_code == 302
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_an_open_group_has_no_end_survey_and_the_page_says_why(client, make, login, db_session):
    area = make.area()
    group = make.group(areas=[area])
    db_session.commit()
    login(make.user(area=area, role=Role.FACILITATOR))
    page = client.get(f"/fi/staff/feedback/courses/{group.id}").get_data(as_text=True)
    assert "Avoimissa ryhmissä ei ole loppukyselyä" in page
    assert client.post(f"/fi/staff/feedback/courses/{group.id}").status_code == 200
    assert db_session.scalar(select(func.count()).select_from(SurveyToken)) == 0
