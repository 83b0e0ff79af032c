"""Texts through the outbox to the 46elks API, run as a real HTTP server on loopback that
checks every request as 46elks documents it (https://46elks.com/docs/send-sms): POST
/a1/sms, HTTP Basic auth, a form-encoded body with from, to, message (and whendelivered,
dontlog). Success, a stalled server, 4xx, 5xx, quiet hours, delivery reports."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from werkzeug import Request, Response

from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.mail.models import OutboxMessage, OutboxStatus
from remote_groups.mail.worker import send_due
from remote_groups.rules.sms import HELSINKI
from remote_groups.sms.service import queue_text

from .conftest import HOOK_SECRET, MOBILE, SENDER, basic_auth, texts

TEXT = "Huomenna: Avoin ryhmä ti 1.12.2026 klo 14.00. Liity: https://x.fi/j Stop: https://x.fi/s/a"


class Elks:
    """The provider: checks each request exactly and answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.problems: list[str] = []
        self.answers: list[tuple[int, str]] = []
        self.stall = threading.Event()

    def __call__(self, request: Request) -> Response:
        form = request.form.to_dict()
        self.requests.append(form)
        if request.method != "POST" or request.path != "/a1/sms":
            self.problems.append(f"{request.method} {request.path}")
        if request.headers.get("Authorization") != basic_auth():
            self.problems.append("auth")
        if request.mimetype != "application/x-www-form-urlencoded":
            self.problems.append(f"content type {request.mimetype}")
        expected = {"from", "to", "message", "dontlog", "whendelivered"}
        if set(form) != expected:
            self.problems.append(f"fields {sorted(form)}")
        if form.get("from") != SENDER or not form.get("to", "").startswith("+358"):
            self.problems.append("from/to")
        if form.get("dontlog") != "message":
            self.problems.append("dontlog")
        if not form.get("whendelivered", "").endswith(f"/sms/delivery/{HOOK_SECRET}"):
            self.problems.append("whendelivered")
        if self.stall.is_set():
            time.sleep(1.5)  # outlasts the client's 0.5 s timeout
        code, body = self.answers.pop(0) if self.answers else (200, "")
        if code == 200 and not body:
            body = json.dumps({"status": "created", "direction": "outgoing",
                               "from": form.get("from"), "to": form.get("to"),
                               "created": "2026-12-01T10:00:00.000000",
                               "parts": 1, "id": f"s{len(self.requests):032x}"})
        return Response(body, status=code, content_type="application/json")


def _elks(sms_on) -> Elks:
    elks = Elks()
    sms_on.expect_request("/a1/sms").respond_with_handler(elks)
    return elks


def _queue(now: datetime, text: str = TEXT) -> OutboxMessage:
    row = queue_text(kind="sms_reminder", mobile=MOBILE, lang="fi", text=text, now=now)
    db.session.commit()
    return row


def _daytime() -> datetime:
    """Noon tomorrow in Helsinki: after anything queued now, outside the quiet hours."""
    tomorrow = utcnow().astimezone(HELSINKI).date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time().replace(hour=12),
                            tzinfo=HELSINKI).astimezone(UTC)


def test_a_text_is_sent_as_46elks_documents_and_forgets_the_number(app, db_session, settings,
                                                                   sms_on, caplog):
    elks = _elks(sms_on)
    now = _daytime()
    row = _queue(now)
    caplog.set_level(logging.DEBUG)
    with app.test_request_context():
        result = send_due(settings, now=now, clock=lambda: now)
    assert (result.sent, result.failed) == (1, 0)
    assert elks.problems == []
    assert len(elks.requests) == 1
    sent = elks.requests[0]
    assert sent["to"] == MOBILE and sent["message"] == TEXT
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.provider_ref == f"s{1:032x}"
    assert row.recipient == "" and row.body_text == ""  # no number, no words left behind
    assert MOBILE not in caplog.text and "Avoin" not in caplog.text


def test_4xx_fails_at_once_without_retry(app, db_session, settings, sms_on):
    elks = _elks(sms_on)
    elks.answers.append((400, "Invalid to number +358401234567"))
    now = _daytime()
    row = _queue(now)
    with app.test_request_context():
        result = send_due(settings, now=now, clock=lambda: now)
    assert (result.sent, result.failed, result.retrying) == (0, 1, 0)
    db.session.refresh(row)
    assert row.status == OutboxStatus.FAILED and row.attempts == 1
    assert "400" in row.last_error and "358" not in row.last_error
    assert row.recipient == ""
    with app.test_request_context():
        assert send_due(settings, now=now + timedelta(days=1)).claimed == 0
    assert len(elks.requests) == 1
    from remote_groups.mail.views import retry_now

    assert retry_now(row.id) is False  # no number left: an admin cannot send it again


