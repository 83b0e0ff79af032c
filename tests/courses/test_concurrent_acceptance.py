"""Many facilitators accept at the same moment: the course never gets more participants than
it has places, and nobody sees a server error.

On PostgreSQL (DATABASE_URL) the requests really overlap and the course row lock
(SELECT … FOR UPDATE) is what keeps the count right. On SQLite the same test checks the other
branch of `lock_course` (a no-op UPDATE that takes the write lock before counting); without
either lock it fails with every request accepted."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

from remote_groups.courses import service
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.mail.models import OutboxMessage
from remote_groups.rules.capacity import Status

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")

APPLICANTS = 12
SEATS = 3


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
def test_simultaneous_acceptances_on_postgresql_never_exceed_the_capacity(
        app, course, make, db_session):
    _race(app, course, make, db_session)


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own test")
def test_simultaneous_acceptances_on_sqlite_never_exceed_the_capacity(
        app, course, make, db_session):
    _race(app, course, make, db_session)


def _race(app, course, make, db_session) -> None:
    course.group.capacity = SEATS
    facilitators = [course.facilitator] + [
        make.user(course.areas[i % 2], email=f"ohjaaja{i}@example.com") for i in range(3)
    ]
    ids = []
    for n in range(APPLICANTS):
        details = service.ApplicantDetails(
            name=f"Hakija {n}", email=f"samaan{n}@example.com", phone="",
            home_area_id=course.areas[0].id, language="fi", motivation="Haluan mukaan.",
            support_needs="")
        ids.append(service.submit_application(course.group, details, utcnow()).application.id)
    emails = [u.email for u in facilitators]
    group_id = course.group.id
    db_session.commit()
    db_session.remove()  # the threads must not wait on this test's connection

    clients = []
    for n in range(APPLICANTS):
        client = app.test_client()
        signed_in = client.post("/fi/staff/login", data={"email": emails[n % len(emails)],
                                                          "password": "correct horse battery"})
        assert signed_in.status_code == 302
        clients.append(client)

    barrier = threading.Barrier(APPLICANTS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def accept(client, application_id):
        barrier.wait()
        response = client.post(
            f"/fi/staff/courses/{group_id}/applications/{application_id}/decision",
            data={"decision": "accept"})
        with lock:
            answers.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=accept, args=(c, i)) for c, i in zip(clients, ids,
                                                                              strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    codes = sorted(code for code, _ in answers)
    assert len(answers) == APPLICANTS
    assert all(code < 500 for code in codes), codes
    assert codes.count(303) == SEATS
    assert codes.count(409) == APPLICANTS - SEATS
    assert all("Kurssi on täynnä" in body for code, body in answers if code == 409)
    accepted = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.group_id == group_id, Application.status == Status.ACCEPTED))
    assert accepted == SEATS
    invited = db.session.scalar(select(func.count(func.distinct(OutboxMessage.recipient)))
                                .where(OutboxMessage.kind == "invite"))
    assert invited == SEATS
