"""Self-assessment pages: answering at the start and at the end behind the private status
link (public), the course's scale and its report (staff)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from .. import audit
from ..courses.views import _by_status_token, _private
from ..courses.views import _managed_course as _course
from ..db_types import utcnow
from ..groups.models import Group
from ..people.access import can_manage_group, staff_required
from ..people.models import Role
from ..rules import assessment as rules
from ..rules.assessment import Phase, ScaleRange
from ..rules.capacity import Status
from ..transactions import unit_of_work
from . import service
from .forms import ActionForm, ItemForm, PresetForm, RangeForm

bp = Blueprint("assessment", __name__, url_prefix="/<lang>/my/<token>/assessment")
staff_bp = Blueprint("assessment_staff", __name__, url_prefix="/<lang>/staff/assessment")

PHASE_TITLES = {
    Phase.START: _l("Self-assessment at the start"),
    Phase.END: _l("Self-assessment at the end"),
}


def end_labels(scale_range: ScaleRange) -> tuple[str, str]:
    """The words at both ends of the scale, with their numbers."""
    if scale_range is ScaleRange.ZERO_TO_TEN:
        return _("0 = not at all"), _("10 = completely")
    return _("1 = not at all"), _("5 = very much")


# --- participants -------------------------------------------------------------------------

@bp.route("/start", methods=["GET", "POST"])
@unit_of_work
def start(token: str) -> Any:
    return _answer(token, Phase.START)


@bp.route("/end", methods=["GET", "POST"])
@unit_of_work
def end(token: str) -> Any:
    return _answer(token, Phase.END)


def _answer(token: str, chosen: Phase) -> Any:
    application = _by_status_token(token)  # the status link's own check: 404 if unknown
    scale = service.scale_of(application.group_id)
    if application.status != Status.ACCEPTED or scale is None or not scale.items:
        abort(404)
    now = utcnow()
    done = service.responses_of(application.id).get(chosen)
    win = service.phase_window(application.group_id, chosen)
    if done is not None or not rules.is_open(win, now):
        return _private(render_template(
            "assessment/closed.html", application=application, token=token, phase=chosen,
            title=PHASE_TITLES[chosen], done=done, window=win, now=now))
    form = ActionForm()  # the CSRF token; the radio buttons are read by the rule
    filled = None
    if request.method == "POST":
        filled = rules.read_answers(request.form, [i.id for i in scale.items], scale.scale_range)
        if form.validate_on_submit() and filled.ok:
            if service.store(application.id, application.group_id, chosen, filled.scores, now):
                flash(_("Thank you. Your answers were saved."), "success")
            return redirect(url_for("courses.status", token=token), code=303)
    status = 400 if filled is not None else 200
    return _private((render_template(
        "assessment/form.html", application=application, token=token, phase=chosen,
        title=PHASE_TITLES[chosen], scale=scale, filled=filled, form=form,
        labels=end_labels(scale.scale_range), window=win), status))


def status_section(application: Any, token: str, now: Any) -> Markup | str:
    """The status page's part: what to answer now, and what was answered."""
    if application.status != Status.ACCEPTED:
        return ""
    scale = service.scale_of(application.group_id)
    if scale is None or not scale.items:
        return ""
    done = service.responses_of(application.id)
    times = service.session_times(application.group_id)
    phases = []
    for phase in Phase:
        win = rules.window(phase, times)
        phases.append({"phase": phase, "title": PHASE_TITLES[phase], "done": done.get(phase),
                       "open": rules.is_open(win, now), "window": win,
                       "upcoming": win is not None and win.opens_at is not None
                       and now < win.opens_at})
    # An autoescaped template's output: safe to mark as HTML.
    return Markup(render_template("assessment/status_section.html",  # noqa: S704
                                  token=token, phases=phases, count=len(scale.items)))


# --- staff --------------------------------------------------------------------------------



def _audit(group: Group, what: str, **changes: Any) -> None:
    audit.record("assessment." + what, actor=current_user, subject="group", subject_id=group.id,
                 changes={k: [None, v] for k, v in changes.items()})


