"""The admin's outbox page, and the `worker` and `outbox purge` commands."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from remote_groups.cli import cli
from remote_groups.db_types import utcnow
from remote_groups.mail.models import OutboxMessage, OutboxStatus
from remote_groups.mail.outbox import Message, enqueue
from remote_groups.people.models import Role


def _message(status=OutboxStatus.PENDING, age=timedelta(0), **kw):
    row = enqueue(Message(kind=kw.pop("kind", "invite"),
                          recipient=kw.pop("recipient", "pirkko.osallistuja@mail.invalid"),
                          language="fi", subject="Kutsu: Ryhmä", body_text="Hei!"))
    row.status = status
    row.created_at = utcnow() - age
    for key, value in kw.items():
        setattr(row, key, value)
    return row


def _invoke(app, *args):
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_only_admins_see_the_outbox(client, make, login, db_session):
    facilitator = make.user(role=Role.FACILITATOR)
    db_session.commit()
    assert client.get("/fi/staff/outbox/").status_code == 302  # not signed in: sign-in page
    login(facilitator)
    assert client.get("/fi/staff/outbox/").status_code == 403
    assert client.post("/fi/staff/outbox/1/retry").status_code == 403


def test_admin_sees_counts_and_failed_messages_and_can_retry_one(client, make, login,
                                                                  db_session):
    admin = make.user(role=Role.ADMIN)
    for _ in range(3):
        _message(OutboxStatus.SENT)
    _message(OutboxStatus.PENDING)
    failed = _message(OutboxStatus.FAILED, attempts=8, kind="cancel",
                      last_error="SMTPDataError 550 5.1.1 <address> unknown")
    db_session.commit()
    login(admin)

    page = client.get("/fi/staff/outbox/").get_data(as_text=True)

    assert '<dd id="count-sent">3</dd>' in page and '<dd id="count-failed">1</dd>' in page
    assert '<dd id="count-pending">1</dd>' in page
    assert "SMTPDataError 550 5.1.1 &lt;address&gt; unknown" in page
    # Recipients and translated kinds of waiting, sent and failed mail; never a subject.
    assert page.count("pirkko.osallistuja@mail.invalid") == 5
    assert "Peruttu tapaaminen" in page and "Kutsu tapaamiseen" in page
    assert "Kutsu: Ryhmä" not in page
    response = client.post(f"/fi/staff/outbox/{failed.id}/retry")
    assert response.status_code == 302
    db_session.expire_all()
    row = db_session.get(OutboxMessage, failed.id)
    assert row.status == OutboxStatus.PENDING and row.attempts == 0
    assert row.next_attempt_at <= utcnow()
    after = client.get("/fi/staff/outbox/").get_data(as_text=True)
    assert "lähetetään uudelleen" in after and '<dd id="count-failed">0</dd>' in after


def test_a_sent_message_cannot_be_retried(client, make, login, db_session):
    admin = make.user(role=Role.ADMIN)
    sent = _message(OutboxStatus.SENT, attempts=1)
    db_session.commit()
    login(admin)
    client.post(f"/fi/staff/outbox/{sent.id}/retry")
    db_session.expire_all()
    assert db_session.get(OutboxMessage, sent.id).status == OutboxStatus.SENT


def test_purge_deletes_old_sent_and_failed_messages_but_never_waiting_ones(app, db_session):
    old = timedelta(days=31)
    _message(OutboxStatus.SENT, age=old, recipient="vanha@mail.invalid")
    _message(OutboxStatus.FAILED, age=old, recipient="vanha2@mail.invalid")
    _message(OutboxStatus.PENDING, age=old, recipient="odottaa@mail.invalid")
    _message(OutboxStatus.SENT, age=timedelta(days=2), recipient="tuore@mail.invalid")
    db_session.commit()

    result = _invoke(app, "outbox", "purge")

    assert result.exit_code == 0, result.output
    assert "Deleted 2" in result.output
    db_session.expire_all()
    left = sorted(db_session.scalars(select(OutboxMessage.recipient)))
    assert left == ["odottaa@mail.invalid", "tuore@mail.invalid"]
    assert _invoke(app, "outbox", "purge", "--days", "1").exit_code != 0  # below the minimum
    assert "Deleted 1" in _invoke(app, "outbox", "purge", "--days", "2").output


def test_worker_once_queues_reminders_and_sends(app, db_session, make, smtp):
    facilitator = make.user(email="olli.ohjaaja@area.invalid")
    make.session_(starts_at=utcnow() + timedelta(hours=5), facilitators=[facilitator],
                  created_at=utcnow() - timedelta(days=3))
    _message(OutboxStatus.PENDING)
    db_session.commit()
    saved = {k: app.config[k] for k in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST=smtp.host, SMTP_PORT=smtp.port)
    try:
        result = _invoke(app, "worker", "--once")
    finally:
        app.config.update(saved)

    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    assert sorted(r.rcpt_tos[0] for r in smtp.inbox.received) == [
        "olli.ohjaaja@area.invalid", "pirkko.osallistuja@mail.invalid",
    ]
