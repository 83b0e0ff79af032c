"""Swap pages for staff: incoming and outgoing requests, proposing an exchange, asking for
cover, answering and withdrawing. Every view checks the user's area against the request."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Group, GroupArea, Session, SessionStatus
from ..i18n import current_language, local_time, localized
from ..people.access import staff_required
from ..people.models import Area, Role
from ..transactions import unit_of_work
from . import service
from .forms import AnswerForm, CoverForm, ExchangeForm, WithdrawForm
from .models import SwapRequest

bp = Blueprint("swaps", __name__, url_prefix="/<lang>/staff/swaps")

PROBLEM_TEXTS = {
    "started": _l("A session has already started."),
    "cancelled": _l("A session has been cancelled."),
    "host_changed": _l("The host or the facilitators of a session have changed since the "
                       "request was made."),
    "rescheduled": _l("The time of a session has changed since the request was made."),
    "overlap": _l("Someone would have two sessions at the same time."),
    "same_area": _l("Both sessions are hosted by the same area."),
    "expired": _l("The request has expired: the earlier session has started."),
    "not_co_running": _l("That area does not run this group."),
    "not_addressed": _l("This request is not addressed to your area."),
    "same_session": _l("Choose another session than your own."),
    "no_facilitator": _l("Someone must take the session as facilitator."),
    service.NOT_OPEN: _l("The request has already been answered, withdrawn or has expired."),
    service.NOT_ALLOWED: _l("You cannot do that with this request."),
    service.BUSY: _l("A facilitator has an intake call at that time."),
}

CANDIDATE_DAYS = 180


def problem_texts(codes: tuple[str, ...]) -> list[str]:
    return [str(PROBLEM_TEXTS.get(code, code)) for code in codes]


def _refuse(codes: tuple[str, ...], lead: str) -> None:
    flash(lead + " " + " ".join(problem_texts(codes)), "error")


def _session(session_id: int) -> Session:
    found = db.session.scalar(select(Session).where(Session.id == session_id).options(
        selectinload(Session.facilitators), selectinload(Session.host_area),
        selectinload(Session.group).selectinload(Group.group_areas).selectinload(GroupArea.area),
    ))
    if found is None:
        abort(404)
    return found


def _hosted_by_my_area(session: Session) -> Session:
    if current_user.role != Role.ADMIN and session.host_area_id != current_user.area_id:
        abort(403)
    return session


def _request(request_id: int) -> SwapRequest:
    found = db.session.scalar(service.requests_query().where(SwapRequest.id == request_id))
    if found is None:
        abort(404)
    return found


def _label(session: Session) -> str:
    lang = current_language()
    start = local_time(session.starts_at)
    title = localized(session.group, "title")[0]
    return f"{start:%d.%m.%Y %H:%M} – {title} ({session.host_area.name(lang)})"


def exchange_candidates(mine: Session) -> list[Session]:
    """Upcoming sessions another co-running area hosts, in this series or another, that the
    proposer's area could host in return."""
    now = utcnow()
    co_running = {ga.area_id for ga in mine.group.group_areas} - {mine.host_area_id}
    query = (
        select(Session)
        .where(Session.host_area_id.in_(co_running), Session.starts_at > now,
               Session.starts_at < now + timedelta(days=CANDIDATE_DAYS),
               Session.status == SessionStatus.SCHEDULED, Session.id != mine.id)
        .options(selectinload(Session.host_area), selectinload(Session.facilitators),
                 selectinload(Session.group).selectinload(Group.group_areas))
        .order_by(Session.starts_at).limit(300)
    )
    return [s for s in db.session.scalars(query)
            if mine.host_area_id in {ga.area_id for ga in s.group.group_areas}]


@bp.get("/")
@staff_required()
def index() -> str:
    now = utcnow()
    return render_template(
        "swaps/index.html", incoming=service.incoming_requests(current_user, now),
        outgoing=service.outgoing_requests(current_user), now=now,
    )


