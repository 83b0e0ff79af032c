"""The worker against a real SMTP server on loopback: what arrives, what waits while the
server is down, what is given up, and that nothing goes out twice."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from remote_groups.calendar import invites
from remote_groups.db_types import utcnow
from remote_groups.mail.models import OutboxMessage, OutboxStatus
from remote_groups.mail.outbox import Message, enqueue
from remote_groups.mail.worker import backoff, send_due


def _rows(db_session):
    db_session.expire_all()
    return list(db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _parts(message):
    return [part.get_content_type() for part in message.walk()]


def _calendar_part(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part


def _event(message):
    calendar = icalendar.Calendar.from_ical(_calendar_part(message).get_content())
    return calendar, next(iter(calendar.walk("VEVENT")))


def _session_with_facilitator(make, language="fi"):
    area = make.area()
    facilitator = make.user(area=area, language=language, email="olli.ohjaaja@area.invalid")
    group = make.group(areas=[area], title_fi="Mielen hyvinvointi",
                       title_sv="Psykiskt välbefinnande")
    session = make.session_(group=group, facilitators=[facilitator], host=area)
    return session, invites.facilitator_recipients(session)[0]


def _plain(recipient="pirkko.osallistuja@mail.invalid", **kw):
    return enqueue(Message(kind=kw.pop("kind", "decision"), recipient=recipient, language="fi",
                           subject="Päätös", body_text="Hei!", **kw))


def test_an_invite_arrives_as_imip_with_the_request_method(make, db_session, smtp, settings):
    session, facilitator = _session_with_facilitator(make)
    invites.queue_invite(session, facilitator)
    db_session.commit()

    result = send_due(settings)

    assert result.sent == 1
    [received] = smtp.inbox.received
    assert received.rcpt_tos == [facilitator.email]
    assert received.mail_from == settings.mail_from
    message = received.message
    assert message.get_content_type() == "multipart/mixed"
    assert _parts(message)[1:5] == [
        "multipart/alternative", "text/plain", "text/html", "text/calendar",
    ]
    assert _calendar_part(message).get_param("method") == "REQUEST"
    calendar, event = _event(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(f"group-{session.group_id}-entry-")
    assert "Kutsu: Mielen hyvinvointi" in str(message["Subject"])
    [row] = _rows(db_session)
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.claimed_by is None and row.last_error == ""
    expected_id = f"<outbox.{row.id}.{row.created_at:%Y%m%d%H%M%S}@remote-groups.invalid>"
    assert message["Message-ID"] == expected_id


def test_with_the_server_down_the_message_waits_and_goes_out_once_when_it_is_back(
    db_session, smtp, settings
):
    _plain()
    db_session.commit()
    smtp.stop()
    before = utcnow()

    result = send_due(settings, now=before)

    assert result.retrying == 1 and result.sent == 0
    [row] = _rows(db_session)
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at > before + timedelta(seconds=29)
    assert row.last_error and "@" not in row.last_error
    assert send_due(settings, now=before).claimed == 0  # not due again yet

    smtp.start()
    later = row.next_attempt_at + timedelta(seconds=1)
    results = [send_due(settings, now=later + timedelta(minutes=i)) for i in range(4)]

    assert [r.sent for r in results] == [1, 0, 0, 0]
    assert len(smtp.inbox.received) == 1
    [row] = _rows(db_session)
    assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error == ""


def test_a_retry_after_a_4xx_is_the_same_message(db_session, smtp, settings):
    _plain()
    db_session.commit()
    smtp.inbox.replies.append("451 4.3.0 Mailbox busy, try again later")
    first = send_due(settings)
    [row] = _rows(db_session)
    assert first.retrying == 1 and row.last_error.startswith("SMTPDataError 451")

    send_due(settings, now=row.next_attempt_at)

    [received] = smtp.inbox.received
    assert received.message["Message-ID"].startswith(f"<outbox.{row.id}.")


def test_a_5xx_refusal_is_given_up_after_fewer_attempts_and_the_error_names_no_one(
    db_session, smtp, settings
):
    _plain(recipient="ei.ole@mail.invalid")
    db_session.commit()
    refusal = "550 5.1.1 <ei.ole@mail.invalid>: Recipient address rejected"
    smtp.inbox.replies.extend([refusal, refusal, refusal])
    now = utcnow()
    send_due(settings, now=now)
    [row] = _rows(db_session)
    assert row.status == OutboxStatus.PENDING

    send_due(settings, now=row.next_attempt_at)

    [row] = _rows(db_session)
    assert row.status == OutboxStatus.FAILED and row.attempts == settings.max_permanent_attempts
    assert "550" in row.last_error and "ei.ole" not in row.last_error
    assert "<address>" in row.last_error
    assert send_due(settings, now=now + timedelta(days=7)).claimed == 0
    assert smtp.inbox.received == []


def test_temporary_failures_are_given_up_after_max_attempts(db_session, smtp, settings):
    _plain()
    db_session.commit()
    smtp.inbox.replies.extend(["421 4.7.0 Too busy"] * settings.max_attempts)
    now = utcnow()
    for _ in range(settings.max_attempts):
        send_due(settings, now=now)
        now += settings.retry_max + timedelta(seconds=1)
    [row] = _rows(db_session)
    assert row.status == OutboxStatus.FAILED and row.attempts == settings.max_attempts
    assert smtp.inbox.received == []


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling(settings):
    rng = random.Random(7)
    delays = [backoff(n, settings, rng) for n in range(1, 12)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(settings.retry_base * 2 ** (attempt - 1), settings.retry_max)
        assert ceiling / 2 <= delay <= ceiling
    assert delays[3] > delays[0] * 3
    assert len({round(d.total_seconds(), 3) for d in delays}) == len(delays)


def test_an_update_keeps_the_uid_and_raises_the_sequence(make, db_session, smtp, settings):
    session, facilitator = _session_with_facilitator(make)
    invites.queue_invite(session, facilitator)
    db_session.commit()
    send_due(settings)
    before = invites.remember_before(session)
    session.starts_at += timedelta(hours=2)
    session.ends_at += timedelta(hours=2)
    session.bump_sequence()
    invites.queue_session_changed(session, before=before)
    db_session.commit()

    send_due(settings)

    first, second = (_event(r.message)[1] for r in smtp.inbox.received)
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    # The update names the one instance it changes.
    assert second["RECURRENCE-ID"].dt == first.DTSTART
    assert _calendar_part(smtp.inbox.received[1].message).get_param("method") == "REQUEST"
    moved_by = second.DTSTART - first.DTSTART
    assert moved_by == timedelta(hours=2)


def test_a_cancellation_carries_method_cancel(make, db_session, smtp, settings):
    from remote_groups.groups.models import SessionStatus

    session, _facilitator = _session_with_facilitator(make, language="sv")
    session.status = SessionStatus.CANCELLED
    session.bump_sequence()
    invites.queue_session_cancelled(session)
    db_session.commit()

    send_due(settings)

    [received] = smtp.inbox.received
    assert _calendar_part(received.message).get_param("method") == "CANCEL"
    calendar, event = _event(received.message)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert str(received.message["Subject"]).startswith("Inställd")


def test_a_crashed_workers_claim_expires_and_the_message_is_sent_by_the_next(
    db_session, smtp, settings
):
    now = utcnow()
    stuck = _plain()
    stuck.status, stuck.claimed_by = OutboxStatus.SENDING, "dead-host:1"
    stuck.claimed_until, stuck.attempts = now - timedelta(seconds=1), 1
    busy = _plain(recipient="toinen@mail.invalid")
    busy.status, busy.claimed_by = OutboxStatus.SENDING, "live-host:2"
    busy.claimed_until, busy.attempts = now + timedelta(minutes=4), 1
    db_session.commit()

    result = send_due(settings, now=now)

    assert result.sent == 1
    assert [r.rcpt_tos for r in smtp.inbox.received] == [["pirkko.osallistuja@mail.invalid"]]
    stuck_row, busy_row = _rows(db_session)
    assert stuck_row.status == OutboxStatus.SENT and stuck_row.attempts == 2
    assert busy_row.status == OutboxStatus.SENDING and busy_row.claimed_by == "live-host:2"


def test_a_message_that_kills_every_worker_fails_after_the_last_attempt(
    db_session, smtp, settings
):
    now = utcnow()
    poison = _plain()
    poison.status, poison.claimed_by = OutboxStatus.SENDING, "dead-host:9"
    poison.claimed_until, poison.attempts = now - timedelta(seconds=1), settings.max_attempts
    db_session.commit()
    assert send_due(settings, now=now).claimed == 0
    [row] = _rows(db_session)
    assert row.status == OutboxStatus.FAILED and "stopped while sending" in row.last_error
    assert smtp.inbox.received == []


def test_a_claim_running_out_of_lease_gives_the_rest_back_uncounted(db_session, smtp, settings):
    for n in range(3):
        _plain(recipient=f"henkilo{n}@mail.invalid")
    db_session.commit()
    start = utcnow()
    ticks = iter([start, start, start, start + settings.lease])  # the lease runs out after one

    result = send_due(settings, now=start, clock=lambda: next(ticks, start + settings.lease))

    assert result.claimed == 3 and result.sent == 1
    rows = _rows(db_session)
    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.PENDING,
                                        OutboxStatus.PENDING]
    assert [r.attempts for r in rows] == [1, 0, 0]
    assert all(r.claimed_by is None for r in rows)


def test_many_messages_in_one_pass_over_one_connection(db_session, smtp, settings):
    for n in range(25):
        _plain(recipient=f"henkilo{n}@mail.invalid")
    db_session.commit()
    first = send_due(settings)
    second = send_due(settings)
    assert (first.sent, second.sent) == (settings.batch_size, 25 - settings.batch_size)
    assert sorted(r.rcpt_tos[0] for r in smtp.inbox.received) == sorted(
        f"henkilo{n}@mail.invalid" for n in range(25)
    )


def test_the_log_names_no_address_and_no_subject(db_session, smtp, settings, caplog):
    _plain(recipient="salainen.henkilo@mail.invalid", kind="decision")
    db_session.commit()
    smtp.inbox.replies.append("550 5.1.1 <salainen.henkilo@mail.invalid> unknown")
    with caplog.at_level(logging.DEBUG, logger="remote_groups.mail.worker"):
        send_due(settings)
        send_due(settings, now=utcnow() + settings.retry_max)
    text = caplog.text
    assert "decision" in text  # the log is there ...
    assert "salainen" not in text and "Päätös" not in text  # ... without personal data


@pytest.fixture
def auth_smtp():
    """A second loopback server that takes a login (AUTH without TLS: loopback only)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from ..smtp import Inbox, free_port

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"oikea-salasana", handled=False)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    yield controller.port, inbox, logins
    controller.stop()


