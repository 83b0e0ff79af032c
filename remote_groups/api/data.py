"""What the API reads and how it writes it: queries for a page of groups or sessions, and
the JSON shape of areas, groups and sessions.

Only what the public pages already show goes out: no room names, tokens, facilitators or
join counts. Texts come in every language as separate fields (null where a text is
missing), so a site picks its own language instead of getting our fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import selectinload

from ..calendar.invites import public_join_url
from ..extensions import db
from ..groups.filters import SessionFilter
from ..groups.models import Group, GroupArea, GroupKind, InstructionLanguage, Session, Theme
from ..groups.queries import _group_matches
from ..i18n import HELSINKI, LANGUAGES
from ..links import external_url
from ..people.models import Area
from .params import SessionCursor, day_end, day_start

KINDS = {"open": GroupKind.OPEN, "course": GroupKind.CLOSED}


@dataclass(frozen=True)
class Filters:
    """The public pages' filters plus the date range and, for sessions, one group."""

    area_id: int | None = None
    theme: str | None = None
    language: str | None = None
    kind: str | None = None
    group_id: int | None = None
    from_day: Any = None
    to_day: Any = None

    @classmethod
    def of(cls, values: dict[str, Any]) -> Filters:
        return cls(area_id=values.get("area"), theme=values.get("theme"),
                   language=values.get("language"), kind=values.get("kind"),
                   group_id=values.get("group"), from_day=values.get("from"),
                   to_day=values.get("to"))

    def group_conditions(self) -> list[ColumnElement[bool]]:
        """The public pages' own conditions (groups.queries), plus the kind of group."""
        chosen = SessionFilter(
            theme=Theme(self.theme) if self.theme else None,
            language=InstructionLanguage(self.language) if self.language else None,
            area_id=self.area_id,
        )
        conditions = _group_matches(chosen) if chosen.active else []
        if self.kind is not None:
            conditions.append(Group.kind == KINDS[self.kind])
        return conditions

    def session_time_conditions(self, now: datetime) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.from_day is not None:
            conditions.append(Session.starts_at >= day_start(self.from_day))
        else:
            conditions.append(Session.ends_at > now)
        if self.to_day is not None:
            conditions.append(Session.starts_at < day_end(self.to_day))
        return conditions


# --- queries -------------------------------------------------------------------------------


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.id)))


def groups_page(filters: Filters, now: datetime, limit: int,
                after_id: int | None) -> tuple[list[Group], bool]:
    """Groups by id after `after_id`, and whether there are more. With a date range, only
    groups with a session starting in it."""
    query = select(Group).options(selectinload(Group.group_areas).selectinload(GroupArea.area))
    query = query.where(*filters.group_conditions())
    if filters.from_day is not None or filters.to_day is not None:
        in_range = (select(Session.id).where(Session.group_id == Group.id)
                    .where(*filters.session_time_conditions(now)))
        query = query.where(exists(in_range))
    if after_id is not None:
        query = query.where(Group.id > after_id)
    found = list(db.session.scalars(query.order_by(Group.id).limit(limit + 1)))
    return found[:limit], len(found) > limit


def group_by_id(group_id: int) -> Group | None:
    query = (select(Group).where(Group.id == group_id)
             .options(selectinload(Group.group_areas).selectinload(GroupArea.area)))
    return db.session.scalar(query)


def sessions_page(filters: Filters, now: datetime, limit: int, after: SessionCursor | None,
                  *, with_group: bool = False) -> tuple[list[Session], bool]:
    """Sessions in start order after the cursor (scheduled and cancelled: a site must be able
    to say a session it listed was cancelled), and whether there are more."""
    query = select(Session).options(selectinload(Session.host_area))
    if with_group:
        query = query.options(selectinload(Session.group))
    conditions = filters.group_conditions()
    if conditions:
        query = query.join(Session.group).where(*conditions)
    if filters.group_id is not None:
        query = query.where(Session.group_id == filters.group_id)
    query = query.where(*filters.session_time_conditions(now))
    if after is not None:
        query = query.where(or_(
            Session.starts_at > after.starts_at,
            and_(Session.starts_at == after.starts_at, Session.id > after.session_id),
        ))
    query = query.order_by(Session.starts_at, Session.id).limit(limit + 1)
    found = list(db.session.scalars(query))
    return found[:limit], len(found) > limit


