"""Reminders a day and an hour before: who gets them, when, in which language, and never
twice however often (or on however many hosts) the queuing runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.calendar.invites import Recipient
from remote_groups.db_types import utcnow
from remote_groups.groups.models import SessionStatus
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.reminders import due_window, queue_due_reminders
from remote_groups.mail.worker import send_due

WANTS = Recipient(email="pirkko.osallistuja@mail.invalid", name="Pirkko Osallistuja",
                  language="sv", chair=False, join_url="https://etaryhmat.example.fi/sv/p/abc",
                  reminders=True)
DOES_NOT = Recipient(email="kalle.asiakas@mail.invalid", name="Kalle Asiakas", language="fi",
                     chair=False, reminders=False)


def _rows(db_session):
    return list(db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def course_session(make, participants):
    """A session that starts in 20 hours, planned a week ago, with one facilitator and two
    participants of whom one asked for reminders."""
    area = make.area()
    facilitator = make.user(area=area, language="fi", email="olli.ohjaaja@area.invalid")
    group = make.group(areas=[area], title_fi="Kurssi", title_sv="Kurs")
    now = utcnow()
    session = make.session_(group=group, starts_at=now + timedelta(hours=20),
                            facilitators=[facilitator], host=area,
                            created_at=now - timedelta(days=7))
    participants(session, [WANTS, DOES_NOT])
    return session


def test_facilitators_and_opted_in_participants_get_a_reminder_a_day_before(
    course_session, db_session
):
    assert queue_due_reminders(utcnow()) == 2
    rows = _rows(db_session)
    assert sorted(r.recipient for r in rows) == ["olli.ohjaaja@area.invalid", WANTS.email]
    assert {r.kind for r in rows} == {"reminder"}
    swedish = next(r for r in rows if r.language == "sv")
    assert swedish.subject.startswith("Påminnelse: Kurs")
    assert WANTS.join_url in swedish.body_text and WANTS.join_url in swedish.body_html
    finnish = next(r for r in rows if r.language == "fi")
    assert finnish.subject.startswith("Muistutus: Kurssi") and "huomenna" in finnish.body_text
    # The facilitator's way in is the staff session page (moderator), never the client page.
    staff_page = f"https://etaryhmat.example.fi/fi/staff/sessions/{course_session.id}"
    assert staff_page in finnish.body_text and staff_page in finnish.body_html
    assert f"/sessions/{course_session.id}/join" not in finnish.body_text
    assert all(r.ics == "" for r in rows)


def test_queuing_twice_or_later_in_the_same_window_adds_nothing(course_session, db_session):
    now = utcnow()
    assert queue_due_reminders(now) == 2
    assert queue_due_reminders(now) == 0
    assert queue_due_reminders(now + timedelta(hours=10)) == 0
    assert len(_rows(db_session)) == 2


def test_an_hour_before_comes_a_second_reminder_once(course_session, db_session):
    queue_due_reminders(utcnow())
    an_hour_before = course_session.starts_at - timedelta(minutes=50)
    assert queue_due_reminders(an_hour_before) == 2
    assert queue_due_reminders(an_hour_before + timedelta(minutes=5)) == 0
    hour_rows = [r for r in _rows(db_session) if ":1h:" in r.dedupe_key]
    assert len(hour_rows) == 2
    assert "tunnin" in next(r for r in hour_rows if r.language == "fi").body_text


def test_a_reminder_another_host_queued_meanwhile_is_skipped(
    course_session, db_session, monkeypatch
):
    """Two hosts look before either has written: the unique key stops the second."""
    from remote_groups.mail import reminders

    now = utcnow()
    assert queue_due_reminders(now) == 2
    monkeypatch.setattr(reminders, "already_queued", lambda keys: set())  # read too early
    assert queue_due_reminders(now) == 0
    assert len(_rows(db_session)) == 2


def test_cancelled_sessions_and_sessions_far_away_get_none(make, db_session):
    now = utcnow()
    facilitator = make.user()
    week_ago = now - timedelta(days=7)
    make.session_(starts_at=now + timedelta(hours=3), facilitators=[facilitator],
                  status=SessionStatus.CANCELLED, created_at=week_ago)
    make.session_(starts_at=now + timedelta(hours=30), facilitators=[facilitator],
                  created_at=week_ago)
    assert queue_due_reminders(now) == 0


def test_a_moved_session_is_reminded_again_at_its_new_time(course_session, db_session):
    now = utcnow()
    queue_due_reminders(now)
    course_session.starts_at += timedelta(hours=2)
    course_session.ends_at += timedelta(hours=2)
    course_session.bump_sequence()
    db_session.commit()
    assert queue_due_reminders(now) == 2


def test_a_host_change_at_the_same_time_is_not_reminded_twice(course_session, db_session):
    now = utcnow()
    assert queue_due_reminders(now) == 2
    course_session.bump_sequence()  # e.g. a swap: another host, the same time
    db_session.commit()
    assert queue_due_reminders(now) == 0


def test_reminder_windows():
    now = utcnow()
    planned = now - timedelta(days=3)
    assert due_window(now + timedelta(hours=25), planned, now) is None
    assert due_window(now + timedelta(hours=23), planned, now) == "24h"
    assert due_window(now + timedelta(minutes=61), planned, now) == "24h"
    assert due_window(now + timedelta(minutes=59), planned, now) == "1h"
    assert due_window(now - timedelta(minutes=1), planned, now) is None
    # Created 5 hours before the start: the invite just came, no "tomorrow" reminder ...
    start = now + timedelta(hours=4)
    assert due_window(start, start - timedelta(hours=5), now) is None
    # ... but the hour-before one still comes.
    assert due_window(start, start - timedelta(hours=5), start - timedelta(minutes=30)) == "1h"


def test_the_worker_sends_queued_reminders(course_session, db_session, smtp, settings):
    queue_due_reminders(utcnow())
    assert send_due(settings).sent == 2
    subjects = sorted(str(r.message["Subject"]) for r in smtp.inbox.received)
    assert subjects[0].startswith("Muistutus") and subjects[1].startswith("Påminnelse")
