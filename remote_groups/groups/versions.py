"""The version of what session cards show, and rendered pieces remembered under it.

Why: the front page, a group page and the staff lists render the same session cards on every
request, and a card (group title, when, topic, host area, facilitators' names) changes only
when those rows do. Rendering ~90 cards costs far more than one indexed read of a counter.

How it stays right:

* ``data_versions`` holds one counter per name; ``CARDS`` is raised **in the same transaction**
  as any change to sessions, groups, their areas, areas or staff accounts, as its last write
  before the commit. Changes are noticed by the ORM flush (`before_flush`) and by bulk
  UPDATE/DELETE/INSERT statements on those tables (`do_orm_execute`; the anonymous join
  count, which no card shows, does not count). So every instance and worker sees the new
  version exactly when it sees the new rows.
* A piece is remembered under the version it was rendered from, read *before* the rows
  (:func:`current`): a reader that sees new rows under the old version only ever stores the
  newer content. A transaction that has changed watched rows (not committed yet) neither
  recalls nor remembers anything.
* What depends on the clock (on now, the join window open) is part of the piece's key, never
  inside a remembered piece that outlives it.

Memory is the one in-process cache (:class:`remote_groups.ttl_cache.TTLCache`), per worker,
bounded; losing it costs one rendering.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from typing import Any

from flask import g, has_request_context
from markupsafe import Markup
from sqlalchemy import BigInteger, String, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, mapped_column
from sqlalchemy.orm import Session as OrmSession

from ..extensions import db
from ..ttl_cache import TTLCache

#: Everything a session card or a staff list entry shows.
CARDS = "cards"
#: Tables whose changes can change a card.
WATCHED_TABLES = frozenset({"sessions", "groups", "group_areas", "areas", "users",
                            "session_facilitators"})
#: Columns whose bulk update no card shows (the anonymous join count).
UNSEEN_COLUMNS = frozenset({"join_count"})
#: Seconds a piece is kept at most (the version makes it right; this bounds memory).
KEEP_SECONDS = 600.0
MAX_PIECES = 4096

_WROTE = "_rg_cards_written"


class DataVersion(db.Model):  # type: ignore[name-defined]
    """A counter raised with every change to the data it names."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


_pieces: TTLCache[Markup] = TTLCache(max_entries=MAX_PIECES)


def current(name: str = CARDS) -> int | None:
    """The committed version to remember pieces under, or None when this transaction has
    changed the data itself (its rows are not committed: nothing may be remembered from
    them, nor recalled over them). Read once per request, before the rows it reads; read
    even when unused, so a page sends the same statements either way."""
    if not has_request_context():
        version = _read(name)
    else:
        known: dict[str, int | None] = g.setdefault("_rg_versions", {})
        if name not in known:
            known[name] = _read(name)
        version = known[name]
    return None if _wrote() else version


def _wrote() -> bool:
    """The current transaction has changed watched rows (flushed or about to be)."""
    session = db.session()
    return bool(session.info.get(_WROTE)) or any(
        _table_of(o) in WATCHED_TABLES for o in (*session.new, *session.deleted)) or any(
        _table_of(o) in WATCHED_TABLES and session.is_modified(o) for o in session.dirty)


def _read(name: str) -> int | None:
    # No row yet (a new database before its first change): nothing is remembered.
    return db.session.scalar(select(DataVersion.version).where(DataVersion.name == name))


def remembered(key: tuple[Hashable, ...], version: int | None,
               render: Callable[[], Markup]) -> Markup:
    """The piece named `key` as rendered under `version`, rendering it once if needed."""
    if version is None or _wrote():
        return render()
    full = (version, *key)
    piece = _pieces.get(full)
    if piece is None:
        piece = render()
        _pieces.set(full, piece, KEEP_SECONDS)
    return piece


def recall(key: tuple[Hashable, ...], version: int | None) -> Markup | None:
    """The piece if it is remembered under `version`, else None. `version` must come from
    :func:`current` in this request with no change flushed since (a page reads, then
    renders), which is what makes this check-free lookup right: 80 cards, 80 lookups."""
    return None if version is None else _pieces.get((version, *key))


def forget_all() -> None:
    """For tests: start from an empty memory."""
    _pieces.clear()


# --- raising the version -------------------------------------------------------------------


def _mark(session: OrmSession) -> None:
    session.info[_WROTE] = True


def _raise_before_commit(session: OrmSession) -> None:
    """Raise the counter as the last write of a transaction that changed watched rows: the
    new rows and the new number become visible together, and the counter's row is locked
    only for the commit (never before another row lock, so never part of a deadlock)."""
    session.flush()  # the commit would flush after this hook: notice its changes now
    if not session.info.get(_WROTE):
        return
    connection = session.connection()
    table = DataVersion.__table__
    raised = connection.execute(update(table).where(table.c.name == CARDS)
                                .values(version=table.c.version + 1))
    if raised.rowcount == 0:
        # A counter starts anywhere: a database emptied and filled again (tests, a restore)
        # must not meet pieces remembered under the old counter's numbers.
        connection.execute(insert(table).values(name=CARDS, version=first_version()))


def _forget_mark(session: OrmSession, *_args: Any) -> None:
    session.info.pop(_WROTE, None)


def first_version() -> int:
    return secrets.randbits(52)


def _table_of(obj: object) -> str | None:
    table = getattr(type(obj), "__table__", None)
    return getattr(table, "name", None)


def _before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_table_of(o) in WATCHED_TABLES for o in changed
           if o not in session.dirty or session.is_modified(o)):
        _mark(session)


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in WATCHED_TABLES:
        return
    if state.is_update:
        values = getattr(state.statement, "_values", None) or {}
        names = {getattr(k, "key", str(k)) for k in values}
        if names and names <= UNSEEN_COLUMNS:
            return
    _mark(state.session)


def init_listeners() -> None:
    """Listen on every ORM session (idempotent)."""
    for name, fn in (("before_flush", _before_flush), ("do_orm_execute", _on_execute),
                     ("before_commit", _raise_before_commit),
                     ("after_commit", _forget_mark), ("after_rollback", _forget_mark)):
        if not event.contains(OrmSession, name, fn):
            event.listen(OrmSession, name, fn)
