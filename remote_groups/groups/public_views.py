"""Public pages: what is on, and each group. No account, no personal data."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..db_types import utcnow
from .queries import all_groups, group_with_sessions, upcoming_sessions
from .schedule import build_agenda

bp = Blueprint("public", __name__, url_prefix="/<lang>")


@bp.get("/")
def index() -> str:
    now = utcnow()
    agenda = build_agenda(upcoming_sessions(now), now)
    return render_template("groups/index.html", agenda=agenda, groups=all_groups(), now=now)


@bp.get("/groups/<int:group_id>")
def group(group_id: int) -> str:
    group = group_with_sessions(group_id)
    if group is None:
        abort(404)
    now = utcnow()
    upcoming = [s for s in group.sessions if s.ends_at > now]
    return render_template("groups/group.html", group=group, sessions=upcoming, now=now)
