"""Seats freed, offered and taken at the same instant, in real concurrent transactions: a seat
is never offered to two people, and offers plus accepted people never exceed the places.

Participants withdraw through their private links while facilitators accept waiting people
directly and the periodic step lets offers lapse, all released by one barrier. On PostgreSQL
the requests really overlap and the course row lock (`courses.service.lock_course`) keeps
the count right; on SQLite the same test runs through the write lock."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from remote_groups.courses import service
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.mail.models import OutboxMessage
from remote_groups.offers.models import OfferStatus, SeatOffer
from remote_groups.rules.capacity import Status

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")
PLACES = 3
WAITING = 8
PASSWORD = "correct horse battery"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
def test_on_postgresql_a_freed_seat_is_never_offered_twice(app, course, make, db_session):
    _race(app, course, make, db_session)


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own test")
def test_on_sqlite_a_freed_seat_is_never_offered_twice(app, course, make, db_session):
    _race(app, course, make, db_session)


def _race(app, course, make, db_session) -> None:
    group = course.group
    group.capacity = PLACES
    now = utcnow()
    tokens, waiting = [], []
    for n in range(PLACES + WAITING):
        details = service.ApplicantDetails(
            name=f"Hakija {n}", email=f"kilpa{n}@example.com", phone="",
            home_area_id=course.areas[0].id, language="fi", motivation="Haluan mukaan.",
            support_needs="")
        submitted = service.submit_application(group, details, now + timedelta(seconds=n))
        application = submitted.application
        if n < PLACES:
            application.status = Status.ACCEPTED
            tokens.append(submitted.status_token)
        else:
            application.status = Status.WAITING
            waiting.append(application.id)
    # One offer already open and past its deadline: the periodic step runs in the race too.
    db_session.flush()
    lapsing = SeatOffer(group_id=group.id, application_id=waiting[0], offered_at=now,
                        expires_at=now - timedelta(minutes=1))
    group.capacity = PLACES + 1
    db_session.add(lapsing)
    facilitators = [course.facilitator] + [
        make.user(course.areas[0], email=f"kilpaohjaaja{i}@example.com") for i in range(2)]
    emails = [u.email for u in facilitators]
    group_id = group.id
    db_session.commit()
    lapsing_id = lapsing.id
    db_session.remove()

    def staff_client(email):
        client = app.test_client()
        assert client.post("/fi/staff/login", data={"email": email, "password": PASSWORD}
                           ).status_code == 302
        return client

    actions: list[Any] = []
    for token in tokens:  # every accepted participant withdraws
        actions.append(lambda c, t=token: c.post(f"/fi/my/{t}/withdraw"))
    for n, application_id in enumerate(waiting[-3:]):  # staff accept the last three waiting
        client = staff_client(emails[n % len(emails)])
        actions.append(lambda c, client=client, a=application_id: client.post(
            f"/fi/staff/courses/{group_id}/applications/{a}/decision",
            data={"decision": "accept"}))
    actions.append("expire")

    barrier = threading.Barrier(len(actions))
    answers: list[object] = []
    lock = threading.Lock()

    def run(action):
        client = app.test_client()
        try:
            barrier.wait(timeout=30)
            if action == "expire":
                result = app.test_cli_runner().invoke(args=["offers", "expire"])
                answer = 0 if result.exit_code == 0 else f"exit {result.exit_code}"
                if result.exception:
                    answer = repr(result.exception)
            else:
                answer = action(client).status_code
        except Exception as error:  # what production would show as a 500
            answer = repr(error)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)

    assert len(answers) == len(actions)
    assert all(isinstance(a, int) and a < 500 for a in answers), answers
    with app.app_context():
        accepted = db.session.scalar(select(func.count()).select_from(Application).where(
            Application.group_id == group_id, Application.status == Status.ACCEPTED)) or 0
        open_offers = list(db.session.scalars(select(SeatOffer).where(
            SeatOffer.group_id == group_id, SeatOffer.status == OfferStatus.OPEN)))
        holders = [o.application_id for o in open_offers]
        assert len(holders) == len(set(holders))  # nobody holds two offers
        # Never more seats taken (accepted or offered) than the course has places...
        assert accepted + len(open_offers) <= PLACES + 1
        # ...and the freed places were not left idle while people waited.
        still_waiting = db.session.scalar(select(func.count()).select_from(Application).where(
            Application.group_id == group_id, Application.status == Status.WAITING))
        assert accepted + len(open_offers) == PLACES + 1 or still_waiting == 0
        for offer in open_offers:
            holder = db.session.get(Application, offer.application_id)
            assert holder is not None and holder.status == Status.WAITING
        # Each offer made in the race was mailed once, to its own person.
        made = db.session.scalar(select(func.count()).select_from(SeatOffer).where(
            SeatOffer.id != lapsing_id))
        mailed = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "course_offer"))
        assert made == mailed
        lapsed = db.session.get(SeatOffer, lapsing_id)
        assert lapsed is not None and lapsed.status == OfferStatus.EXPIRED
