"""Two people accept conflicting requests at the same moment: exactly one swap happens, and
the other person gets a clear refusal (never a 500, never both)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.groups.models import Session
from remote_groups.people.models import Role
from remote_groups.swaps import service
from remote_groups.swaps.models import SwapRequest, SwapStatus

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":  # needs an app context: taken by `app` users
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgresql+psycopg://…")


def test_conflicting_acceptances_at_the_same_moment(app, make, db_session, monkeypatch,
                                                    postgres_only):
    west, north, south = make.area(code="w"), make.area(code="n"), make.area(code="s")
    anna = make.user(west, Role.FACILITATOR)
    bertil = make.user(north, Role.FACILITATOR)
    cecilia = make.user(south, Role.FACILITATOR)
    group = make.group([west, north, south])
    start = utcnow() + timedelta(days=4)
    contested = make.session_(group, start, host=west, facilitators=[anna])
    north_session = make.session_(group, start + timedelta(days=7), host=north,
                                  facilitators=[bertil])
    db_session.commit()
    exchange = service.propose_exchange(anna, contested, north_session).request
    cover = service.ask_cover(anna, contested, None).request
    db_session.commit()  # the service flushes; the caller commits
    ids = {"bertil": (bertil.email, exchange.id), "cecilia": (cecilia.email, cover.id)}
    contested_id, hosts = contested.id, {"bertil": north.id, "cecilia": south.id}
    db_session.remove()

    # Widen the window between reading the sessions and writing them, so that without the
    # row locks both acceptances would pass their checks on the same old state.
    real = service._other_bookings

    def slow_other_bookings(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "_other_bookings", slow_other_bookings)
    barrier = threading.Barrier(2)
    results: dict[str, tuple[int, str]] = {}

    def accept_as(name: str) -> None:
        email, request_id = ids[name]
        client = app.test_client()
        assert client.post("/en/staff/login", data={
            "email": email, "password": "correct horse battery"}).status_code == 302
        barrier.wait(timeout=10)
        response = client.post(f"/en/staff/swaps/{request_id}/answer",
                               data={"decision": "accept", "message": ""})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        results[name] = (response.status_code, page)

    threads = [threading.Thread(target=accept_as, args=(name,)) for name in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert {code for code, _page in results.values()} == {302}  # no 500 for anyone
    won = [n for n, (_c, page) in results.items() if "The swap is made" in page]
    lost = [n for n, (_c, page) in results.items() if "The swap could not be made" in page]
    assert len(won) == 1 and len(lost) == 1, results
    assert "have changed since the request was made" in results[lost[0]][1]

    with app.app_context():
        statuses = {r.id: r.status for r in db.session.query(SwapRequest)}
        session = db.session.get(Session, contested_id)
        winner_request = ids[won[0]][1]
        assert statuses[winner_request] == SwapStatus.ACCEPTED
        assert statuses[ids[lost[0]][1]] == SwapStatus.PROPOSED
        assert session.sequence == 1
        assert session.host_area_id == hosts[won[0]]
        db.session.remove()
