"""Several workers on PostgreSQL: they never take the same message, so nothing is sent
twice. Skipped on SQLite, where one worker is the supported set-up."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select, text

from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.mail.models import OutboxMessage, OutboxStatus
from remote_groups.mail.outbox import Message, enqueue
from remote_groups.mail.worker import claim_due, send_due


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("concurrent workers need PostgreSQL (set DATABASE_URL)")


def _queue(count):
    for n in range(count):
        enqueue(Message(kind="decision", recipient=f"henkilo{n}@mail.invalid", language="fi",
                        subject="Päätös", body_text="Hei!"))
    db.session.commit()


def test_a_claim_skips_rows_another_worker_holds_without_waiting(app, db_session, settings):
    _queue(6)
    ids = sorted(db_session.scalars(select(OutboxMessage.id)))
    held = ids[:3]
    with db.engine.connect() as other_worker:
        other_worker.execute(
            text("SELECT id FROM outbox_messages WHERE id = ANY(:ids) FOR UPDATE"),
            {"ids": held},
        )
        db_session.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting would fail
        _token, claimed = claim_due(utcnow(), settings)
        other_worker.rollback()
    assert sorted(claimed) == ids[3:]


def test_four_workers_at_once_send_every_message_exactly_once(app, db_session, smtp, settings):
    _queue(60)
    small_batches = type(settings)(**{**settings.__dict__, "batch_size": 5})
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                while send_due(small_batches).claimed:
                    pass
                db.session.remove()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    received = Counter(r.rcpt_tos[0] for r in smtp.inbox.received)
    assert len(received) == 60 and set(received.values()) == {1}
    db_session.expire_all()
    statuses = Counter(db_session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT: 60}
