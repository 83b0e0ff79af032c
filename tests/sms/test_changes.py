"""Texts about a place on the course, a cancelled session and a moved one, to the people
who chose texts (through the signals courses and the calendar send)."""

from __future__ import annotations

from datetime import timedelta

from remote_groups.calendar import invites
from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.groups.models import SessionStatus
from remote_groups.rules.capacity import Decision, Status
from remote_groups.sms.models import TextSubscription
from remote_groups.sms.service import save_choice, subscribe

from .conftest import MOBILE, texts

OTHER = "+358501234567"


def test_a_place_on_the_course_is_told_by_text(app, participant, sms_on):
    application = participant.application
    application.status = Status.PENDING
    with app.test_request_context():
        save_choice(application, courses_way("sms"), MOBILE, utcnow())
        outcome = courses.decide_application(application.group_id, application.id,
                                             Decision.ACCEPT, "", participant.course.facilitator,
                                             utcnow())
    db.session.commit()
    assert outcome is not None and outcome.status == Status.ACCEPTED
    [text] = texts(kind="sms_accepted")
    assert text.recipient == MOBILE
    assert text.body_text.startswith("Sait paikan kurssille: Mielen hyvinvoinnin kurssi.")
    assert "/s/" in text.body_text


def test_no_text_about_a_place_without_consent(app, participant, sms_on):
    application = participant.application
    application.status = Status.PENDING
    with app.test_request_context():
        save_choice(application, courses_way("email"), "", utcnow())
        courses.decide_application(application.group_id, application.id, Decision.ACCEPT, "",
                                   participant.course.facilitator, utcnow())
    assert texts(kind="sms_accepted") == []


def courses_way(value: str):
    from remote_groups.sms.models import ReminderWay

    return ReminderWay(value)


def test_a_cancelled_session_is_told_by_text_once(app, participant, open_group, sms_on):
    session = participant.course.sessions[0]
    with app.test_request_context():
        save_choice(participant.application, courses_way("both"), MOBILE, utcnow())
        session.status = SessionStatus.CANCELLED
        session.bump_sequence()
        invites.queue_session_cancelled(session)
        invites.queue_session_cancelled(session)  # told once, however often it is called
    db.session.commit()
    [text] = texts(kind="sms_cancel")
    assert text.recipient == MOBILE and text.body_text.startswith("Peruttu: Mielen")


def test_a_moved_session_is_told_to_visitors_and_their_reminder_follows(app, open_group,
                                                                        sms_on):
    _, sessions = open_group
    session = sessions[0]
    with app.test_request_context():
        subscribe(session, OTHER, "sv", utcnow(), whole_group=False)
        invites.remember_before(session)
        session.starts_at += timedelta(hours=2)
        session.ends_at += timedelta(hours=2)
        session.bump_sequence()
        invites.queue_session_changed(session)
    db.session.commit()
    [text] = texts(kind="sms_move")
    assert text.recipient == OTHER and text.body_text.startswith("Flyttad: ")
    assert f"/sv/sessions/{session.id}/join" in text.body_text
    db.session.expire_all()
    [subscription] = db.session.query(TextSubscription).all()
    assert subscription.last_starts_at == session.starts_at


def test_nothing_is_sent_about_changes_without_sms_settings(app, open_group):
    _, sessions = open_group
    session = sessions[0]
    db.session.add(TextSubscription(group_id=session.group_id, session_id=session.id,
                                    last_starts_at=session.starts_at, mobile=OTHER,
                                    language="fi"))
    with app.test_request_context():
        session.status = SessionStatus.CANCELLED
        invites.queue_session_cancelled(session)
    assert texts() == []


def test_the_course_survey_link_also_comes_by_text(app, participant, sms_on):
    from remote_groups.feedback.service import send_course_survey
    from remote_groups.mail.models import OutboxMessage

    with app.test_request_context():
        save_choice(participant.application, courses_way("sms"), MOBILE, utcnow())
        sent = send_course_survey(participant.course.group,
                                  [("osallistuja@example.com", "fi")], utcnow())
    db.session.commit()
    assert sent == 1
    [text] = texts(kind="sms_survey")
    mail = db.session.query(OutboxMessage).filter_by(kind="course_survey").one()
    survey_url = text.body_text.split("Palautteesi: ")[1].split()[0]
    assert survey_url in mail.body_text  # the same single-use link
    assert text.recipient == MOBILE