@staff_bp.route("/courses/<int:group_id>", methods=["GET", "POST"])
@staff_required(Role.COORDINATOR)
@unit_of_work
def scale(group_id: int) -> Any:
    """Pick a ready-made set, the numbers, and add, edit, move or remove statements; only
    while nobody has answered."""
    group = _course(group_id)
    locked = service.has_answers(group.id)
    current = service.scale_of(group.id)
    preset_form = PresetForm(prefix="preset")
    range_form = RangeForm(prefix="range")
    action_form = ActionForm(prefix="item")
    if request.method == "GET" and current is not None:
        range_form.scale_range.data = current.scale_range.value
        preset_form.preset.data = current.preset or None
    if request.method == "POST" and not locked:
        kind = request.form.get("form")
        if kind == "preset" and preset_form.validate_on_submit():
            service.use_preset(group, preset_form.preset.data)
            _audit(group, "preset", preset=preset_form.preset.data)
            flash(_("The ready-made set is now in use."), "success")
            return redirect(url_for(".scale", group_id=group.id), code=303)
        if kind == "range" and range_form.validate_on_submit():
            service.set_range(group, ScaleRange(range_form.scale_range.data))
            _audit(group, "range", scale_range=range_form.scale_range.data)
            flash(_("The numbers were saved."), "success")
            return redirect(url_for(".scale", group_id=group.id), code=303)
        if kind == "item" and action_form.validate_on_submit():
            action, _sep, raw_id = (request.form.get("action") or "").partition(":")
            if action not in ("up", "down", "remove") or not raw_id.isascii() \
                    or not raw_id.isdigit():
                abort(400)
            try:
                service.change_item(group, int(raw_id), action)
            except LookupError:
                abort(404)
            _audit(group, "item_" + action, item=int(raw_id))
            return redirect(url_for(".scale", group_id=group.id), code=303)
    elif request.method == "POST":
        flash(_("The statements cannot be changed: participants have already answered."),
              "error")
        return redirect(url_for(".scale", group_id=group.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "assessment/scale.html", group=group, scale=current, locked=locked,
        preset_form=preset_form, range_form=range_form, action_form=action_form,
        counts=service.answer_counts(group.id), presets=rules.PRESETS,
        labels=end_labels(current.scale_range) if current else None), status


@staff_bp.route("/courses/<int:group_id>/items/new", methods=["GET", "POST"])
@staff_bp.route("/courses/<int:group_id>/items/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.COORDINATOR)
@unit_of_work
def edit_item(group_id: int, item_id: int | None = None) -> Any:
    group = _course(group_id)
    if service.has_answers(group.id):
        flash(_("The statements cannot be changed: participants have already answered."),
              "error")
        return redirect(url_for(".scale", group_id=group.id), code=303)
    current = service.scale_of(group.id)
    item = None
    if item_id is not None:
        item = next((i for i in (current.items if current else []) if i.id == item_id), None)
        if item is None:
            abort(404)
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        try:
            saved = service.save_item(group, item_id, form.text_fi.data.strip(),
                                      form.text_sv.data.strip(),
                                      (form.text_en.data or "").strip())
        except OverflowError:
            form.text_fi.errors = [_("A scale can have at most %(n)s statements.",
                                     n=rules.MAX_ITEMS)]
        else:
            _audit(group, "item_saved", item=saved.id)
            flash(_("The statement was saved."), "success")
            return redirect(url_for(".scale", group_id=group.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("assessment/edit_item.html", group=group, item=item,
                           form=form), status


@staff_bp.get("/courses/<int:group_id>/report")
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
def report(group_id: int) -> str:
    group = _course(group_id)
    current = service.scale_of(group.id)
    return render_template("assessment/report.html", group=group, scale=current,
                           rows=service.course_changes(group.id),
                           counts=service.answer_counts(group.id), min_pairs=rules.MIN_PAIRS)


def course_links(group: Group) -> list[tuple[str, str]]:
    """Links from a course's staff pages."""
    if not can_manage_group(current_user, {ga.area_id for ga in group.group_areas}):
        return []
    links = [(_("Self-assessment: report"),
              url_for("assessment_staff.report", group_id=group.id))]
    if current_user.role in (Role.COORDINATOR, Role.ADMIN):
        links.insert(0, (_("Self-assessment: statements"),
                         url_for("assessment_staff.scale", group_id=group.id)))
    return links
