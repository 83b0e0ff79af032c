"""What a member of staff sees of sessions: their area's and their own, and whether they
may open a session's staff page or its video room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..groups.models import Session, session_facilitators
from .models import Role, User

PAST_DAYS = 60


@dataclass(frozen=True)
class MySessions:
    upcoming: list[Session]
    past: list[Session]


def _mine_first(sessions: list[Session], user_id: int, newest_first: bool) -> list[Session]:
    def key(s: Session) -> tuple[bool, float]:
        stamp = s.starts_at.timestamp()
        return (user_id not in {u.id for u in s.facilitators}, -stamp if newest_first else stamp)

    return sorted(sessions, key=key)


def my_sessions(user: User, now: datetime, upcoming_limit: int = 60,
                past_limit: int = 30) -> MySessions:
    """Sessions hosted by the user's area or facilitated by the user: the next ones soonest
    first, and recent past ones (60 days) newest first; in both, the user's own come first.

    Two bounded queries, so a busy area's past never crowds out what is coming, and the page
    stays quick however many sessions an area has run."""
    facilitated = select(session_facilitators.c.session_id).where(
        session_facilitators.c.user_id == user.id)
    base = (
        select(Session)
        .where(or_(Session.host_area_id == user.area_id, Session.id.in_(facilitated)))
        # What the list shows: group title, host area, facilitators. Not the group's
        # co-running areas (the session's own page loads those).
        .options(
            selectinload(Session.facilitators), selectinload(Session.host_area),
            selectinload(Session.group),
        )
    )
    upcoming = db.session.scalars(
        base.where(Session.ends_at > now).order_by(Session.starts_at).limit(upcoming_limit))
    past = db.session.scalars(
        base.where(Session.ends_at <= now, Session.ends_at > now - timedelta(days=PAST_DAYS))
        .order_by(Session.starts_at.desc()).limit(past_limit))
    return MySessions(_mine_first(list(upcoming), user.id, False),
                      _mine_first(list(past), user.id, True))


@dataclass(frozen=True)
class Listed:
    """A row of a staff list before its entry is rendered: which session, when, and
    whether the user facilitates it (the entry says so instead of the names)."""

    id: int
    starts_at: datetime
    mine: bool


def my_session_rows(user: User, now: datetime, upcoming_limit: int = 60,
                    past_limit: int = 30) -> tuple[list[Listed], list[Listed]]:
    """What `my_sessions` lists, in the same order, as three narrow columns: the page then
    loads in full only the sessions whose entries are not remembered yet."""
    facilitated = select(session_facilitators.c.session_id).where(
        session_facilitators.c.user_id == user.id)
    mine = Session.id.in_(facilitated)
    base = select(Session.id, Session.starts_at, mine).where(
        or_(Session.host_area_id == user.area_id, mine))
    upcoming = [Listed(*row) for row in db.session.execute(
        base.where(Session.ends_at > now).order_by(Session.starts_at).limit(upcoming_limit))]
    past = [Listed(*row) for row in db.session.execute(
        base.where(Session.ends_at <= now, Session.ends_at > now - timedelta(days=PAST_DAYS))
        .order_by(Session.starts_at.desc()).limit(past_limit))]
    upcoming.sort(key=lambda r: (not r.mine, r.starts_at.timestamp()))
    past.sort(key=lambda r: (not r.mine, -r.starts_at.timestamp()))
    return upcoming, past


def sessions_for_list(ids: list[int]) -> dict[int, Session]:
    """Sessions by id with what a staff list entry shows, in a fixed number of queries."""
    if not ids:
        return {}
    query = select(Session).where(Session.id.in_(ids)).options(
        selectinload(Session.facilitators), selectinload(Session.host_area),
        selectinload(Session.group))
    return {s.id: s for s in db.session.scalars(query)}


def may_view_session(user: User, session: Session) -> bool:
    """Staff of every co-running area see the session (they may swap with it); admins all."""
    if user.role == Role.ADMIN:
        return True
    areas = {ga.area_id for ga in session.group.group_areas} | {session.host_area_id}
    return user.area_id in areas or user in session.facilitators


def may_moderate(user: User, session: Session) -> bool:
    """May open the room from the staff page: the session's facilitators, staff of the host
    area, and admins. Only the session's own facilitators get a moderator token
    (`video.service.facilitator_join_url` decides); the others join as guests."""
    return (user.role == Role.ADMIN or user.area_id == session.host_area_id
            or user in session.facilitators)
