"""One transaction per request or command, row locks in one order, and bounded retries.

The rule: service functions change the session and flush; they never commit or roll back.
The view that called them commits once, through `unit_of_work`, and a CLI command through
`run_unit_of_work`, so a change and the mails it queues in the outbox are saved together or
not at all (as Indico's request handler does). A view that raises, or answers 5xx, has its changes
rolled back instead. A refusal (a form error, "the course is full") is an ordinary answer:
services check before they write, so its commit saves nothing new and ends the transaction,
releasing its locks.

Row locks (`lock_rows`) are taken in this order, and within one kind in id order, by every
path that takes more than one kind, so two transactions never wait for each other in a
circle:

1. the swap request being answered (`swaps.service`), or the exchange answer being
   agreed to (`exchange.service`),
2. the sessions it names (`swaps.service`, `series.service`),
3. the people whose time is booked (`groups.booking.lock_facilitators_time`),

and, on their own, a course's seats (`courses.service.lock_course`).

PostgreSQL takes `SELECT … FOR NO KEY UPDATE`: two writers of the same row wait for each
other, but rows that merely point at a locked row (an audit entry, an outbox message, a
swap request's foreign-key check) are not blocked, so a foreign-key check cannot close a
circle. SQLite has no row locks: a no-op UPDATE of the rows takes the database's single
write lock, which serialises all writers until commit (what `BEGIN IMMEDIATE` would do);
the checks that follow see everything committed before.

A deadlock or serialization failure can still happen (a path added later that breaks the
order, a lock taken implicitly by the database). `unit_of_work` and `run_unit_of_work`
then roll back and run the whole unit again, a bounded number of times, and a user whose
unit still fails gets a "try again" page (503), never a 500."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import abort, current_app, session
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from .extensions import db

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 4
# SQLSTATE codes PostgreSQL uses for "run the transaction again": serialization failure
# and deadlock detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def lock_rows(entity: Any, ids: Iterable[int]) -> None:
    """Lock the rows of `entity` with these ids, in id order, for the rest of the
    transaction. Read them after this (with `populate_existing`, if they were loaded
    before) to see what the last holder of the lock committed.

    See the module docstring for the order between kinds of rows and what each database
    does. Ids that do not exist are skipped."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    key = entity.id
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(entity).where(key.in_(wanted)).values({key: key})
            .execution_options(synchronize_session=False))
        return
    db.session.execute(
        select(key).where(key.in_(wanted)).order_by(key).with_for_update(key_share=True,
                                                                          of=entity))


def is_retryable(error: BaseException) -> bool:
    """A deadlock or serialization failure (PostgreSQL), or SQLite's write lock still held
    by another writer after its busy timeout: the same work may well succeed if run again."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if code in RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(original)


def _pause(attempt: int) -> None:
    """A short, growing, jittered wait, so two retried units do not collide again."""
    time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 (not for secrets)


def run_unit_of_work(work: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run `work` and commit, for CLI commands and workers. On a deadlock or serialization
    failure roll back and run `work` again, up to `attempts` times in all; then the last
    error is raised. Any other error rolls back and is raised at once."""
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            db.session.commit()
            return result
        except Exception as error:
            db.session.rollback()
            if attempt == attempts or not is_retryable(error):
                raise
            current_app.logger.warning("transaction conflict (%s), attempt %d of %d",
                                       type(error.orig).__name__, attempt, attempts)  # type: ignore[attr-defined]
            _pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def unit_of_work(view: Callable[P, Any]) -> Callable[P, Any]:
    """A view's one transaction: commit when it answers, roll back when it raises or
    answers 5xx. A deadlock or serialization failure runs the view again (its flashed
    messages from the failed run are dropped), up to `ATTEMPTS` times; a unit that keeps
    failing answers 503 ("please try again") rather than 500."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        flashes: Sequence[Any] = list(session.get("_flashes", []))
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = current_app.make_response(view(*args, **kwargs))
                if response.status_code < 500:
                    db.session.commit()
                else:
                    db.session.rollback()
                return response
            except Exception as error:
                db.session.rollback()
                if not is_retryable(error):
                    raise
                current_app.logger.warning(
                    "transaction conflict (%s) in %s, attempt %d of %d",
                    type(error.orig).__name__, view.__name__, attempt, ATTEMPTS)  # type: ignore[attr-defined]
                if attempt == ATTEMPTS:
                    abort(503)
                _restore_flashes(flashes)
                _pause(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def _restore_flashes(flashes: Sequence[Any]) -> None:
    if flashes:
        session["_flashes"] = list(flashes)
    else:
        session.pop("_flashes", None)
