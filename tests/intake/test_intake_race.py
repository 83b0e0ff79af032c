"""Several participants press "Book" on the same intake slot at the same instant: exactly
one gets it, every other one sees a clear message, and nobody sees a server error.

On PostgreSQL (DATABASE_URL) the requests really overlap in separate transactions and the
slot row lock (`lock_rows`, SELECT … FOR NO KEY UPDATE) makes the later ones wait and then
see the first one's booking; the unique constraint on the slot stands behind it. On SQLite
the same test runs the other branch of `lock_rows` (the write lock)."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

from remote_groups.extensions import db
from remote_groups.intake.models import IntakeBooking, IntakeSlot
from remote_groups.mail.models import OutboxMessage

from .conftest import accept

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")
PEOPLE = 4


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
def test_two_participants_booking_one_slot_at_once_on_postgresql(app, intake, db_session,
                                                                 jitsi):
    _race(app, intake, db_session, people=2)


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
def test_many_participants_booking_one_slot_at_once_on_postgresql(app, intake, db_session,
                                                                  jitsi):
    _race(app, intake, db_session, people=PEOPLE)


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own test")
def test_two_participants_booking_one_slot_at_once_on_sqlite(app, intake, db_session, jitsi):
    _race(app, intake, db_session, people=2)


def _race(app, intake, db_session, people: int) -> None:
    intake.group.capacity = people
    participants = [accept(intake, f"kilpa{n}@example.com", lang=("fi", "sv")[n % 2])
                    for n in range(people)]
    slot_id = db_session.scalar(select(IntakeSlot.id).where(IntakeSlot.group_id ==
                                                            intake.group.id)
                                .order_by(IntakeSlot.starts_at))
    urls = [f"{p.status_url}/intake" for p in participants]
    db_session.commit()
    db_session.remove()  # the threads must not wait on this test's connection

    barrier = threading.Barrier(people)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def book(url: str) -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        try:
            response = client.post(url, data={"slot": str(slot_id)})
            answer = (response.status_code, response.get_data(as_text=True))
        except Exception as error:  # what a browser would see as a 500
            answer = (500, repr(error))
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=book, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = sorted(code for code, _page in answers)
    assert len(answers) == people
    assert all(code < 500 for code in codes), answers
    assert codes.count(303) == 1, codes
    assert codes.count(409) == people - 1, codes
    for code, page in answers:
        if code == 409:
            assert ("Joku muu varasi juuri tämän ajan. Valitse toinen aika." in page
                    or "Någon annan bokade just den här tiden. Välj en annan tid." in page)
    assert db.session.scalar(select(func.count()).select_from(IntakeBooking)
                             .where(IntakeBooking.slot_id == slot_id)) == 1
    # Only the winner and the facilitator got an invitation.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == "intake_invite")) == 2
