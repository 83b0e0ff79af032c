"""The coordinator's pages: groups, their series (with a preview before saving), and one
session at a time (cancel, change host, add an extra meeting).

Coordinators manage the groups their area co-runs; admins manage all; everyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from .. import audit
from ..db_types import MAX_ID, utcnow
from ..extensions import db
from ..groups.models import Group, GroupArea, GroupKind, InstructionLanguage, Session, Theme
from ..groups.parity import missing_warnings
from ..groups.queries import group_with_sessions
from ..i18n import current_language, local_time
from ..people.access import can_manage_group, staff_required
from ..people.models import Area, Role, User
from ..rules.rotation import SeriesError, holiday_name
from ..transactions import unit_of_work
from . import service
from .forms import (
    CancelForm,
    ConfirmForm,
    ExtraSessionForm,
    GroupEditForm,
    GroupForm,
    HostForm,
    SeriesForm,
    SessionEditForm,
    area_choices,
    facilitator_label,
)
from .messages import FORM_FIELD, clash_text, message
from .service import ClashError

bp = Blueprint("series", __name__, url_prefix="/<lang>/staff/series")

coordinator_only = staff_required(Role.COORDINATOR)


# --- helpers --------------------------------------------------------------------------------


def _managed_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    if not can_manage_group(current_user, {ga.area_id for ga in group.group_areas}):
        abort(403)
    return group


def _managed_session(session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None:
        abort(404)
    _managed_group(session.group_id)
    return session


def _show_problems(form: Any, error: SeriesError) -> None:
    for problem in error.problems:
        name = FORM_FIELD.get(problem.field, problem.field)
        target = getattr(form, name, None)
        text = message(problem.field, problem.code)
        if target is not None:
            target.errors = [*target.errors, text]


def _show_clashes(form: Any, error: ClashError) -> None:
    lang = current_language()
    texts = [clash_text(c, lang) for c in error.clashes]
    form.facilitators.errors = [*form.facilitators.errors, *texts]


def _users(ids: list[int] | None) -> list[User]:
    # The checkboxes are not validated against their choices (the rules say which people
    # fit), so an edited form can send any number: one too big for the id column is no one.
    ids = [i for i in ids or [] if 0 < i <= MAX_ID]
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


def _area_names(areas: list[Area]) -> dict[int, str]:
    lang = current_language()
    return {a.id: a.name(lang) for a in areas}


# --- groups ---------------------------------------------------------------------------------


@bp.get("/")
@coordinator_only
def index() -> str:
    query = select(Group).options(selectinload(Group.group_areas).selectinload(GroupArea.area))
    if current_user.role != Role.ADMIN:
        query = query.where(Group.id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == current_user.area_id)))
    groups = list(db.session.scalars(query.order_by(Group.id)))
    return render_template("series/index.html", groups=groups)


@bp.route("/groups/new", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def new_group() -> str | Response:
    areas = list(db.session.scalars(
        select(Area).where(Area.active.is_(True)).order_by(Area.name_fi)))
    form = GroupForm()
    _fit_rotation(form, len(areas), [current_user.area_id])
    for entry in form.rotation.entries:
        entry.choices = area_choices(areas, current_language())
    valid = form.validate_on_submit()
    # Our own checks run even when a field failed, so every problem shows at once.
    if form.is_submitted() and _group_form_ok(form) and valid:
        by_id = {a.id: a for a in areas}
        closed = form.kind.data == GroupKind.CLOSED
        group = service.create_group(
            kind=GroupKind(form.kind.data), theme=Theme(form.theme.data),
            instruction_language=InstructionLanguage(form.instruction_language.data),
            texts={f"{name}_{lang}": getattr(form, f"{name}_{lang}").data or ""
                   for name in ("title", "summary", "description") for lang in ("fi", "sv", "en")},
            areas=[by_id[a] for a in form.rotation_order() if a],
            capacity=form.capacity.data if closed else None,
            applications_window=form.window() if closed else None,
        )
        flash(_("The group is saved. Next, plan its sessions."), "info")
        for warning in missing_warnings(group):
            flash(warning, "warning")
        return redirect(url_for("series.plan", group_id=group.id))
    return render_template("series/group_form.html", form=form,
                           missing=missing_warnings(_TextsOf(form)) if form.is_submitted() else [])


class _TextsOf:
    """The form's texts with the attribute names of a group, for `missing_warnings`."""

    def __init__(self, form: GroupForm) -> None:
        self._form = form

    def __getattr__(self, name: str) -> str:
        return getattr(self._form, name).data or ""


