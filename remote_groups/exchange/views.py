"""The exchange board for staff: every member of staff reads it; coordinators post offers and
requests, answer other areas' posts and agree to answers to their own area's posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import dates
from ..db_types import MAX_ID, database_id, utcnow
from ..extensions import db
from ..groups.labels import instruction_language_name, theme_name
from ..groups.models import InstructionLanguage, Session, Theme
from ..i18n import current_language, local_time, localized
from ..people.access import staff_required
from ..people.models import Role, User
from ..series.forms import facilitator_label
from ..series.messages import MESSAGES as SERIES_MESSAGES
from ..series.messages import clash_text
from ..transactions import unit_of_work
from . import service
from .forms import (
    AgreeForm,
    AnswerOfferForm,
    AnswerRequestForm,
    ConfirmForm,
    OfferForm,
    RequestForm,
)
from .models import ExchangePost, ExchangeReply, PostStatus, ReplyStatus

bp = Blueprint("exchange", __name__, url_prefix="/<lang>/staff/exchange")

coordinator_only = staff_required(Role.COORDINATOR)

MESSAGES = {
    ("period_start", "in_the_past"): _l("Choose a day that is not in the past."),
    ("period_end", "end_before_start"): _l("The last day must not be before the first day."),
    ("session_count", "bad_count"): _l("Give a number from 1 to 52."),
    ("group", "not_your_group"): _l("Choose one of your area's groups in this language."),
    ("sessions", "no_sessions"): _l("Choose at least one session."),
    ("sessions", "started"): _l("Choose only sessions that have not started."),
    ("post", "not_open"): _l("This post is no longer open."),
    ("post", "own_area"): _l("Your own area cannot answer its own post."),
    ("post", "started"): _l("A session in this request has started or is cancelled."),
    ("end_time", "end_before_start"): _l("The end time must be after the start time."),
    ("count", "too_many"): _l("Give at most as many sessions as the offer has."),
    ("first_date", "in_the_past"): _l("Choose a time in the future."),
    ("first_date", "outside_period"): _l("All sessions must fall within the offer's period."),
    ("facilitators", "none"): _l("Choose at least one facilitator."),
    ("facilitators", "not_of_your_area"): _l("Choose facilitators of your own area only."),
    ("facilitators", "in_the_past"): _l("The first session has already started. The exchange "
                                        "cannot be made."),
    ("reply", "not_open"): _l("This answer has already been agreed, declined or withdrawn."),
}


def problem_text(problem: service.Problem) -> str:
    """Ours, or the series service's words for what it refused (it makes the sessions)."""
    key = (problem.field, problem.code)
    return str(MESSAGES.get(key) or SERIES_MESSAGES.get(key) or problem.code)


def _show(form: Any, error: service.SeriesError, fallback: str) -> list[str]:
    """Put each problem next to its field; return those with no field on this form."""
    loose = []
    for problem in error.problems:
        target = getattr(form, problem.field, None) if form is not None else None
        if target is None:
            target = getattr(form, fallback, None) if form is not None else None
        if target is None:
            loose.append(problem_text(problem))
        else:
            target.errors = [*target.errors, problem_text(problem)]
    return loose


def _clash_texts(error: service.ClashError) -> list[str]:
    lang = current_language()
    return [clash_text(c, lang) for c in error.clashes]


def _attempt(form: Any, field: str, change: Callable[[], Any]) -> tuple[bool, Any, list[str]]:
    try:
        return True, change(), []
    except service.SeriesError as error:  # ExchangeError, or the series service's own
        return False, None, _show(form, error, field)
    except service.ClashError as error:
        texts = _clash_texts(error)
        target = getattr(form, field, None) if form is not None else None
        if target is None:
            return False, None, texts
        target.errors = [*target.errors, *texts]
        return False, None, []


def _post(post_id: int) -> ExchangePost:
    post = db.session.get(ExchangePost, post_id) if 0 < post_id <= MAX_ID else None
    if post is None:
        abort(404)
    return post


def _reply(reply_id: int) -> ExchangeReply:
    reply = db.session.get(ExchangeReply, reply_id) if 0 < reply_id <= MAX_ID else None
    if reply is None:
        abort(404)
    return reply


def _speaks_for(area_id: int) -> bool:
    """A coordinator of this area, or an admin."""
    return current_user.role == Role.ADMIN or (
        current_user.role == Role.COORDINATOR and current_user.area_id == area_id)