def test_5xx_is_retried_with_backoff_then_sent(app, db_session, settings, sms_on):
    elks = _elks(sms_on)
    elks.answers += [(503, "busy"), (500, "oops")]
    now = _daytime()
    row = _queue(now)
    rng = random.Random(1)
    with app.test_request_context():
        assert send_due(settings, now=now, clock=lambda: now, rng=rng).retrying == 1
        db.session.refresh(row)
        first_retry = row.next_attempt_at
        assert row.status == OutboxStatus.PENDING and "503" in row.last_error
        assert now + timedelta(seconds=30) <= first_retry <= now + timedelta(seconds=60)
        assert send_due(settings, now=now + timedelta(seconds=10)).claimed == 0  # not yet
        later = first_retry
        assert send_due(settings, now=later, clock=lambda: later, rng=rng).retrying == 1
        db.session.refresh(row)
        assert row.next_attempt_at - later >= timedelta(seconds=60)  # backoff grew
        last = row.next_attempt_at
        assert send_due(settings, now=last, clock=lambda: last).sent == 1
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.attempts == 3
    assert len(elks.requests) == 3 and elks.problems == []


def test_a_stalled_provider_times_out_and_is_retried(app, db_session, settings, sms_on):
    elks = _elks(sms_on)
    elks.stall.set()
    now = _daytime()
    row = _queue(now)
    started = datetime.now(UTC)
    with app.test_request_context():
        result = send_due(settings, now=now, clock=lambda: now)
    assert datetime.now(UTC) - started < timedelta(seconds=1.4)  # the 0.5 s timeout held
    assert result.retrying == 1
    db.session.refresh(row)
    assert row.status == OutboxStatus.PENDING and row.last_error == "provider timed out"
    assert row.recipient == MOBILE  # still waiting: the number is needed for the retry


def test_a_retry_never_lands_in_the_quiet_hours(app, db_session, settings, sms_on):
    elks = _elks(sms_on)
    elks.answers.append((502, ""))
    now = datetime(2026, 12, 2, 20, 59, 50, tzinfo=HELSINKI).astimezone(UTC)
    row = _queue(now)
    with app.test_request_context():
        send_due(settings, now=now, clock=lambda: now)
    db.session.refresh(row)
    assert row.next_attempt_at == datetime(2026, 12, 3, 8, 0, tzinfo=HELSINKI).astimezone(UTC)


def test_a_text_queued_at_night_waits_until_eight(app, db_session, settings, sms_on):
    elks = _elks(sms_on)
    night = datetime(2026, 12, 2, 22, 30, tzinfo=HELSINKI).astimezone(UTC)
    row = _queue(night)
    morning = datetime(2026, 12, 3, 8, 0, tzinfo=HELSINKI).astimezone(UTC)
    assert row.next_attempt_at == morning
    with app.test_request_context():
        assert send_due(settings, now=night + timedelta(hours=9)).claimed == 0  # 07:30
        assert elks.requests == []
        assert send_due(settings, now=morning, clock=lambda: morning).sent == 1


def test_without_sms_settings_a_queued_text_waits(app, db_session, settings):
    from dataclasses import replace

    now = _daytime()
    row = _queue(now)
    send_due(replace(settings, sms=None), now=now, clock=lambda: now)
    db.session.refresh(row)
    assert row.status == OutboxStatus.PENDING
    assert row.last_error == "text messages are not configured"


def test_delivery_reports_update_the_message(app, db_session, client, settings, sms_on):
    _elks(sms_on)
    now = _daytime()
    row = _queue(now)
    with app.test_request_context():
        send_due(settings, now=now, clock=lambda: now)
    db.session.refresh(row)
    reference = row.provider_ref
    url = f"/sms/delivery/{HOOK_SECRET}"
    assert client.post("/sms/delivery/wrong", data={"id": reference,
                                                    "status": "delivered"}).status_code == 404
    assert client.post(url, data={"id": reference, "status": "bogus"}).status_code == 400
    answer = client.post(url, data={"id": reference, "status": "delivered",
                                    "delivered": "2026-12-02T10:00:05.000000"})
    assert answer.status_code == 204
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.delivery).where(
        OutboxMessage.id == row.id)) == "delivered"


def test_mail_still_goes_by_smtp_next_to_texts(app, db_session, settings, sms_on, smtp):
    """A batch with a mail and a text: each to its own channel."""
    from dataclasses import replace

    from remote_groups.mail.outbox import Message, enqueue

    elks = _elks(sms_on)
    now = _daytime()  # after the mail's own due time (now), and not in the quiet hours
    assert now > utcnow()
    enqueue(Message(kind="test", recipient="a@example.com", language="fi", subject="Hei",
                    body_text="Hei"))
    _queue(now)
    mail_settings = replace(settings, smtp_host=smtp.host, smtp_port=smtp.port)
    with app.test_request_context():
        result = send_due(mail_settings, now=now, clock=lambda: now)
    assert result.sent == 2
    assert len(elks.requests) == 1 and len(smtp.inbox.messages) == 1
    assert texts(status=OutboxStatus.SENT)
