"""Intake calls on the web: the participant's page behind their private status link, and
the course staff's page of slots and bookings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import audit
from ..courses import service as courses
from ..courses.models import Application
from ..courses.views import _managed_course as _course
from ..courses.views import _private
from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Group
from ..people.access import can_manage_group, staff_required
from ..people.models import Role, User
from ..rules.capacity import Status
from ..transactions import unit_of_work
from . import service
from .forms import BookForm, CancelForm, DoneForm, RequiredForm, SlotsForm, StaffBookForm
from .models import IntakeBooking, IntakeSlot
from .rules import Refusal, parse_times, plan_slots

bp = Blueprint("intake", __name__, url_prefix="/<lang>/my/<token>/intake")
staff_bp = Blueprint("intake_staff", __name__,
                     url_prefix="/<lang>/staff/courses/<int:group_id>/intake")


def refusal_text(why: Refusal) -> str:
    return {
        Refusal.TAKEN: _("Someone else just booked this time. Choose another time."),
        Refusal.GONE: _("This time is no longer free. Choose another time."),
        Refusal.DONE: _("Your intake call has already been held."),
        Refusal.NOT_ACCEPTED: _("Only accepted participants book an intake call."),
        Refusal.NOT_REQUIRED: _("This course has no intake calls."),
    }[why]


# --- the participant ------------------------------------------------------------------------

def _participant(token: str) -> Application:
    application = courses.application_for_status_token(token)
    if (application is None or application.is_erased
            or application.status != Status.ACCEPTED
            or not application.group.intake_required):
        abort(404)
    return application


def _slot_choices(slots: list[IntakeSlot], lang: str) -> list[tuple[int, str]]:
    from .. import dates

    return [(s.id, _("%(when)s, %(name)s", when=dates.session_span(s.starts_at, s.ends_at, lang),
                     name=s.facilitator.first_name)) for s in slots]


@bp.route("", methods=["GET", "POST"])
@unit_of_work
def book(token: str) -> Any:
    application = _participant(token)
    now = utcnow()
    current = service.booking_of(application)
    form = BookForm()
    free = service.free_slots(application.group, now)
    form.slot.choices = _slot_choices(free, g.lang)
    status = 200
    if current is None or current.done_at is None:
        if form.validate_on_submit():
            outcome = service.book(application, form.slot.data, now)
            if outcome.refused is None:
                flash(_("Your intake call is booked. We sent you a calendar invitation.")
                      if outcome.result != service.Result.SAME
                      else _("Nothing changed."), "success")
                return redirect(url_for("courses.status", token=token, _anchor="h-intake"),
                                code=303)
            form.slot.errors = [refusal_text(outcome.refused)]
            status = 409
            free = service.free_slots(application.group, now)
            form.slot.choices = _slot_choices(free, g.lang)
        elif request.method == "POST":
            status = 400
    return _private((render_template("intake/book.html", application=application,
                                     booking=current, form=form, token=token, free=free),
                     status))


@bp.route("/cancel", methods=["GET", "POST"])
@unit_of_work
def cancel(token: str) -> Any:
    application = _participant(token)
    booking = service.booking_of(application)
    if booking is None or booking.done_at is not None:
        return redirect(url_for("courses.status", token=token), code=303)
    form = CancelForm()
    if form.validate_on_submit():
        service.cancel(booking, utcnow())
        flash(_("Your intake call is cancelled. You can book a new time."), "success")
        return redirect(url_for("courses.status", token=token, _anchor="h-intake"), code=303)
    return _private(render_template("intake/cancel.html", application=application,
                                    booking=booking, form=form, token=token))


def status_section(app: Any, application: Application, token: str, now: Any) -> Markup | str:
    """The status page's part (signals.status_page_sections)."""
    if (application.status != Status.ACCEPTED or not application.group.intake_required
            or application.is_erased):
        return ""
    booking = service.booking_of(application)
    # The template's output is escaped HTML already (autoescape).
    html = render_template("intake/_status_section.html", booking=booking, token=token,
                           now=now, free=len(service.free_slots(application.group, now)))
    return Markup(html)  # noqa: S704


