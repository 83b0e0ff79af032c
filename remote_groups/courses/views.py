"""Closed courses on the web: apply, the private status page, the personal join page, and
the privacy notice (public); review, participants and data requests (staff)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from .. import audit, signals
from ..db_types import database_id, utcnow
from ..extensions import db, limiter
from ..groups.joining import join_window
from ..groups.models import Group, GroupKind, Session
from ..i18n import local_time
from ..people.access import can_manage_group, staff_required
from ..people.models import Area, Role
from ..rules.capacity import Decision, Status, waiting_list
from ..sms.forms import ReminderChoice
from ..sms.models import ReminderWay
from ..sms.service import texts_enabled
from ..transactions import unit_of_work
from ..video import service as video
from . import service
from .forms import (
    ApplicationForm,
    ApplicationTextsForm,
    CancelCourseForm,
    ConfirmChangeForm,
    DataRequestForm,
    DecisionForm,
    DetailsForm,
    LinkForm,
    WithdrawForm,
)
from .models import Application
from .needs import Needs
from .needs import labels as needs_labels
from .needs import parse as needs_of

bp = Blueprint("courses", __name__, url_prefix="/<lang>")
staff_bp = Blueprint("courses_staff", __name__, url_prefix="/<lang>/staff/courses")

def _apply_limit() -> str:
    return str(current_app.config.get("COURSE_APPLY_RATE_LIMIT", "5 per minute;30 per hour"))


def _private(response: Any) -> Response:
    """Pages behind a private link: never cached, never sent on as a referrer."""
    response = current_app.make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _closed_course(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or group.kind != GroupKind.CLOSED:
        abort(404)
    return group


def _areas() -> list[tuple[int, str]]:
    lang = g.get("lang", "fi")
    areas = db.session.scalars(select(Area)).all()
    return sorted(((a.id, a.name(lang)) for a in areas), key=lambda c: c[1])


def _area_choices() -> list[SelectChoice]:
    return [SelectChoice(-1, _("Choose…")),
            *(SelectChoice(i, name) for i, name in _areas())]


def _details(form: DetailsForm, email: str,
             wants_reminders: bool = False) -> service.ApplicantDetails:
    area_id = form.home_area.data
    reminder_way, mobile = "", ""
    if isinstance(form, ReminderChoice):  # text messages offered: the choice decides
        way = form.chosen_way()
        reminder_way, mobile = way.value, form.mobile.e164
        wants_reminders = way in (ReminderWay.EMAIL, ReminderWay.BOTH)
    elif form.wants_reminders is not None:
        wants_reminders = bool(form.wants_reminders.data)
    return service.ApplicantDetails(
        name=form.name.data or "", email=email, phone=form.phone.data or "",
        home_area_id=area_id if area_id and area_id > 0 else None,
        language=form.language.data or "fi", motivation=form.motivation.data or "",
        support_needs=form.support_needs.data or "",
        wants_reminders=wants_reminders, reminder_way=reminder_way, mobile=mobile,
        needs=Needs(interpreter=form.interpreter.data or "",
                    sign_language=form.sign_language.data or "",
                    plain_language=bool(form.plain_language.data),
                    assistant=bool(form.assistant.data)).to_json(),
        show_name=form.show_name.data == "yes",
    )


def _fill_needs(form: DetailsForm, application: Application) -> None:
    """The stored needs into the form (they are one JSON column, not one per field)."""
    stored = needs_of(application.needs)
    form.interpreter.data = stored.interpreter
    form.sign_language.data = stored.sign_language
    form.plain_language.data = stored.plain_language
    form.assistant.data = stored.assistant
    form.show_name.data = "yes" if application.show_name else "no"


def _submitted_and_valid(form: DetailsForm) -> bool:
    """Validate every field (so all errors show at once), the county choice included."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    if not form.home_area.data or form.home_area.data <= 0:
        form.home_area.errors = [_("Choose your wellbeing services county.")]
        return False
    return valid


# --- public: apply ------------------------------------------------------------------------

@bp.get("/courses/privacy")
def privacy() -> str:
    return render_template("courses/privacy.html",
                           retention_days=current_app.config["RETENTION_DAYS"])


