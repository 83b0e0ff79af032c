"""Reading groups and sessions for pages. Every query loads what the page shows in a fixed
number of round trips, however many groups and sessions there are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..people.models import Area
from .filters import SessionFilter
from .models import Group, GroupArea, Session, SessionStatus

# The columns a query selects, kept through the functions that only add conditions.
_Columns = TypeVarTuple("_Columns")


def _with_details(query: Select[tuple[Session]]) -> Select[tuple[Session]]:
    return query.options(
        selectinload(Session.group).selectinload(Group.group_areas).selectinload(GroupArea.area),
        selectinload(Session.host_area),
        selectinload(Session.facilitators),
    )


def _group_matches(chosen: SessionFilter) -> list[ColumnElement[bool]]:
    """Conditions on `Group` for the visitor's filters, in SQL so the count of queries stays
    the same however many groups there are."""
    conditions: list[ColumnElement[bool]] = []
    if chosen.theme is not None:
        conditions.append(Group.theme == chosen.theme)
    if chosen.language is not None:
        conditions.append(Group.instruction_language.in_(chosen.languages_matching()))
    if chosen.area_id is not None:
        co_runs = select(GroupArea.group_id).where(GroupArea.area_id == chosen.area_id)
        conditions.append(Group.id.in_(co_runs))
    return conditions


def _upcoming(query: Select[*_Columns], now: datetime, days: int, limit: int,
              chosen: SessionFilter | None) -> Select[*_Columns]:
    query = (
        query
        .where(Session.ends_at > now, Session.starts_at < now + timedelta(days=days))
        .where(Session.status == SessionStatus.SCHEDULED)
        .order_by(Session.starts_at, Session.id)
        .limit(limit)
    )
    # Archived groups have left the public pages; their sessions with them.
    query = query.join(Session.group).where(Group.archived_at.is_(None))
    if chosen is not None and chosen.active:
        query = query.where(*_group_matches(chosen))
    return query


@dataclass(frozen=True)
class SessionTimes:
    """Just when a session is: enough to sort it into the front page's sections before
    deciding which sessions are worth loading in full."""

    id: int
    starts_at: datetime
    ends_at: datetime


def upcoming_session_times(
    now: datetime, days: int = 60, limit: int = 200, chosen: SessionFilter | None = None
) -> list[SessionTimes]:
    """Scheduled sessions not yet ended, soonest first, of groups matching `chosen`, as plain
    times: three columns instead of every column of the session, its group, areas and
    facilitators (`sessions_with_details` loads the ones a page shows)."""
    query = _upcoming(select(Session.id, Session.starts_at, Session.ends_at), now, days,
                      limit, chosen)
    return [SessionTimes(*row) for row in db.session.execute(query)]


def sessions_with_details(ids: Iterable[int]) -> dict[int, Session]:
    """Sessions by id with what a session card shows (group, host area, facilitators), in a
    fixed number of queries. Not the group's co-running areas: a card does not show them."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = select(Session).where(Session.id.in_(wanted)).options(
        selectinload(Session.group),
        selectinload(Session.host_area),
        selectinload(Session.facilitators),
    )
    return {session.id: session for session in db.session.scalars(query)}


def session_for_join(session_id: int) -> Session | None:
    """One session with what the join page shows (group and its areas for the contact
    line, host area, facilitators) in one query: the page everyone opens at the top of the
    hour pays one round trip to the database, not six (a few rows: 1-4 areas times the
    facilitators)."""
    query = (
        select(Session)
        .where(Session.id == session_id)
        .options(
            joinedload(Session.group).joinedload(Group.group_areas)
            .joinedload(GroupArea.area),
            joinedload(Session.host_area),
            joinedload(Session.facilitators),
        )
    )
    return db.session.execute(query).unique().scalar_one_or_none()


def count_join(session_id: int) -> None:
    """Add one to the session's anonymous join count in the database itself, so two people
    pressing the button at the same moment both count. The caller commits."""
    db.session.execute(
        update(Session)
        .where(Session.id == session_id)
        .values(join_count=Session.join_count + 1)
        .execution_options(synchronize_session=False)
    )


def areas_for_filter() -> list[Area]:
    """Areas that co-run at least one group: the choices of the area filter."""
    co_running = select(GroupArea.area_id)
    return list(db.session.scalars(select(Area).where(Area.id.in_(co_running))))


def group_with_sessions(group_id: int, ending_after: datetime | None = None) -> Group | None:
    """The group with its areas (one joined query) and its sessions with their host areas
    and facilitators (two more). With `ending_after`, `group.sessions` holds only the
    sessions that end after it (what a page or feed shows), not the group's whole past."""
    sessions = Group.sessions if ending_after is None else Group.sessions.and_(
        Session.ends_at > ending_after)
    query = (
        select(Group)
        .where(Group.id == group_id)
        .options(
            joinedload(Group.group_areas).joinedload(GroupArea.area),
            selectinload(sessions).joinedload(Session.host_area),
            selectinload(sessions).selectinload(Session.facilitators),
        )
    )
    return db.session.execute(query).unique().scalar_one_or_none()


def all_groups(chosen: SessionFilter | None = None, *, limit: int | None = None,
               offset: int = 0) -> list[Group]:
    """Groups matching the filter, oldest first; pages ask for a slice (`limit`, `offset`)
    so a national list of hundreds of groups is never rendered at once."""
    query = select(Group).where(Group.archived_at.is_(None)).options(
        joinedload(Group.group_areas).joinedload(GroupArea.area))
    if chosen is not None and chosen.active:
        query = query.where(*_group_matches(chosen))
    query = query.order_by(Group.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.execute(query).unique().scalars())


def facilitator_ids(session: Session) -> set[int]:
    return {u.id for u in session.facilitators}

