"""Attendance pages: facilitators mark a course session, participants give notice of absence
from their personal link, and each facilitator sees whom to call."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..courses.models import Application
from ..courses.service import application_for_any_token
from ..db_types import utcnow
from ..extensions import csrf, db, limiter
from ..groups.models import Session, session_facilitators
from ..people.access import staff_required
from ..people.my_sessions import may_view_session
from ..rules.capacity import Status
from ..transactions import unit_of_work
from . import service
from .models import AttendanceMark, AttendanceStatus
from .rules import (
    NOTE_MAX,
    AbsenceRow,
    default_status,
    needs_follow_up,
    notice_possible,
    read_marks,
)

bp = Blueprint("attendance", __name__, url_prefix="/<lang>/staff")
public_bp = Blueprint("attendance_public", __name__, url_prefix="/<lang>")


def _participants(group_id: int) -> list[Application]:
    return list(db.session.scalars(
        select(Application).where(
            Application.group_id == group_id, Application.status == Status.ACCEPTED,
            Application.erased_at.is_(None),
        ).order_by(Application.name, Application.id)
    ))


def _marks(session_id: int) -> dict[int, AttendanceMark]:
    return {m.application_id: m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session_id))}


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@staff_required()
@unit_of_work
def session_attendance(session_id: int) -> str | Response | tuple[str, int]:
    """Mark each accepted participant present, absent with notice or absent without notice."""
    session = db.session.get(Session, session_id)
    if session is None:
        abort(404)
    if not may_view_session(current_user, session):
        abort(403)
    if not session.group.is_closed:
        return render_template("attendance/session.html", session=session, open_group=True)
    if session.starts_at > utcnow():
        # Nobody can have been absent yet: a mark now would put people on the follow-up
        # list and into the reports as absent from a session still to come.
        return render_template("attendance/session.html", session=session,
                               not_started=True), (409 if request.method == "POST" else 200)
    people = _participants(session.group_id)
    marks = _marks(session.id)
    if request.method == "POST":
        service.mark_session(session, read_marks(request.form, [p.id for p in people]),
                             current_user, utcnow())
        flash(_("Attendance saved."), "info")
        return redirect(url_for("attendance.session_attendance", session_id=session.id))
    chosen = {p.id: (marks[p.id].status if p.id in marks and marks[p.id].marked_at
                     else default_status(p.id in marks and marks[p.id].notice_at is not None))
              for p in people}
    return render_template("attendance/session.html", session=session, people=people,
                           marks=marks, chosen=chosen, statuses=list(AttendanceStatus))


@bp.get("/follow-up")
@staff_required()
def follow_up() -> str:
    """People absent without notice from my sessions whom nobody has contacted yet."""
    rows = db.session.execute(
        select(AttendanceMark, Application, Session)
        .join(Application, Application.id == AttendanceMark.application_id)
        .join(Session, Session.id == AttendanceMark.session_id)
        .join(session_facilitators, session_facilitators.c.session_id == Session.id)
        .where(session_facilitators.c.user_id == current_user.id,
               AttendanceMark.status == AttendanceStatus.ABSENT_WITHOUT_NOTICE,
               AttendanceMark.contacted_at.is_(None), Application.erased_at.is_(None))
        .order_by(Session.starts_at.desc())
    ).all()
    wanted = {(r.session_id, r.application_id) for r in needs_follow_up(
        [AbsenceRow(m.session_id, m.application_id, m.status, m.contacted_at is not None,
                    frozenset({current_user.id})) for m, _a, _s in rows], current_user.id)}
    items = [(m, a, s) for m, a, s in rows if (m.session_id, m.application_id) in wanted]
    return render_template("attendance/follow_up.html", items=items, note_max=NOTE_MAX)


@bp.post("/follow-up/<int:session_id>/<int:application_id>")
@staff_required()
@unit_of_work
def contacted(session_id: int, application_id: int) -> Response:
    mark = db.session.get(AttendanceMark, (session_id, application_id))
    session = db.session.get(Session, session_id)
    if mark is not None and session is not None:
        if not may_view_session(current_user, session):
            abort(403)
        service.record_contact(mark, current_user, request.form.get("note") or "", utcnow())
        flash(_("Marked as contacted."), "info")
    return redirect(url_for("attendance.follow_up"))


def _private(response: ResponseReturnValue) -> Response:
    """Behind a personal link: never cached, never sent on as a referrer."""
    resp = current_app.make_response(response)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


# Personal links are the capability; public pages set no cookies, so no CSRF token.
@public_bp.route("/my/<token>/absence", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit("30 per hour", methods=["POST"])
@unit_of_work
def give_notice(token: str) -> Response:
    """A participant says they cannot come to a coming session."""
    application = application_for_any_token(token)
    if application is None or application.is_erased or application.status != Status.ACCEPTED:
        abort(404)
    now = utcnow()
    sessions = [s for s in application.group.sessions
                if notice_possible(s.starts_at, s.is_cancelled, now)]
    if request.method == "POST":
        chosen = request.form.get("session_id", "")
        session = next((s for s in sessions if str(s.id) == chosen), None)
        if session is not None:
            service.give_notice(session, application, now)
            flash(_("Thank you for letting us know. The facilitators will see it."), "success")
        return _private(redirect(url_for("attendance_public.give_notice", token=token),
                                 code=303))
    notified = {m.session_id for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.application_id == application.id,
                                     AttendanceMark.notice_at.is_not(None)))}
    return _private(render_template("attendance/notice.html", application=application,
                                    sessions=sessions, notified=notified, token=token))


STATUS_NAMES = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT_WITH_NOTICE: _l("Absent with notice"),
    AttendanceStatus.ABSENT_WITHOUT_NOTICE: _l("Absent without notice"),
}


def attendance_status_name(status: AttendanceStatus) -> str:
    return str(STATUS_NAMES[status])
