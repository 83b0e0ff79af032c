"""A facilitator's time is a resource with its own lock.

Every change that puts a person into a session, or moves a session a person is in, must
call `lock_facilitators_time` with everyone it books *before* reading their other sessions
to look for overlaps, and keep the lock until it commits (the view's one commit does
that). Two such changes for the same person then run one after the other: the second
waits, reads the first one's committed booking and is refused if they overlap. Today's
callers: accepting a swap or cover (`swaps.service.accept`), adding an extra session,
changing a session's host and saving a series (`series.service`).

A change to existing sessions (a host change, a series edit, moving one session to another
time) calls `lock_booking` instead, with the sessions it changes and the people it books:
the sessions must be locked before the people, as a swap acceptance does, or the two could
wait for each other. For example, a page that moves one session:

    lock_booking([session.id], [u.id for u in session.facilitators])
    clashes = series.service.find_clashes([(new_start, new_end, session.facilitators)],
                                          {session.id})
    ...refuse if clashes, else change the times, bump SEQUENCE, queue the updates...

The lock is the people's user rows, in id order, after any swap request and session locks
(`transactions` has the whole order). On SQLite it is the database's write lock, which
serialises all writers anyway."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .. import signals
from ..people.models import User
from ..transactions import lock_rows
from .models import Session


def lock_facilitators_time(user_ids: Iterable[int]) -> None:
    """Hold these people's time until the transaction ends; call before checking overlaps.

    Safe to call twice in one transaction (the lock is already held) and with an empty
    list (nothing happens)."""
    lock_rows(User, user_ids)


def lock_booking(session_ids: Iterable[int], user_ids: Iterable[int]) -> None:
    """Lock the sessions a change touches, then the time of the people it books, each in
    id order: the one call for any change to existing sessions that books people (host
    change, series edit, moving a session). Call it before reading anything the change is
    checked against, once per transaction, with everyone."""
    lock_rows(Session, session_ids)
    lock_facilitators_time(user_ids)


def busy_outside_sessions(user_ids: Iterable[int], earliest: datetime,
                          latest: datetime) -> list[signals.Busy]:
    """The people's other busy times in the window that are not sessions (intake calls),
    as the features that keep them answer `signals.facilitator_busy`. Lock the people's
    time (`lock_facilitators_time`) before reading, as for their sessions."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    found = signals.answers(signals.facilitator_busy, user_ids=ids, earliest=earliest,
                            latest=latest) or []
    return [busy for answer in found for busy in answer]