def _fit_rotation(form: Any, size: int, defaults: list[int]) -> None:
    """One rotation slot per area that may take part, prefilled on a fresh form."""
    if request.method == "GET":
        while form.rotation.entries:
            form.rotation.pop_entry()
        for i in range(size):
            form.rotation.append_entry(defaults[i] if i < len(defaults) else None)
    while len(form.rotation.entries) < size:
        form.rotation.append_entry(None)


def _group_form_ok(form: GroupForm) -> bool:
    ok = _details_ok(form, GroupKind(form.kind.data) if form.kind.data in
                     {k.value for k in GroupKind} else GroupKind.OPEN)
    order = form.rotation_order()
    codes = service.rotation_problems(order)
    known = set(db.session.scalars(select(Area.id)))
    if any(e.errors for e in form.rotation.entries) or any(a and a not in known for a in order):
        form.rotation.errors.append(_("Choose an area from the list."))
        ok = False
    elif codes:
        form.rotation.errors.extend(message("host_order", c) for c in codes)
        ok = False
    elif current_user.role != Role.ADMIN and current_user.area_id not in order:
        form.rotation.errors.append(_("Include your own area, so that you can manage the group."))
        ok = False
    return ok


def _details_ok(form: GroupForm | GroupEditForm, kind: GroupKind) -> bool:
    """The checks a group's details need, on creation and on every edit."""
    ok = True
    if not ((form.title_fi.data or "").strip() or (form.title_sv.data or "").strip()):
        form.title_fi.errors.append(_("Give the title in Finnish or in Swedish."))
        ok = False
    if kind == GroupKind.CLOSED:
        if not form.capacity.data:
            form.capacity.errors.append(_("A closed course needs the number of places."))
            ok = False
        opens, closes = form.applications_open.data, form.applications_close.data
        if not opens:
            form.applications_open.errors.append(_("Give the date applications open."))
            ok = False
        if not closes:
            form.applications_close.errors.append(_("Give the last day for applications."))
            ok = False
        if opens and closes and closes < opens:
            form.applications_close.errors.append(
                _("Applications must close on or after the day they open."))
            ok = False
    return ok


# --- the series -----------------------------------------------------------------------------


@bp.get("/groups/<int:group_id>")
@coordinator_only
def manage(group_id: int) -> str:
    _managed_group(group_id)
    group = group_with_sessions(group_id)  # hosts and facilitators in a fixed number of queries
    if group is None:
        abort(404)
    series = service.series_of(group)
    in_series = {m.session_id for m in series.members} if series else set()
    return render_template("series/manage.html", group=group, series=series,
                           in_series=in_series, now=utcnow(), confirm=ConfirmForm(),
                           missing=missing_warnings(group))


