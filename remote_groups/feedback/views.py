"""Feedback pages: the public surveys (open-group session, course end), sending the course-end
survey, and the coordinators' item editor."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import audit
from ..db_types import utcnow
from ..extensions import csrf, db, limiter
from ..groups.models import Group, GroupArea, GroupKind, Session
from ..people.access import can_manage_group, staff_required
from ..people.models import Role
from ..transactions import unit_of_work
from .forms import ItemForm
from .models import FeedbackItem, SurveyKind
from .rules import (
    FACILITATOR_ITEMS,
    facilitator_feedback_open,
    given_sessions,
    read_survey,
    remember_given,
    session_feedback_open,
)
from .service import (
    SurveyAlreadySent,
    answer_with_link,
    course_facilitator_ids,
    course_session_times,
    ensure_default_items,
    facilitator_has_answered,
    open_link,
    send_course_survey,
    store_answer,
    store_facilitator_answer,
    survey_items,
    survey_recipients,
    survey_states,
)

bp = Blueprint("feedback", __name__, url_prefix="/<lang>")
staff_bp = Blueprint("feedback_staff", __name__, url_prefix="/<lang>/staff/feedback")

GIVEN_COOKIE = "rg_feedback_given"
GIVEN_COOKIE_DAYS = 60
# Per address and hour; counted in the limiter's memory/Redis store, never in the database.
ANSWER_LIMIT = "10 per hour"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt="feedback-given")


def _sessions_given() -> set[int]:
    raw = request.cookies.get(GIVEN_COOKIE)
    if not raw:
        return set()
    try:
        return given_sessions(_signer().loads(raw))
    except BadSignature:
        return set()


# The public forms carry no CSRF token: a token needs a session cookie, and public pages set
# none (privacy page). A forged cross-site answer is no worse than a typed one; the rate limit
# and, for courses, the single-use link are the protection.
@bp.route("/sessions/<int:session_id>/feedback", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
@unit_of_work
def session_feedback(session_id: int) -> str | Response | tuple[str, int]:
    """A short anonymous survey after an open-group session. After an answer, a signed cookie
    remembers which sessions this browser answered (the only cookie a visitor gets, disclosed
    on the privacy page); the answer itself stores no trace of the visitor."""
    session = db.session.get(Session, session_id)
    if session is None or session.group.kind != GroupKind.OPEN:
        abort(404)
    now = utcnow()
    if not session_feedback_open(session.starts_at, session.ends_at, session.is_cancelled, now):
        return render_template("feedback/closed.html", session=session), 404
    given = _sessions_given()
    if session.id in given:
        return render_template("feedback/already.html", session=session)
    items = survey_items(SurveyKind.SESSION)  # with the default items on first use
    filled = None
    if request.method == "POST":
        filled = read_survey(request.form, [i.id for i in items])
        if filled.ok:
            store_answer(SurveyKind.SESSION, session.group_id, session.id, filled, now)
            response = redirect(url_for("feedback.thanks"))
            response.set_cookie(
                GIVEN_COOKIE, _signer().dumps(remember_given(given, session.id)),
                max_age=GIVEN_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                secure=request.is_secure, path="/",
            )
            return response
    status = 400 if filled is not None else 200
    return render_template("feedback/form.html", items=items, filled=filled,
                           group=session.group, session=session,
                           action=url_for("feedback.session_feedback", session_id=session.id)
                           ), status


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
@unit_of_work
def course_feedback(token: str) -> str | Response | tuple[str, int]:
    """The course-end survey behind a personal single-use link."""
    now = utcnow()
    link = open_link(token, now)
    if link is None:
        return render_template("feedback/link_used.html"), 404
    items = survey_items(SurveyKind.COURSE)
    filled = None
    if request.method == "POST":
        filled = read_survey(request.form, [i.id for i in items])
        if filled.ok:
            if not answer_with_link(token, filled, now):
                return render_template("feedback/link_used.html"), 404
            return redirect(url_for("feedback.thanks"))
    status = 400 if filled is not None else 200
    return render_template("feedback/form.html", items=items, filled=filled, group=link.group,
                           session=None, closes_on=link.closes_on,
                           action=url_for("feedback.course_feedback", token=token)), status


@bp.get("/feedback/thanks")
def thanks() -> str:
    return render_template("feedback/thanks.html")


@staff_bp.get("/items")
@staff_required(Role.COORDINATOR)
@unit_of_work
def items() -> str:
    ensure_default_items()
    rows = db.session.scalars(
        select(FeedbackItem).order_by(FeedbackItem.position, FeedbackItem.id)
    ).all()
    return render_template("feedback/items.html", items=rows)


@staff_bp.route("/items/new", methods=["GET", "POST"])
@staff_bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.COORDINATOR)
@unit_of_work
def edit_item(item_id: int | None = None) -> str | Response:
    item = db.session.get(FeedbackItem, item_id) if item_id is not None else FeedbackItem()
    if item is None:
        abort(404)
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        form.populate_obj(item)
        item.position = form.position.data or 0
        item.text_en = item.text_en or ""
        db.session.add(item)
        flash(_("The item has been saved."), "info")
        return redirect(url_for("feedback_staff.items"))
    return render_template("feedback/edit_item.html", form=form, item=item)


SCORE_LABELS = {
    1: _l("strongly disagree"),
    2: _l("disagree"),
    3: _l("neither agree nor disagree"),
    4: _l("agree"),
    5: _l("strongly agree"),
}


def score_label(score: int) -> str:
    """Words for each number, so the scale is never only digits (or colours)."""
    return str(SCORE_LABELS[score])


def _may_survey(group: Group) -> bool:
    """Staff of a co-running area, and admins (the "area" rule of the staff access table)."""
    return can_manage_group(current_user, {a.id for a in group.areas})


@staff_bp.get("/courses")
@staff_required()
def course_surveys() -> str:
    """Closed courses and whether their end-of-course survey has been sent."""
    query = select(Group).where(Group.kind == GroupKind.CLOSED).order_by(Group.title_fi, Group.id)
    if current_user.role != Role.ADMIN:
        query = query.where(Group.id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == current_user.area_id)))
    courses = list(db.session.scalars(query))
    states = survey_states([c.id for c in courses])
    return render_template("feedback/courses.html", courses=courses, states=states)


@staff_bp.route("/courses/<int:group_id>", methods=["GET", "POST"])
@staff_required()
@unit_of_work
def send_survey(group_id: int) -> str | Response:
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    if not _may_survey(group):
        abort(403)
    if not group.is_closed:
        # Not an error: open groups are asked after each session instead; the page says so.
        return render_template("feedback/send_survey.html", group=group, open_group=True)
    state = survey_states([group.id]).get(group.id)
    recipients = survey_recipients(group)
    now = utcnow()
    if request.method == "POST":
        # Sent at most once: a second press (or a stale tab) just shows the state again.
        if state is None and recipients:
            try:
                count = send_course_survey(group, recipients, now)
            except SurveyAlreadySent:
                pass  # refused before writing anything; the page shows the state
            else:
                flash(_("The survey link was sent to %(count)s participants.", count=count),
                      "info")
        return redirect(url_for("feedback_staff.send_survey", group_id=group.id))
    upcoming = any(s.ends_at > now and not s.is_cancelled for s in group.sessions)
    return render_template("feedback/send_survey.html", group=group, state=state,
                           recipients=recipients, upcoming=upcoming)


# --- facilitators' feedback on a course ---------------------------------------------------

FACILITATOR_STATEMENTS = {
    1: _l("The course was well organised."),
    2: _l("Working with the other facilitators went well."),
    3: _l("The participants took an active part."),
    4: _l("The video sessions worked well technically."),
}


def facilitator_statement(number: int) -> str:
    return str(FACILITATOR_STATEMENTS[number])


@staff_bp.route("/courses/<int:group_id>/facilitators", methods=["GET", "POST"])
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def facilitator_feedback(group_id: int) -> str | Response | tuple[str, int]:
    """Each facilitator of a course answers their own short survey once, after the course's
    last session has begun. The answer is stored apart from the note that they answered."""
    group = db.session.get(Group, group_id)
    if group is None or not group.is_closed:
        abort(404)
    if current_user.id not in course_facilitator_ids(group.id):
        abort(403)
    answered = facilitator_has_answered(group.id, current_user.id)
    is_open = facilitator_feedback_open(course_session_times(group.id), utcnow())
    filled = None
    if request.method == "POST" and is_open and not answered:
        filled = read_survey(request.form, list(FACILITATOR_ITEMS))
        if filled.ok:
            if store_facilitator_answer(group.id, current_user.id, filled, utcnow()):
                audit.record("feedback.facilitator_answered", actor=current_user,
                             subject="group", subject_id=group.id)
                flash(_("Thank you. Your feedback was saved."), "success")
            return redirect(url_for("feedback_staff.facilitator_feedback", group_id=group.id),
                            code=303)
    status = 400 if filled is not None else 200
    return render_template("feedback/facilitator_form.html", group=group, answered=answered,
                           is_open=is_open, filled=filled, items=FACILITATOR_ITEMS), status


def facilitator_links(group: Group) -> list[tuple[str, str]]:
    """The link from a course's staff pages, for the course's own facilitators."""
    if not current_user.is_authenticated or current_user.id not in course_facilitator_ids(
            group.id):
        return []
    return [(_("Facilitators' feedback"),
             url_for("feedback_staff.facilitator_feedback", group_id=group.id))]