def _users(ids: list[int] | None) -> list[User]:
    ids = [i for i in ids or [] if 0 < i <= MAX_ID]
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def _session_label(session: Session, lang: str) -> str:
    return dates.session_span(session.starts_at, session.ends_at, lang)


STATUS_NAMES = {
    ReplyStatus.PROPOSED: _l("waiting for agreement"),
    ReplyStatus.AGREED: _l("agreed"),
    ReplyStatus.DECLINED: _l("declined"),
    ReplyStatus.WITHDRAWN: _l("withdrawn"),
}


def labels(sessions: list[Session] | None = None) -> dict[str, Any]:
    """What every exchange page shows: names of themes, languages and states, times."""
    lang = current_language()
    return {
        "theme_label": lambda value: theme_name(Theme(value)),
        "language_label": lambda code: instruction_language_name(InstructionLanguage(code)),
        "status_label": lambda status: str(STATUS_NAMES[ReplyStatus(status)]),
        "span": lambda starts, ends: dates.session_span(starts, ends, lang),
        "sessions_times": [(s.starts_at, s.ends_at) for s in sessions or []],
        "loose_entries": lambda texts: [(None, t) for t in texts],
        "answered_by_me": lambda reply: reply.area_id == current_user.area_id and (
            current_user.role in (Role.COORDINATOR, Role.ADMIN)),
    }


# --- the board ------------------------------------------------------------------------------


@bp.get("/")
@staff_required()
def board() -> str:
    return render_template("exchange/board.html", open_posts=service.posts(PostStatus.OPEN),
                           done_posts=service.posts(PostStatus.DONE, limit=20),
                           may_post=current_user.role in (Role.COORDINATOR, Role.ADMIN),
                           **labels())