def _with(settings, **changes):
    return type(settings)(**{**settings.__dict__, **changes})


def test_the_worker_logs_in_when_a_user_is_configured(db_session, settings, auth_smtp):
    port, inbox, logins = auth_smtp
    _plain()
    db_session.commit()
    wrong = _with(settings, smtp_port=port, smtp_user="etaryhmat", smtp_password="vaara")
    assert send_due(wrong).retrying == 1  # a bad login waits; not the message's fault
    [row] = _rows(db_session)
    assert row.last_error.startswith("SMTPAuthenticationError 535")
    right = _with(wrong, smtp_password="oikea-salasana")
    assert send_due(right, now=row.next_attempt_at).sent == 1
    assert logins[-1] == (b"etaryhmat", b"oikea-salasana")
    assert len(inbox.received) == 1


def test_a_password_smtplib_cannot_send_keeps_mail_waiting_instead_of_crashing(
    db_session, settings, auth_smtp
):
    port, inbox, _logins = auth_smtp
    _plain()
    db_session.commit()
    odd = _with(settings, smtp_port=port, smtp_user="etaryhmat", smtp_password="väärä")
    result = send_due(odd)
    [row] = _rows(db_session)
    assert result.retrying == 1 and row.status == OutboxStatus.PENDING
    assert row.last_error.startswith("UnicodeEncodeError")
    assert inbox.received == []


def test_a_row_that_cannot_become_a_message_fails_alone(db_session, smtp, settings):
    broken = _plain(ics="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
                    ics_method="CANCEL")
    _plain(recipient="toinen@mail.invalid")
    db_session.commit()
    now = utcnow()
    send_due(settings, now=now)
    send_due(settings, now=now + settings.retry_max)
    db_session.expire_all()
    assert db_session.get(OutboxMessage, broken.id).status == OutboxStatus.FAILED
    assert [r.rcpt_tos for r in smtp.inbox.received] == [["toinen@mail.invalid"]]


def test_the_loop_keeps_going_until_stopped_and_sleeps_between_passes(db_session, settings,
                                                                       smtp):
    from remote_groups.mail.worker import run_worker

    _plain()
    db_session.commit()
    naps: list[float] = []
    passes: list[object] = []

    total = run_worker(settings, once=False, poll_interval=7.0,
                       before_pass=passes.append, should_stop=lambda: len(passes) >= 3,
                       sleep=naps.append)

    assert len(passes) == 3 and naps == [7.0, 7.0]
    assert total.sent == 1 and len(smtp.inbox.received) == 1
