"""Reading groups and sessions for pages. Every query loads what the page shows in a fixed
number of round trips, however many groups and sessions there are."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Group, GroupArea, Session, SessionStatus


def _with_details(query: Select[tuple[Session]]) -> Select[tuple[Session]]:
    return query.options(
        selectinload(Session.group).selectinload(Group.group_areas).selectinload(GroupArea.area),
        selectinload(Session.host_area),
        selectinload(Session.facilitators),
    )


def upcoming_sessions(now: datetime, days: int = 60, limit: int = 200) -> list[Session]:
    """Scheduled sessions not yet ended, soonest first."""
    query = (
        select(Session)
        .where(Session.ends_at > now, Session.starts_at < now + timedelta(days=days))
        .where(Session.status == SessionStatus.SCHEDULED)
        .order_by(Session.starts_at)
        .limit(limit)
    )
    return list(db.session.scalars(_with_details(query)))


def group_with_sessions(group_id: int) -> Group | None:
    query = (
        select(Group)
        .where(Group.id == group_id)
        .options(
            selectinload(Group.group_areas).selectinload(GroupArea.area),
            selectinload(Group.sessions).selectinload(Session.host_area),
            selectinload(Group.sessions).selectinload(Session.facilitators),
        )
    )
    return db.session.scalar(query)


def all_groups() -> list[Group]:
    query = select(Group).options(selectinload(Group.group_areas).selectinload(GroupArea.area))
    return list(db.session.scalars(query.order_by(Group.id)))


def upcoming_sessions_for_area(area_id: int, now: datetime, user_id: int) -> list[Session]:
    """Sessions hosted by the area; the user's own first, then by time."""
    query = (
        select(Session)
        .where(Session.host_area_id == area_id, Session.ends_at > now)
        .order_by(Session.starts_at)
        .limit(200)
    )
    sessions = list(db.session.scalars(_with_details(query)))
    return sorted(sessions, key=lambda s: (user_id not in facilitator_ids(s), s.starts_at))


def facilitator_ids(session: Session) -> set[int]:
    return {u.id for u in session.facilitators}