@bp.route("/exchange/<int:session_id>", methods=["GET", "POST"])
@staff_required()
@unit_of_work
def propose_exchange(session_id: int) -> str | Response:
    mine = _hosted_by_my_area(_session(session_id))
    candidates = exchange_candidates(mine)
    form = ExchangeForm()
    form.target.choices = [(0, _("Choose a session"))] + [(s.id, _label(s)) for s in candidates]
    if form.validate_on_submit():
        theirs = next((s for s in candidates if s.id == form.target.data), None)
        if theirs is None:
            form.target.errors.append(_("Choose the session you would take in exchange."))
        else:
            outcome = service.propose_exchange(current_user, mine, theirs,
                                               form.message.data or "")
            if outcome.ok:
                flash(_("Your exchange proposal was sent."), "info")
                return redirect(url_for("swaps.index"))
            form.target.errors.extend(problem_texts(outcome.problems))
    return render_template("swaps/exchange.html", form=form, mine=mine,
                           has_candidates=bool(candidates))


@bp.route("/cover/<int:session_id>", methods=["GET", "POST"])
@staff_required()
@unit_of_work
def ask_cover(session_id: int) -> str | Response:
    mine = _hosted_by_my_area(_session(session_id))
    lang = current_language()
    others = [a for a in mine.group.areas if a.id != mine.host_area_id]
    form = CoverForm()
    form.area.choices = [(0, _("All areas that run this group"))] + [
        (a.id, a.name(lang)) for a in others]
    if form.validate_on_submit():
        target = form.area.data or None
        outcome = service.ask_cover(current_user, mine, target, form.message.data or "")
        if outcome.ok:
            flash(_("Your request for cover was sent."), "info")
            return redirect(url_for("swaps.index"))
        form.area.errors.extend(problem_texts(outcome.problems))
    return render_template("swaps/cover.html", form=form, mine=mine, has_others=bool(others))


def _may_see(swap: SwapRequest) -> bool:
    return current_user.role == Role.ADMIN or service.involves_area(swap, current_user.area_id)


@bp.get("/<int:request_id>")
@staff_required()
def detail(request_id: int) -> str:
    swap = _request(request_id)
    if not _may_see(swap):
        abort(403)
    now = utcnow()
    answerable = swap.is_open(now) and (
        current_user.role == Role.ADMIN or service.is_addressed_to(swap, current_user.area_id))
    withdrawable = swap.is_open(now) and (
        current_user.role == Role.ADMIN or swap.proposer_area_id == current_user.area_id)
    target_area = db.session.get(Area, swap.target_area_id) if swap.target_area_id else None
    return render_template(
        "swaps/detail.html", swap=swap, now=now, answer_form=AnswerForm(),
        withdraw_form=WithdrawForm(), answerable=answerable, withdrawable=withdrawable,
        target_area=target_area,
    )


@bp.post("/<int:request_id>/answer")
@staff_required()
@unit_of_work
def answer(request_id: int) -> str | Response | tuple[str, int]:
    swap = _request(request_id)
    if not (current_user.role == Role.ADMIN
            or service.is_addressed_to(swap, current_user.area_id)):
        abort(403)
    form = AnswerForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "decline"):
        flash(_("Choose accept or decline."), "error")
        return redirect(url_for("swaps.detail", request_id=request_id))
    message = form.message.data or ""
    if decision == "accept":
        outcome = service.accept(request_id, current_user, message)
        if outcome.ok:
            flash(_("Done. The swap is made and the calendars are updated."), "info")
            return redirect(url_for("swaps.index"))
        _refuse(outcome.problems, _("The swap could not be made."))
    else:
        outcome = service.decline(request_id, current_user, message)
        if outcome.ok:
            flash(_("You declined the request. The person who asked has been told."), "info")
            return redirect(url_for("swaps.index"))
        _refuse(outcome.problems, _("The request could not be declined."))
    return redirect(url_for("swaps.detail", request_id=request_id))


@bp.post("/<int:request_id>/withdraw")
@staff_required()
@unit_of_work
def withdraw(request_id: int) -> Response:
    swap = _request(request_id)
    if not (current_user.role == Role.ADMIN or swap.proposer_area_id == current_user.area_id):
        abort(403)
    form = WithdrawForm()
    if form.validate_on_submit():
        outcome = service.withdraw(request_id, current_user)
        if outcome.ok:
            flash(_("You withdrew the request."), "info")
            return redirect(url_for("swaps.index"))
        _refuse(outcome.problems, _("The request could not be withdrawn."))
    return redirect(url_for("swaps.detail", request_id=request_id))
