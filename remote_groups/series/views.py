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

from .. import dates
from ..db_types import MAX_ID, utcnow
from ..extensions import db
from ..groups.models import Group, GroupArea, GroupKind, InstructionLanguage, Session, Theme
from ..groups.queries import group_with_sessions
from ..i18n import current_language
from ..people.access import can_manage_group, staff_required
from ..people.models import Area, Role, User
from ..rules.rotation import SeriesError, holiday_name
from ..transactions import unit_of_work
from . import service
from .forms import (
    ConfirmForm,
    ExtraSessionForm,
    GroupForm,
    HostForm,
    SeriesForm,
    area_choices,
    facilitator_label,
)
from .messages import FORM_FIELD, message
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
    texts = [
        _("%(name)s already has another session at that time: %(group)s, %(when)s.",
          name=c.person.full_name,
          group=_group_title(c.other.group, lang),
          when=dates.moment(c.other.starts_at, lang))
        for c in error.clashes
    ]
    form.facilitators.errors = [*form.facilitators.errors, *texts]


def _group_title(group: Group, lang: str) -> str:
    from ..i18n import localized

    return localized(group, "title", lang)[0]


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
    areas = list(db.session.scalars(select(Area).order_by(Area.name_fi)))
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
        flash(_("The group is saved. Next, plan its meetings."), "info")
        return redirect(url_for("series.plan", group_id=group.id))
    return render_template("series/group_form.html", form=form)


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
    ok = True
    if not ((form.title_fi.data or "").strip() or (form.title_sv.data or "").strip()):
        form.title_fi.errors.append(_("Give the title in Finnish or in Swedish."))
        ok = False
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
    if form.kind.data == GroupKind.CLOSED:
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
                           in_series=in_series, now=utcnow(), confirm=ConfirmForm())


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
                return _save(form, group)
            flash(_("You changed the form after the preview. Check the new preview and save "
                    "again."), "info")
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


def _save(form: SeriesForm, group: Group) -> Response:
    service.save_series(group, form.to_spec(), _users(form.facilitators.data), utcnow())
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
    form = ConfirmForm()
    if form.validate_on_submit():
        service.cancel_session(session)
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
        done, _result = _attempt(form, lambda: service.change_host(
            session, form.host.data, _users(form.facilitators.data)))
        if done:
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