def session_by_id(session_id: int) -> Session | None:
    query = (select(Session).where(Session.id == session_id)
             .options(selectinload(Session.host_area)))
    return db.session.scalar(query)


def seats_left(groups: Sequence[Group]) -> dict[int, int]:
    """Free places on each course among `groups`, in one query: capacity less accepted."""
    from ..courses.service import status_counts

    courses = [g for g in groups if g.is_closed]
    counts = status_counts([g.id for g in courses])
    return {g.id: max(0, (g.capacity or 0) - counts[g.id].get("accepted", 0)) for g in courses}


# --- JSON ----------------------------------------------------------------------------------


def absolute(endpoint: str, **values: Any) -> str:
    """An address on the public site, as mails and calendars give it (links.py)."""
    return external_url(endpoint, **values)


def utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def helsinki_text(value: datetime) -> str:
    return value.astimezone(HELSINKI).isoformat(timespec="seconds")


def texts(obj: Any, field: str, languages: Sequence[str] = LANGUAGES) -> dict[str, str | None]:
    return {code: (getattr(obj, f"{field}_{code}", "") or None) for code in languages}


def area_ref(area: Area) -> dict[str, Any]:
    return {"id": area.id, "code": area.code, "name": texts(area, "name", ("fi", "sv"))}


def area_json(area: Area) -> dict[str, Any]:
    return {
        **area_ref(area),
        "languages": list(area.language_codes),
        "links": {
            "groups": absolute("api.groups", area=area.id),
            "sessions": absolute("api.sessions", area=area.id),
            "calendar": {code: absolute("open_data.area_feed", lang=code, area_id=area.id)
                         for code in LANGUAGES},
            "embed": {code: absolute("open_data.embed", lang=code, area_id=area.id)
                      for code in ("fi", "sv")},
        },
    }


def group_json(group: Group, seats: dict[int, int], now: datetime) -> dict[str, Any]:
    course = None
    if group.is_closed:
        course = {
            "capacity": group.capacity,
            "seats_left": seats.get(group.id, 0),
            "applications_open_at": utc_text(group.applications_open_at),
            "applications_close_at": utc_text(group.applications_close_at),
            "applications_open": group.applications_open(now),
        }
    return {
        "id": group.id,
        "kind": "course" if group.is_closed else "open",
        "theme": group.theme.value,
        "language": group.instruction_language.value,
        "title": texts(group, "title"),
        "summary": texts(group, "summary"),
        "description": texts(group, "description"),
        "areas": [area_ref(a) for a in group.areas],
        "course": course,
        "links": {
            "page": {code: absolute("public.group", lang=code, group_id=group.id)
                     for code in LANGUAGES},
            "calendar": {code: absolute("calendar.group_feed", lang=code, group_id=group.id)
                         for code in LANGUAGES},
            "sessions": absolute("api.sessions", group=group.id),
        },
    }


def session_json(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "group_id": session.group_id,
        "starts_at": utc_text(session.starts_at),
        "ends_at": utc_text(session.ends_at),
        "starts_at_helsinki": helsinki_text(session.starts_at),
        "ends_at_helsinki": helsinki_text(session.ends_at),
        "host_area": area_ref(session.host_area),
        "topic": texts(session, "topic"),
        "status": session.status.value,
        "links": {
            "join": {code: public_join_url(session, code) for code in LANGUAGES},
            "group": absolute("api.group", group_id=session.group_id),
        },
    }