@bp.route("/groups/<int:group_id>/plan", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def plan(group_id: int) -> str | Response:
    group = _managed_group(group_id)
    series = service.series_of(group)
    areas = group.areas
    lang = current_language()
    form = SeriesForm(obj=None)
    if request.method == "GET":
        _fill_from_series(form, group, series)
    _fit_rotation(form, len(areas), [a.id for a in areas])
    for entry in form.rotation.entries:
        entry.choices = area_choices(areas, lang)
    form.facilitators.choices = [(u.id, facilitator_label(u, lang))
                                 for u in service.facilitator_choices(areas)]
    preview = None
    valid = request.method == "POST" and form.validate()
    if request.method == "POST" and _parsed(form):
        # The rules run even when another field is wrong, so every problem shows at once.
        preview = _try_preview(form, group)
        preview = preview if valid else None
        if preview is not None and request.form.get("action") == "save":
            if form.previewed.data == form.fingerprint():
                saved = _save(form, group)
                if saved is not None:
                    return saved
                preview = None  # someone booked a facilitator since the preview: say who
            else:
                flash(_("You changed the form after the preview. Check the new preview and "
                        "save again."), "info")
        if preview is not None:
            form.previewed.data = form.fingerprint()
    return render_template(
        "series/plan.html", group=group, series=series, form=form, preview=preview,
        area_names=_area_names(areas), skipped=_skipped_names(preview, lang),
        hosts=_host_counts(preview),
    )


def _fill_from_series(form: SeriesForm, group: Group, series: Any) -> None:
    if series is None:
        form.skip_holidays.data = True
        return
    from datetime import datetime, timedelta

    form.weekday.data = series.weekday
    form.first_date.data = series.first_date
    form.start_time.data = series.start_time
    end = datetime.combine(series.first_date, series.start_time) + timedelta(
        minutes=series.duration_minutes)
    form.end_time.data = end.time()
    form.interval_weeks.data = series.interval_weeks
    form.count.data = series.count
    form.until.data = series.until
    form.skip_holidays.data = series.skip_holidays
    form.facilitators.data = [u.id for u in series.facilitators]
    members = sorted(series.members, key=lambda m: m.index)
    for lang in ("fi", "sv", "en"):
        lines = [""] * (max((m.index for m in members), default=-1) + 1)
        for m in members:
            lines[m.index] = getattr(m.session, f"topic_{lang}")
        getattr(form, f"topics_{lang}").data = "\n".join(lines).rstrip("\n")


def _parsed(form: SeriesForm) -> bool:
    """The fields the planner needs were understood (the others may still be wrong)."""
    needed = (form.weekday, form.first_date, form.start_time, form.end_time,
              form.interval_weeks)
    return all(f.data is not None and not f.errors for f in needed)


def _rotation_ok(form: SeriesForm, group: Group) -> bool:
    if any(entry.errors for entry in form.rotation.entries):
        form.rotation.errors.append(_("Choose an area from the list."))
        return False
    if any(a and a not in service.host_order(group) for a in form.rotation_order()):
        form.rotation.errors.append(message("host", "not_co_running"))
        return False
    codes = service.rotation_problems(form.rotation_order())
    # The rules report neighbours and an empty list themselves; only "listed twice" is ours.
    if "listed_twice" in codes:
        form.rotation.errors.append(message("host_order", "listed_twice"))
        return False
    return True


def _attempt(form: Any, change: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a series change; when the rules or a facilitator clash refuse it, show why next
    to the form's fields. Returns (done, what the change returned)."""
    try:
        return True, change()
    except SeriesError as error:
        _show_problems(form, error)
    except ClashError as error:
        _show_clashes(form, error)
    return False, None


def _try_preview(form: SeriesForm, group: Group) -> Any:
    if not _rotation_ok(form, group):
        return None
    _done, preview = _attempt(form, lambda: service.preview_series(
        group, form.to_spec(), _users(form.facilitators.data), utcnow()))
    return preview


def _save(form: SeriesForm, group: Group) -> Response | None:
    """Save, or None with the reasons next to the fields: with the facilitators' time
    locked, a clash the preview could not see (someone booked them a moment ago) shows up
    here."""
    done, result = _attempt(form, lambda: service.save_series(
        group, form.to_spec(), _users(form.facilitators.data), utcnow(), form.topics()))
    if not done:
        return None
    _series, changed = result
    audit.record("series.save", actor=current_user, subject="group", subject_id=group.id,
                 changes={"sessions_changed": [None, changed]})
    flash(_("The series is saved."), "info")
    return redirect(url_for("series.manage", group_id=group.id))


def _skipped_names(preview: Any, lang: str) -> list[tuple[Any, str]]:
    if preview is None:
        return []
    return [(s.local_date, holiday_name(s.local_date, lang) or s.reason)
            for s in preview.plan.skipped]


def _host_counts(preview: Any) -> dict[int, int]:
    if preview is None:
        return {}
    from ..rules.rotation import hosts_per_area

    return hosts_per_area(preview.plan)


# --- one session ----------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def cancel(session_id: int) -> str | Response:
    session = _managed_session(session_id)
    form = CancelForm()
    if form.validate_on_submit():
        was_cancelled = session.is_cancelled
        service.cancel_session(session, form.reason.data or "")
        if not was_cancelled:
            audit.record("session.cancel", actor=current_user, subject="session",
                         subject_id=session.id, session_id=session.id,
                         changes={"status": ["scheduled", "cancelled"],
                                  "cancel_reason": ["", session.cancel_reason]})
        flash(_("The session is cancelled. Facilitators and participants are told."), "info")
        return redirect(url_for("series.manage", group_id=session.group_id))
    return render_template("series/cancel.html", session=session, form=form)


def _host_choices(form: Any, group: Group, lang: str) -> None:
    form.host.choices = area_choices(group.areas, lang)
    form.facilitators.choices = [(u.id, facilitator_label(u, lang))
                                 for u in service.facilitator_choices(group.areas)]


@bp.route("/sessions/<int:session_id>/host", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def host(session_id: int) -> str | Response:
    session = _managed_session(session_id)
    form = HostForm()
    _host_choices(form, session.group, current_language())
    if request.method == "GET":
        form.host.data = session.host_area_id
        form.facilitators.data = [u.id for u in session.facilitators]
    if form.validate_on_submit():
        host_before = session.host_area_id
        people_before = sorted(u.id for u in session.facilitators)
        done, _result = _attempt(form, lambda: service.change_host(
            session, form.host.data, _users(form.facilitators.data)))
        if done:
            audit.record("session.host", actor=current_user, subject="session",
                         subject_id=session.id, session_id=session.id,
                         host_before_id=host_before, host_after_id=session.host_area_id,
                         facilitators_before=people_before,
                         facilitators_after=sorted(u.id for u in session.facilitators))
            flash(_("The host is changed. Facilitators and participants are told."), "info")
            return redirect(url_for("series.manage", group_id=session.group_id))
    return render_template("series/host.html", session=session, form=form)


@bp.route("/groups/<int:group_id>/sessions/new", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def extra(group_id: int) -> str | Response:
    group = _managed_group(group_id)
    form = ExtraSessionForm()
    _host_choices(form, group, current_language())
    if form.validate_on_submit():
        topic = {lang: (getattr(form, f"topic_{lang}").data or "").strip()
                 for lang in ("fi", "sv", "en")}
        done, _result = _attempt(form, lambda: service.add_extra_session(
            group, form.day.data, form.start_time.data, form.end_time.data, form.host.data,
            _users(form.facilitators.data), topic))
        if done:
            flash(_("The extra session is added."), "info")
            return redirect(url_for("series.manage", group_id=group.id))
    return render_template("series/extra.html", group=group, form=form)


# --- one session: time, facilitators, topic -----------------------------------------------


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def edit_session(session_id: int) -> str | Response:
    session = _managed_session(session_id)
    form = SessionEditForm()
    lang = current_language()
    form.facilitators.choices = [(u.id, facilitator_label(u, lang))
                                 for u in service.facilitator_choices([session.host_area])]
    if request.method == "GET":
        starts, ends = local_time(session.starts_at), local_time(session.ends_at)
        form.day.data, form.start_time.data, form.end_time.data = (
            starts.date(), starts.time().replace(tzinfo=None), ends.time().replace(tzinfo=None))
        form.facilitators.data = [u.id for u in session.facilitators]
        for code in ("fi", "sv", "en"):
            getattr(form, f"topic_{code}").data = getattr(session, f"topic_{code}")
    if form.validate_on_submit():
        topic = {code: getattr(form, f"topic_{code}").data or "" for code in ("fi", "sv", "en")}
        before_people = sorted(u.id for u in session.facilitators)
        done, changes = _attempt(form, lambda: service.change_session(
            session, form.day.data, form.start_time.data, form.end_time.data,
            _users(form.facilitators.data), topic, utcnow()))
        if done:
            if changes:
                audit.record("session.change", actor=current_user, subject="session",
                             subject_id=session.id, session_id=session.id, changes=changes,
                             host_before_id=session.host_area_id,
                             host_after_id=session.host_area_id,
                             facilitators_before=before_people,
                             facilitators_after=sorted(u.id for u in session.facilitators))
                flash(_("The session is changed. Facilitators and participants get an "
                        "updated invitation."), "info")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("series.manage", group_id=session.group_id))
    return render_template("series/edit_session.html", session=session, form=form)


# --- the group's details, and archiving ----------------------------------------------------

GROUP_FIELDS = ("title_fi", "title_sv", "title_en", "summary_fi", "summary_sv", "summary_en",
                "description_fi", "description_sv", "description_en", "theme",
                "instruction_language", "capacity", "applications_open_at",
                "applications_close_at", "contact_phone", "contact_email", "contact_hours_fi",
                "contact_hours_sv", "contact_hours_en")
TEXT_FIELDS = GROUP_FIELDS[:9] + GROUP_FIELDS[-5:]


def _fill_group_form(form: GroupEditForm, group: Group) -> None:
    from datetime import timedelta

    for name in TEXT_FIELDS:
        getattr(form, name).data = getattr(group, name)
    form.theme.data = group.theme.value
    form.instruction_language.data = group.instruction_language.value
    form.capacity.data = group.capacity
    if group.applications_open_at:
        form.applications_open.data = local_time(group.applications_open_at).date()
    if group.applications_close_at:
        form.applications_close.data = (local_time(group.applications_close_at)
                                        - timedelta(days=1)).date()


def _places_ok(form: GroupEditForm, group: Group) -> bool:
    """A course cannot shrink below the participants it has accepted: their places stand."""
    if not group.is_closed or not form.capacity.data:
        return True
    from sqlalchemy import func

    from ..courses.models import Application
    from ..rules.capacity import Status

    accepted = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.group_id == group.id, Application.status == Status.ACCEPTED)) or 0
    if form.capacity.data < accepted:
        form.capacity.errors = [*form.capacity.errors, _(
            "The course has %(num)s participants already. Give at least that many places.",
            num=accepted)]
        return False
    return True


def _offer_new_places(group: Group, added: int) -> None:
    """More places on a course: the first on its waiting list get offers (issue 18)."""
    from flask import current_app

    from ..courses import courses_enabled

    if courses_enabled(current_app):
        from ..offers.service import new_places

        new_places(group, added, utcnow())


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@coordinator_only
@unit_of_work
def edit_group(group_id: int) -> str | Response:
    group = _managed_group(group_id)
    form = GroupEditForm()
    if request.method == "GET":
        _fill_group_form(form, group)
    valid = form.validate_on_submit()
    if (form.is_submitted() and _details_ok(form, group.kind) and _places_ok(form, group)
            and valid):
        before = audit.snapshot(group, GROUP_FIELDS)
        for name in TEXT_FIELDS:
            setattr(group, name, (getattr(form, name).data or "").strip())
        group.theme = Theme(form.theme.data)
        group.instruction_language = InstructionLanguage(form.instruction_language.data)
        places_before = group.capacity or 0
        if group.is_closed:
            group.capacity = form.capacity.data
            group.applications_open_at, group.applications_close_at = form.window()
        changes = audit.diff(before, audit.snapshot(group, GROUP_FIELDS))
        if changes:
            audit.record("group.change", actor=current_user, subject="group",
                         subject_id=group.id, changes=changes)
        if group.is_closed and (group.capacity or 0) > places_before:
            _offer_new_places(group, (group.capacity or 0) - places_before)
        flash(_("The group is saved."), "info")
        return redirect(url_for("series.manage", group_id=group.id))
    return render_template("series/edit_group.html", group=group, form=form)


@bp.post("/groups/<int:group_id>/archive")
@coordinator_only
@unit_of_work
def archive(group_id: int) -> Response:
    """Off the public pages (or back on them); sessions, applications and figures stay."""
    group = _managed_group(group_id)
    if ConfirmForm().validate_on_submit():
        restore = request.form.get("restore") == "1"
        if restore and group.is_archived:
            group.archived_at = None
            audit.record("group.restore", actor=current_user, subject="group",
                         subject_id=group.id)
            flash(_("The group is on the public pages again."), "info")
        elif not restore and not group.is_archived:
            group.archived_at = utcnow()
            audit.record("group.archive", actor=current_user, subject="group",
                         subject_id=group.id)
            flash(_("The group is archived. It is no longer on the public pages; its "
                    "history stays in the reports."), "info")
    return redirect(url_for("series.manage", group_id=group.id))