@bp.route("/offers/new", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def new_offer() -> str | Response:
    form = OfferForm()
    if form.validate_on_submit():
        texts = {"fi": form.description_fi.data or "", "sv": form.description_sv.data or ""}
        done, post, _loose = _attempt(form, "session_count", lambda: service.post_offer(
            current_user, form.language.data, Theme(form.theme.data), form.session_count.data,
            (form.period_start.data, form.period_end.data), form.when_text.data or "", texts,
            local_time(utcnow()).date()))
        if done:
            flash(_("Your offer is on the board."), "info")
            return redirect(url_for("exchange.detail", post_id=post.id))
    return render_template("exchange/offer_form.html", form=form)


@bp.route("/requests/new", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def new_request() -> str | Response:
    lang = current_language()
    groups = service.area_groups(current_user.area_id)
    group_id = database_id(request.values.get("group"))
    group = next((g for g in groups if g.id == group_id), None)
    if group is None:
        return render_template("exchange/request_group.html", groups=groups)
    now = utcnow()
    upcoming = service.upcoming_sessions(group, now)
    form = RequestForm()
    form.sessions.choices = [(s.id, _session_label(s, lang)) for s in upcoming]
    if request.method == "GET" and group.instruction_language != InstructionLanguage.BOTH:
        form.language.data = group.instruction_language.value
    if form.validate_on_submit():
        chosen = [s for s in upcoming if s.id in set(form.sessions.data or [])]
        texts = {"fi": form.description_fi.data or "", "sv": form.description_sv.data or ""}
        done, post, _loose = _attempt(form, "sessions", lambda: service.post_request(
            current_user, group, chosen, form.language.data, texts, now))
        if done:
            flash(_("Your request is on the board."), "info")
            return redirect(url_for("exchange.detail", post_id=post.id))
    return render_template("exchange/request_form.html", form=form, group=group)


@bp.get("/<int:post_id>")
@staff_required()
def detail(post_id: int) -> str:
    post = _post(post_id)
    mine = _speaks_for(post.area_id)
    may_answer = (post.status == PostStatus.OPEN and current_user.area_id != post.area_id
                  and current_user.role in (Role.COORDINATOR, Role.ADMIN))
    sessions = service.post_sessions(post)
    return render_template(
        "exchange/detail.html", post=post, sessions=sessions, mine=mine,
        may_answer=may_answer, confirm_form=ConfirmForm(), planned=service.planned_times,
        facilitators=_facilitator_names, ReplyStatus=ReplyStatus, PostStatus=PostStatus,
        **labels(sessions))


def _facilitator_names(ids: list[int]) -> str:
    return ", ".join(u.full_name for u in _users(ids))


@bp.route("/<int:post_id>/answer", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def answer(post_id: int) -> str | Response:
    post = _post(post_id)
    if post.area_id == current_user.area_id:
        abort(403)
    lang = current_language()
    now = utcnow()
    loose: list[str] = []
    if post.is_offer:
        form: Any = AnswerOfferForm()
        groups = service.area_groups(current_user.area_id, post.language)
        form.group.choices = [(0, _("Choose a group"))] + [
            (g.id, localized(g, "title", lang)[0]) for g in groups]
        if request.method == "GET":
            form.count.data = post.session_count
            form.first_date.data = max(post.period_start, local_time(now).date())
        if form.validate_on_submit():
            group = next((g for g in groups if g.id == form.group.data), None)
            done, _r, loose = _attempt(form, "first_date", lambda: service.answer_offer(
                current_user, post, group, form.first_date.data, form.start_time.data,
                form.end_time.data, form.count.data, form.interval_weeks.data,
                form.message.data or "", now))
            if done:
                flash(_("Your answer was sent. The other area agrees to it or declines it."),
                      "info")
                return redirect(url_for("exchange.detail", post_id=post.id))
    else:
        form = AnswerRequestForm()
        form.facilitators.choices = [(u.id, facilitator_label(u, lang))
                                     for u in service.area_facilitators(current_user.area_id)]
        if form.validate_on_submit():
            done, _r, loose = _attempt(form, "facilitators", lambda: service.answer_request(
                current_user, post, _users(form.facilitators.data), form.message.data or "",
                now))
            if done:
                flash(_("Your answer was sent. The other area agrees to it or declines it."),
                      "info")
                return redirect(url_for("exchange.detail", post_id=post.id))
    sessions = service.post_sessions(post)
    return render_template("exchange/answer.html", post=post, form=form, loose=loose,
                           sessions=sessions, **labels(sessions))


@bp.route("/answers/<int:reply_id>/agree", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def agree(reply_id: int) -> str | Response:
    reply = _reply(reply_id)
    post = reply.post
    if not _speaks_for(post.area_id):
        abort(403)
    lang = current_language()
    form = AgreeForm()
    if post.is_offer:
        form.facilitators.choices = [(u.id, facilitator_label(u, lang))
                                     for u in service.area_facilitators(post.area_id)]
    loose: list[str] = []
    if reply.status != ReplyStatus.PROPOSED or post.status != PostStatus.OPEN:
        loose.append(str(MESSAGES[("reply", "not_open")]))
    elif form.validate_on_submit():
        field = "facilitators" if post.is_offer else "none"
        done, _e, loose = _attempt(form if post.is_offer else None, field, lambda: service.agree(
            reply.id, current_user, [u.id for u in _users(form.facilitators.data)], utcnow()))
        if done:
            flash(_("Done. The exchange is made and the facilitators are invited."), "info")
            return redirect(url_for("exchange.detail", post_id=post.id))
    sessions = service.post_sessions(post)
    return render_template("exchange/agree.html", post=post, reply=reply, form=form,
                           loose=loose, planned=service.planned_times(reply),
                           sessions=sessions, facilitators=_facilitator_names,
                           **labels(sessions))


@bp.post("/answers/<int:reply_id>/decline")
@coordinator_only
@unit_of_work
def decline(reply_id: int) -> Response:
    reply = _reply(reply_id)
    if not _speaks_for(reply.post.area_id):
        abort(403)
    return _simple(reply.post_id, lambda: service.decline(reply, current_user),
                   _("You declined the answer."))


@bp.post("/answers/<int:reply_id>/withdraw")
@coordinator_only
@unit_of_work
def withdraw_answer(reply_id: int) -> Response:
    reply = _reply(reply_id)
    if not _speaks_for(reply.area_id):
        abort(403)
    return _simple(reply.post_id, lambda: service.withdraw_reply(reply, current_user),
                   _("You withdrew your answer."))


@bp.post("/<int:post_id>/withdraw")
@coordinator_only
@unit_of_work
def withdraw(post_id: int) -> Response:
    post = _post(post_id)
    if not _speaks_for(post.area_id):
        abort(403)
    return _simple(post.id, lambda: service.withdraw_post(post, current_user),
                   _("You withdrew the post."))


def _simple(post_id: int, change: Callable[[], Any], done_text: str) -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Please try again."), "error")
    else:
        done, _r, loose = _attempt(None, "", change)
        flash(done_text if done else " ".join(loose), "info" if done else "error")
    return redirect(url_for("exchange.detail", post_id=post_id))
