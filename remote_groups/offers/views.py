"""Seat offers on the web: the section of the private status page with the offer and its
deadline, accepting and declining through the private link (public), and withdrawing an
offer (staff of the course's areas)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from .. import dates
from ..courses.models import Application
from ..courses.views import _by_status_token, _managed_course, _private
from ..db_types import utcnow
from ..extensions import db
from ..people.access import staff_required
from ..people.models import Role
from ..rules.capacity import Status, offer_is_open
from ..transactions import unit_of_work
from . import service
from .models import OfferStatus

bp = Blueprint("offers", __name__, url_prefix="/<lang>")
staff_bp = Blueprint("offers_staff", __name__, url_prefix="/<lang>/staff/courses")


class AnswerForm(FlaskForm):
    """Only the CSRF token: the button pressed is the answer (the URL says which)."""


def status_section(application: Application, token: str, now: datetime) -> Markup | str:
    """The offer on the person's status page: open (accept or decline before the
    deadline), or what became of an earlier one while they still wait."""
    offer = service.latest_offer(application.id)
    if offer is None or application.status != Status.WAITING:
        return ""
    lang = application.language
    is_open = offer.is_open and offer_is_open(offer.expires_at, now)
    if offer.is_open and not is_open:
        state = "lapsing"  # past the deadline, the periodic step has not run yet
    else:
        state = "open" if is_open else offer.status.value
    html = render_template(
        "offers/_status_section.html", offer=offer, token=token, state=state,
        deadline=dates.moment_in_text(offer.expires_at, lang), form=AnswerForm())
    return Markup(html)  # noqa: S704 -- rendered by Jinja with autoescaping on


@bp.post("/my/<token>/offer/accept")
@unit_of_work
def accept(token: str) -> Any:
    application = _by_status_token(token)
    if AnswerForm().validate_on_submit():
        if service.accept(application, utcnow()):
            flash(_("The place is yours. We sent you the calendar invitation."), "success")
        else:
            flash(_("This offer is no longer open."), "error")
    return redirect(url_for("courses.status", token=token), code=303)


@bp.route("/my/<token>/offer/decline", methods=["GET", "POST"])
@unit_of_work
def decline(token: str) -> Any:
    """The page is the confirmation step: declining withdraws the application."""
    application = _by_status_token(token)
    form = AnswerForm()
    if service.open_offer(application.id) is None:
        return redirect(url_for("courses.status", token=token), code=303)
    if form.validate_on_submit():
        service.decline(application, utcnow())
        flash(_("You declined the place. Thank you for letting us know."), "success")
        return redirect(url_for("courses.status", token=token), code=303)
    return _private(render_template("offers/decline.html", application=application,
                                    form=form, token=token))


@staff_bp.post("/<int:group_id>/applications/<int:application_id>/offer/withdraw")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def withdraw(group_id: int, application_id: int) -> Any:
    group = _managed_course(group_id)
    application = db.session.get(Application, application_id)
    if application is None or application.group_id != group.id or application.is_erased:
        abort(404)
    if AnswerForm().validate_on_submit():
        offer = service.withdraw_by_staff(group.id, application.id, current_user, utcnow())
        if offer is not None and offer.status == OfferStatus.WITHDRAWN:
            flash(_("The offer is withdrawn. The place is free: you can accept someone."),
                  "success")
        else:
            flash(_("Nothing changed."), "info")
    return redirect(url_for("courses_staff.applications", group_id=group.id), code=303)