# --- staff ----------------------------------------------------------------------------------

def _facilitators(group: Group) -> list[User]:
    area_ids = [ga.area_id for ga in group.group_areas]
    return list(db.session.scalars(
        select(User).where(User.area_id.in_(area_ids), User.active.is_(True),
                           User.role.in_([Role.FACILITATOR, Role.COORDINATOR]))
        .order_by(User.first_name, User.last_name, User.id)))


def _slots_form(group: Group) -> SlotsForm:
    form = SlotsForm()
    people = _facilitators(group)
    form.facilitator.choices = [("", _("Choose…"))] + [(u.id, u.full_name) for u in people]
    if request.method == "GET" and current_user.id in {u.id for u in people}:
        form.facilitator.data = current_user.id
    return form


def _page(group: Group, slots_form: SlotsForm | None = None, status: int = 200,
          clashes: list[str] | None = None) -> Any:
    now = utcnow()
    slots = service.slots_of(group)
    bookings = service.bookings_by_slot(group)
    accepted = list(db.session.scalars(
        select(Application).where(Application.group_id == group.id,
                                   Application.status == Status.ACCEPTED,
                                   Application.erased_at.is_(None))
        .order_by(Application.name, Application.id)))
    booked_ids = {b.application_id for b in bookings.values()}
    required = RequiredForm(formdata=None, intake_required=group.intake_required)
    return render_template(
        "intake/staff.html", group=group, slots=slots, bookings=bookings, now=now,
        required_form=required, slots_form=slots_form or _slots_form(group),
        unbooked=[a for a in accepted if a.id not in booked_ids], clashes=clashes or [],
        accepted_count=len(accepted), booked_count=len(bookings),
        done_count=sum(1 for b in bookings.values() if b.done_at is not None),
    ), status


@staff_bp.get("")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
def page(group_id: int) -> Any:
    return _page(_course(group_id))


@staff_bp.post("/required")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def required(group_id: int) -> Any:
    group = _course(group_id)
    form = RequiredForm()
    if form.validate_on_submit():
        wanted = bool(form.intake_required.data)
        if wanted != group.intake_required:
            audit.record("intake.required", actor=current_user, subject="group",
                         subject_id=group.id, changes={"intake_required":
                                                       [group.intake_required, wanted]})
            group.intake_required = wanted
            flash(_("Saved."), "success")
    return redirect(url_for("intake_staff.page", group_id=group.id), code=303)


@staff_bp.post("/slots")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def add_slots(group_id: int) -> Any:
    from .. import dates

    group = _course(group_id)
    form = _slots_form(group)
    if not form.validate_on_submit():
        return _page(group, form, 400)
    people = {u.id: u for u in _facilitators(group)}
    facilitator = people.get(form.facilitator.data or 0)
    if facilitator is None:
        form.facilitator.errors = [_("Choose a facilitator.")]
        return _page(group, form, 400)
    planned = plan_slots(form.day.data, parse_times(form.times.data or "") or [],
                         form.minutes.data)
    if any(s <= utcnow() for s, _e in planned):
        form.day.errors = [_("Choose times that are still ahead.")]
        return _page(group, form, 400)
    added = service.add_slots(group, facilitator, planned)
    if added.clashes:
        lang = g.lang
        form.times.errors = [_("%(name)s is busy then: %(times)s. Nothing was added.",
                               name=facilitator.first_name,
                               times=", ".join(dates.clock_span(s, e, lang)
                                               for s, e in added.clashes))]
        return _page(group, form, 409)
    audit.record("intake.slots_add", actor=current_user, subject="group", subject_id=group.id,
                 changes={"slots": [0, len(added.slots)],
                          "facilitator_id": [None, facilitator.id]})
    flash(_("Added times: %(count)d.", count=len(added.slots)), "success")
    return redirect(url_for("intake_staff.page", group_id=group.id), code=303)