@bp.route("/courses/<int:group_id>/apply", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"])
def apply(group_id: int) -> Any:
    group = _closed_course(group_id)
    now = utcnow()
    if not group.applications_open(now) or group.is_archived:
        return render_template("courses/closed.html", group=group, now=now)
    form = ApplicationTextsForm() if texts_enabled() else ApplicationForm()
    form.home_area.choices = _area_choices()
    if request.method == "GET":
        form.language.data = form.language.data or g.lang
        if isinstance(form, ApplicationTextsForm):
            form.way.data = ReminderWay.NONE.value  # as the unticked e-mail box was
    if _submitted_and_valid(form):
        details = _details(form, form.email.data or "")
        try:
            service.submit_application(group, details, now)
            db.session.commit()
        except IntegrityError:
            # The same address sent twice at the same moment: the other request created the
            # row, so this one updates it.
            db.session.rollback()
            service.submit_application(group, details, now)
            db.session.commit()
        return redirect(url_for("courses.applied", group_id=group.id), code=303)
    return render_template("courses/apply.html", group=group, form=form,
                           retention_days=current_app.config["RETENTION_DAYS"])


@bp.get("/courses/<int:group_id>/applied")
def applied(group_id: int) -> str:
    """Says the same whether the application was new or an update, so the page tells nobody
    whether an address had applied before."""
    return render_template("courses/applied.html", group=_closed_course(group_id))


@bp.route("/courses/confirm/<token>", methods=["GET", "POST"])
def confirm_change(token: str) -> Any:
    """The link mailed when an address that already applied applies again: the details
    sent are applied only when the address's owner presses Confirm here."""
    now = utcnow()
    change = service.change_for_token(token, now)
    if change is None:
        return _private((render_template("courses/change_invalid.html"), 410))
    form = ConfirmChangeForm()
    if form.validate_on_submit():
        status_token = service.confirm_change(change, now)
        if status_token is None:  # the same link pressed twice at once: the other one won
            db.session.rollback()
            return _private((render_template("courses/change_invalid.html"), 410))
        db.session.commit()
        flash(_("Your details were saved."), "success")
        return redirect(url_for("courses.status", token=status_token), code=303)
    return _private(render_template("courses/confirm_change.html",
                                    application=change.application, form=form))


# --- public: private status page ----------------------------------------------------------

def _by_status_token(token: str) -> Application:
    application = service.application_for_status_token(token)
    if application is None or application.is_erased:
        abort(404)
    return application


@bp.route("/my/<token>", methods=["GET", "POST"])
@unit_of_work
def status(token: str) -> Any:
    application = _by_status_token(token)
    form = DetailsForm(obj=application if request.method == "GET" else None)
    form.home_area.choices = _area_choices()
    if texts_enabled():
        # The reminders page (text, e-mail or both) is then the one place for the choice.
        del form.wants_reminders
    if request.method == "GET":
        form.home_area.data = application.home_area_id or -1
        _fill_needs(form, application)
    editable = application.status != Status.WITHDRAWN
    if editable and _submitted_and_valid(form):
        service.apply_details(application, _details(form, application.email,
                                                    application.wants_reminders))
        flash(_("Your details were saved."), "success")
        return redirect(url_for("courses.status", token=token), code=303)
    now = utcnow()
    sessions = (service.upcoming_sessions(application.group, now)
                if application.status == Status.ACCEPTED else [])
    return _private(render_template(
        "courses/status.html", application=application, form=form, token=token,
        sessions=sessions, editable=editable, now=now, withdraw_form=WithdrawForm(),
        more_sections=signals.answers(signals.status_page_sections, application=application,
                                      token=token, now=now) or [],
    ))


@bp.route("/my/<token>/withdraw", methods=["GET", "POST"])
@unit_of_work
def withdraw(token: str) -> Any:
    application = _by_status_token(token)
    form = WithdrawForm()
    if application.status == Status.WITHDRAWN:
        return redirect(url_for("courses.status", token=token), code=303)
    if form.validate_on_submit():
        service.withdraw_application(application, utcnow())
        flash(_("You have withdrawn your application. Thank you for letting us know."), "success")
        return redirect(url_for("courses.status", token=token), code=303)
    return _private(render_template("courses/withdraw.html", application=application,
                                    form=form, token=token))


@bp.get("/my/<token>/join")
def join_next(token: str) -> Any:
    """The link of a participant's recurring calendar entry: the personal join page of the
    session that is on now or comes next (the status page when none is left)."""
    application = service.application_for_any_token(token)
    if application is None or application.is_erased:
        abort(404)
    upcoming = service.upcoming_sessions(application.group, utcnow())
    if not upcoming or application.status != Status.ACCEPTED:
        abort(404)
    return redirect(url_for("courses.join", token=token, session_id=upcoming[0].id), code=303)


@bp.get("/my/<token>/sessions/<int:session_id>/join")
def join(token: str, session_id: int) -> Any:
    """The personal join page: the only way into a closed course's video room (the public
    join page shows no room link for closed courses). Same window as the public page
    (`groups.joining`), guest link and phone numbers from `video.service`."""
    application = service.application_for_any_token(token)
    session = db.session.get(Session, session_id)
    if (application is None or application.is_erased or session is None
            or session.group_id != application.group_id):
        abort(404)
    if application.status != Status.ACCEPTED:
        abort(403)
    now = utcnow()
    window = join_window(session.starts_at, session.ends_at, now,
                         cancelled=session.is_cancelled)
    link = None
    if window.is_open:
        link = video.guest_join_url(session, g.lang, display_name=room_name(application))
    return _private(render_template(
        "courses/join.html", application=application, session=session, room_link=link,
        dial_in=video.dial_in(session) if link else None, opens_at=window.opens_at, now=now,
    ))


def room_name(application: Application) -> str:
    """The name prefilled in the video room: the first name only with the person's consent,
    otherwise the same neutral word for everyone, so nobody is recognised by it."""
    first = application.name.split(" ")[0] if application.show_name else ""
    return first or pgettext("name in the video room", "Participant")


# --- staff: review ------------------------------------------------------------------------

def _managed_course(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or group.kind != GroupKind.CLOSED:
        abort(404)
    if not can_manage_group(current_user, {ga.area_id for ga in group.group_areas}):
        abort(403)
    return group


@staff_bp.get("/")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
def index() -> str:
    """The closed courses this user's area co-runs (all of them for admins), with how many
    applications wait for a decision."""
    query = select(Group).where(Group.kind == GroupKind.CLOSED).order_by(Group.created_at.desc())
    if current_user.role != Role.ADMIN:
        query = query.where(Group.group_areas.any(area_id=current_user.area_id))
    courses = list(db.session.scalars(query))
    counts = service.status_counts([c.id for c in courses])
    return render_template("courses/staff_index.html", courses=courses, counts=counts,
                           is_admin=current_user.role == Role.ADMIN,
                           can_cancel=current_user.role in (Role.COORDINATOR, Role.ADMIN))


def _filtered(group: Group) -> tuple[list[Application], dict[str, str]]:
    filters = {k: request.args.get(k, "") for k in ("status", "area", "language")}
    query = (select(Application).where(Application.group_id == group.id,
                                       Application.erased_at.is_(None))
             .options(selectinload(Application.home_area)).order_by(Application.applied_at,
                                                                     Application.id))
    if filters["status"] in {s.value for s in Status}:
        query = query.where(Application.status == filters["status"])
    area_id = database_id(filters["area"])
    if area_id is not None:
        query = query.where(Application.home_area_id == area_id)
    if filters["language"] in {"fi", "sv", "en"}:
        query = query.where(Application.language == filters["language"])
    return list(db.session.scalars(query)), filters


@staff_bp.get("/<int:group_id>/applications")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
def applications(group_id: int) -> str:
    group = _managed_course(group_id)
    items, filters = _filtered(group)
    everyone = service.applicants(group.id)
    accepted = sum(1 for a in everyone if a.status == Status.ACCEPTED)
    queue_place = {a.id: i + 1 for i, a in enumerate(waiting_list(everyone))}
    from ..offers.service import open_offers

    return render_template(
        "courses/review.html", group=group, items=items, filters=filters,
        accepted=accepted, queue_place=queue_place, areas=_areas(),
        needs={a.id: needs_labels(a.needs, a.support_needs) for a in items},
        offers=open_offers(group.id),
        decision_form=DecisionForm(), link_form=LinkForm(), statuses=list(Status),
    )


@staff_bp.post("/<int:group_id>/applications/<int:application_id>/decision")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def decide(group_id: int, application_id: int) -> Any:
    group = _managed_course(group_id)
    form = DecisionForm()
    back = redirect(url_for("courses_staff.applications", group_id=group.id), code=303)
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
        return back
    outcome = service.decide_application(group.id, application_id, Decision(form.decision.data),
                                         form.message.data or "", current_user, utcnow())
    if outcome is None:
        abort(404)
    if outcome.full:
        return render_template("courses/full.html", group=group), 409
    if outcome.changed:
        flash(_("Saved. The applicant gets an e-mail."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return back


@staff_bp.post("/<int:group_id>/applications/<int:application_id>/link")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def link(group_id: int, application_id: int) -> Any:
    group = _managed_course(group_id)
    application = db.session.get(Application, application_id)
    if application is None or application.group_id != group.id or application.is_erased:
        abort(404)
    form = LinkForm()
    if form.validate_on_submit():
        if form.action.data == "revoke":
            service.revoke_links(application)
            flash(_("The private links no longer work."), "success")
        else:
            service.queue_new_link(application, utcnow())
            flash(_("A new link was sent. The old one no longer works."), "success")
    return redirect(url_for("courses_staff.applications", group_id=group.id), code=303)


@staff_bp.route("/<int:group_id>/cancel", methods=["GET", "POST"])
@staff_required(Role.COORDINATOR)
@unit_of_work
def cancel_course(group_id: int) -> Any:
    """The page is the confirmation step: it says what cancelling does and asks for an
    optional reason; only its POST cancels. Coordinators of a co-running area and admins."""
    group = _managed_course(group_id)
    now = utcnow()
    ahead = service.upcoming_sessions(group, now)
    form = CancelCourseForm()
    if ahead and form.validate_on_submit():
        reason = form.reason.data or ""
        service.cancel_course(group, reason, now)
        audit.record("course.cancel", actor=current_user, subject="group", subject_id=group.id,
                     changes={"sessions_cancelled": [0, len(ahead)], "reason": ["", reason]})
        flash(_("The course is cancelled. Facilitators and participants get an e-mail."),
              "success")
        return redirect(url_for("courses_staff.index"), code=303)
    return render_template("courses/cancel.html", group=group, form=form, ahead=ahead)


@staff_bp.get("/<int:group_id>/participants")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
def participants(group_id: int) -> str:
    group = _managed_course(group_id)
    people = _participants(group)
    columns = [column for part in signals.answers(signals.participant_columns, group=group,
                                                  applications=people) or []
               for column in part]
    links = [link for part in signals.answers(signals.course_staff_links, group=group) or []
             for link in part]
    return render_template("courses/participants.html", group=group, people=people,
                           columns=columns, course_links=links)


def _participants(group: Group) -> list[Application]:
    return list(db.session.scalars(
        select(Application).where(Application.group_id == group.id,
                                  Application.status == Status.ACCEPTED,
                                  Application.erased_at.is_(None))
        .options(selectinload(Application.home_area)).order_by(Application.name)
    ))


CSV_HEADER = ("name", "email", "phone", "home_area", "language", "accepted_at",
              "name_shown_in_video_room")


@staff_bp.get("/<int:group_id>/participants.csv")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
def participants_csv(group_id: int) -> Response:
    """UTF-8 with a BOM so Excel shows ä and ö; contact details only; the day of acceptance
    is the Finnish calendar day, and whether the name may be shown in the video room. The
    "why" text and the needs can be health data and stay on the staff pages, not in files
    that get copied around."""
    group = _managed_course(group_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for a in _participants(group):
        writer.writerow([
            _cell(a.name), _cell(a.email), _cell(a.phone),
            a.home_area.name(g.lang) if a.home_area else "", a.language,
            local_time(a.decided_at).date().isoformat() if a.decided_at else "",
            "yes" if a.show_name else "no",
        ])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="course-{group.id}-participants.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def needs_columns(app: Any, group: Group, applications: list[Application],
                  ) -> list[tuple[str, dict[int, str]]]:
    """The participant list's needs and name-consent columns (signals.participant_columns);
    no query: the rows are already loaded."""
    return [
        (_("Needs"), {a.id: "; ".join(needs_labels(a.needs, a.support_needs))
                      for a in applications}),
        (_("Name shown in the video room"), {a.id: _("Yes") if a.show_name else _("No")
                                            for a in applications}),
    ]


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or a tab or carriage return before
    them) as formulas; applicants type these, the e-mail address too: "=1+1@example.fi" is a
    valid address."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@staff_bp.route("/data-requests", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
@unit_of_work
def data_requests() -> Any:
    """An admin answers a person's request to see or erase their data."""
    form = DataRequestForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        if form.action.data == "export":
            data = service.export_person(email)
            response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                                mimetype="application/json")
            response.headers["Content-Disposition"] = 'attachment; filename="applications.json"'
            response.headers["Cache-Control"] = "no-store"
            return response
        count = service.erase_person(email, utcnow())
        flash(_("Erased applications: %(count)d.", count=count), "success")
        return redirect(url_for("courses_staff.data_requests"), code=303)
    return render_template("courses/data_requests.html", form=form)
