"""The links that join the features up: feedback after an open session, attendance from the
staff session page, giving notice from a participant's status page."""

from datetime import timedelta

from sqlalchemy import text

from remote_groups.db_types import utcnow

from .conftest import form_data, outbox, status_token


def test_an_ended_open_session_asks_for_feedback(client, make, db_session):
    session = make.session_(starts_at=utcnow() - timedelta(hours=3))
    db_session.commit()
    html = client.get(f"/fi/sessions/{session.id}/join").get_data(as_text=True)
    assert f'href="/fi/sessions/{session.id}/feedback"' in html
    assert "Kerro, miten tapaaminen meni" in html


def test_staff_session_page_of_a_course_links_attendance(client, login, course):
    login(course.facilitator)
    session = course.sessions[0]
    html = client.get(f"/fi/staff/sessions/{session.id}").get_data(as_text=True)
    assert f'href="/fi/staff/sessions/{session.id}/attendance"' in html


def test_an_accepted_participant_can_give_notice_from_the_status_page(client, login, course,
                                                                     db_session):
    client.post(f"/fi/courses/{course.group.id}/apply", data=form_data(course.areas[0]))
    token = status_token(outbox(kind="course_application")[0])
    application_id = db_session.execute(text("SELECT id FROM course_applications")).scalar_one()
    login(course.facilitator)
    decided = client.post(
        f"/fi/staff/courses/{course.group.id}/applications/{application_id}/decision",
        data={"decision": "accept", "message": ""})
    assert decided.status_code in (302, 303)
    client.post("/fi/staff/logout")
    html = client.get(f"/fi/my/{token}").get_data(as_text=True)
    assert f'href="/fi/my/{token}/absence"' in html