def _slot(group: Group, slot_id: int) -> IntakeSlot:
    slot = db.session.get(IntakeSlot, slot_id)
    if slot is None or slot.group_id != group.id:
        abort(404)
    return slot


def _booking(group: Group, booking_id: int) -> IntakeBooking:
    booking = db.session.get(IntakeBooking, booking_id)
    if booking is None or booking.slot.group_id != group.id:
        abort(404)
    return booking


@staff_bp.post("/slots/<int:slot_id>/delete")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def delete_slot(group_id: int, slot_id: int) -> Any:
    group = _course(group_id)
    slot = _slot(group, slot_id)
    if CancelForm().validate_on_submit():
        if service.delete_slot(slot):
            audit.record("intake.slot_delete", actor=current_user, subject="group",
                         subject_id=group.id, changes={"slot_id": [slot_id, None]})
            flash(_("The time was removed."), "success")
        else:
            flash(_("Someone has booked this time. Cancel the booking first."), "error")
    return redirect(url_for("intake_staff.page", group_id=group.id), code=303)


@staff_bp.post("/slots/<int:slot_id>/book")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def staff_book(group_id: int, slot_id: int) -> Any:
    group = _course(group_id)
    _slot(group, slot_id)
    form = StaffBookForm()
    back = redirect(url_for("intake_staff.page", group_id=group.id), code=303)
    application = db.session.get(Application, form.application.data or 0)
    if (not form.validate_on_submit() or application is None
            or application.group_id != group.id):
        flash(_("Choose a participant."), "error")
        return back
    outcome = service.book(application, slot_id, utcnow(), by=current_user)
    if outcome.refused is not None:
        flash(refusal_text(outcome.refused), "error")
        return back
    audit.record("intake.book", actor=current_user, subject="group", subject_id=group.id,
                 changes={"slot_id": [None, slot_id], "application_id": [None, application.id]})
    flash(_("Booked. The participant and the facilitator get a calendar invitation."), "success")
    return back


@staff_bp.post("/bookings/<int:booking_id>/cancel")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def staff_cancel(group_id: int, booking_id: int) -> Any:
    group = _course(group_id)
    booking = _booking(group, booking_id)
    if CancelForm().validate_on_submit():
        audit.record("intake.cancel", actor=current_user, subject="group", subject_id=group.id,
                     changes={"slot_id": [booking.slot_id, None],
                              "application_id": [booking.application_id, None]})
        service.cancel(booking, utcnow())
        flash(_("The booking is cancelled. The participant and the facilitator are told."),
              "success")
    return redirect(url_for("intake_staff.page", group_id=group.id), code=303)


@staff_bp.post("/bookings/<int:booking_id>/done")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def done(group_id: int, booking_id: int) -> Any:
    group = _course(group_id)
    booking = _booking(group, booking_id)
    form = DoneForm()
    if form.validate_on_submit():
        was = booking.done_at is not None
        if service.set_done(booking, bool(form.done.data), utcnow()):
            audit.record("intake.done", actor=current_user, subject="group",
                         subject_id=group.id,
                         changes={"held": [was, not was],
                                  "application_id": [booking.application_id,
                                                     booking.application_id]})
            flash(_("Saved."), "success")
    return redirect(url_for("intake_staff.page", group_id=group.id,
                            _anchor=f"slot-{booking.slot_id}"), code=303)


# --- answers to the courses feature's signals ---------------------------------------------------

def participant_columns(app: Any, group: Group, applications: list[Application]) -> list[Any]:
    if not group.intake_required:
        return []
    return [(_("Intake call"), service.status_cells(applications, g.lang))]


def course_staff_links(app: Any, group: Group) -> list[tuple[str, str]]:
    if not can_manage_group(current_user, {ga.area_id for ga in group.group_areas}):
        return []
    return [(_("Intake calls"), url_for("intake_staff.page", group_id=group.id))]
