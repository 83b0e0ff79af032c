"""One transaction per request: services flush, the view commits once, a refusal or an error
saves nothing, and a deadlock is retried instead of reaching the user."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from remote_groups import transactions
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.people.models import Area, Role
from remote_groups.swaps import service as swaps
from remote_groups.swaps.models import SwapRequest


def test_a_service_function_does_not_commit(network_like):
    """A proposal is flushed (it has an id) but gone after the caller rolls back."""
    anna, mine = network_like
    request = swaps.ask_cover(anna, mine, None).request
    assert request.id is not None
    db.session.rollback()
    assert db.session.scalar(select(SwapRequest)) is None


def test_the_view_commits_the_change_and_its_mail_together(network_like, client, login):
    anna, mine = network_like
    login(anna)
    response = client.post(f"/en/staff/swaps/cover/{mine.id}", data={"area": 0, "message": ""})
    assert response.status_code == 302
    db.session.rollback()  # what another connection would see: only what was committed
    from remote_groups.mail.models import OutboxMessage

    assert db.session.scalar(select(SwapRequest)) is not None
    assert db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.kind == "swap_request")) is not None


@pytest.fixture
def network_like(make: Any, db_session: Any) -> tuple[Any, Any]:
    west, north = make.area(), make.area()
    anna = make.user(west, Role.FACILITATOR)
    make.user(north, Role.FACILITATOR)
    group = make.group([west, north])
    mine = make.session_(group, utcnow() + timedelta(days=3), host=west, facilitators=[anna])
    db_session.commit()
    return anna, mine


class _Deadlock(Exception):
    sqlstate = "40P01"


def _deadlock_error() -> OperationalError:
    """What SQLAlchemy raises when PostgreSQL reports a deadlock (SQLSTATE 40P01)."""
    return OperationalError("UPDATE …", {}, _Deadlock("deadlock detected"))


def test_a_view_that_keeps_deadlocking_answers_503_in_the_users_language(
        network_like, client, login, monkeypatch, app):
    anna, mine = network_like
    login(anna)
    calls = []

    def always_deadlocked(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise _deadlock_error()

    monkeypatch.setattr(swaps, "ask_cover", always_deadlocked)
    response = client.post(f"/fi/staff/swaps/cover/{mine.id}", data={"area": 0})
    assert response.status_code == 503
    assert "Yritä uudelleen." in response.get_data(as_text=True)
    assert len(calls) == transactions.ATTEMPTS


def test_a_view_that_deadlocks_once_succeeds_on_the_retry_with_one_message(
        network_like, client, login, monkeypatch):
    anna, mine = network_like
    login(anna)
    real, calls = swaps.ask_cover, []

    def deadlocked_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            db.session.execute(update(Area).values(code=Area.code))  # written, then lost
            raise _deadlock_error()
        return real(*args, **kwargs)

    monkeypatch.setattr(swaps, "ask_cover", deadlocked_once)
    response = client.post(f"/en/staff/swaps/cover/{mine.id}", data={"area": 0})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("Your request for cover was sent.") == 1
    assert len(calls) == 2
    db.session.rollback()
    assert len(db.session.scalars(select(SwapRequest)).all()) == 1


@pytest.mark.postgres
def test_a_real_deadlock_is_retried_until_both_units_are_done(app, make, db_session):
    """Two units lock two rows in opposite orders, so PostgreSQL kills one of them with a
    deadlock; `run_unit_of_work` runs that one again and both finish."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgresql+psycopg://…")
    first, second = make.area(), make.area()
    db_session.commit()
    ids = (first.id, second.id)
    barrier = threading.Barrier(2)
    runs = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def unit(name: str, order: tuple[int, int]) -> None:
        def work() -> None:
            runs[name] += 1
            db.session.execute(update(Area).where(Area.id == order[0]).values(code=Area.code))
            if runs[name] == 1:
                barrier.wait(timeout=10)  # both hold their first row now
            db.session.execute(update(Area).where(Area.id == order[1]).values(code=Area.code))

        with app.app_context():
            try:
                transactions.run_unit_of_work(work)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=unit, args=("a", ids)),
               threading.Thread(target=unit, args=("b", ids[::-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(runs.values()) == [1, 2]  # one ran once, the deadlock victim twice
