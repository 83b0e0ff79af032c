"""The public rotation view: which area hosts which week, as a real table."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template

from ..db_types import utcnow
from ..groups.models import Group, Session
from ..groups.queries import group_with_sessions
from ..i18n import local_time

bp = Blueprint("rotation", __name__, url_prefix="/<lang>")


@dataclass(frozen=True)
class RotationRow:
    """One meeting: its ISO week, the session, and whether it is over."""

    week: int
    session: Session
    past: bool


def rotation_rows(group: Group) -> list[RotationRow]:
    now = utcnow()
    return [RotationRow(week=local_time(s.starts_at).isocalendar().week, session=s,
                        past=s.ends_at <= now)
            for s in group.sessions]


@bp.get("/groups/<int:group_id>/rotation")
def rotation(group_id: int) -> str:
    group = group_with_sessions(group_id)
    if group is None:
        abort(404)
    rows = rotation_rows(group)
    counts = {a.id: sum(1 for r in rows if r.session.host_area_id == a.id
                        and not r.session.is_cancelled) for a in group.areas}
    return render_template("series/rotation.html", group=group, rows=rows, counts=counts)
