"""The admin pages: staff accounts (admins, and coordinators for their own area), areas
(admins) and the audit log (admins).

Every change is refused or done as a whole (one transaction per request, `unit_of_work`);
refused changes show their message next to the field and keep what was typed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from .. import audit
from ..extensions import db
from ..i18n import current_language
from ..transactions import unit_of_work
from . import accounts
from .access import staff_required
from .accounts import AccountError, Profile
from .admin_forms import AreaForm, PersonForm, role_label
from .models import Area, FacilitatorKind, Role, User

bp = Blueprint("staff_admin", __name__, url_prefix="/<lang>/staff")

admins_only = staff_required(Role.ADMIN)
account_managers = staff_required(Role.COORDINATOR)


class ActionForm(FlaskForm):
    """Only the CSRF token: the person is in the URL."""


# --- staff accounts ------------------------------------------------------------------------


def _person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    if not accounts.may_manage(current_user, person):
        abort(403)
    return person


def _fill_choices(form: PersonForm, person: User | None) -> None:
    lang = current_language()
    form.role.choices = [(r.value, role_label(r)) for r in accounts.roles_for(current_user)]
    areas = accounts.areas_for(current_user)
    if person is not None and person.area_id not in {a.id for a in areas}:
        areas = [person.area, *areas]
    form.area_id.choices = [("", _("Choose an area"))] + [(a.id, a.name(lang)) for a in areas]


def _profile(form: PersonForm) -> Profile:
    role = Role(form.role.data) if form.role.data in {r.value for r in Role} else None
    if role is None:
        raise AccountError("role", _("Choose a role."))
    return Profile(
        email=(form.email.data or "").strip().lower(),
        first_name=form.first_name.data or "", last_name=form.last_name.data or "",
        role=role, area_id=int(form.area_id.data or 0),
        facilitator_kind=FacilitatorKind(form.facilitator_kind.data)
        if form.facilitator_kind.data in {k.value for k in FacilitatorKind} else None,
        language=form.language.data if form.language.data in ("fi", "sv", "en") else "fi")


def _show(form: FlaskForm, error: AccountError) -> None:
    target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


@bp.get("/people/")
@account_managers
def people() -> str:
    return render_template("admin/people.html", people=accounts.people_for(current_user),
                           lang=current_language())


@bp.route("/people/invite", methods=["GET", "POST"])
@account_managers
@unit_of_work
def invite() -> str | Response:
    form = PersonForm()
    _fill_choices(form, None)
    if form.is_submitted() and not form.area_id.data and current_user.role != Role.ADMIN:
        form.area_id.data = current_user.area_id
    if form.validate_on_submit():
        try:
            person = accounts.invite(current_user, _profile(form))
        except AccountError as error:
            _show(form, error)
        else:
            flash(_("The invitation is on its way to %(email)s. The link works for 7 days.",
                    email=person.email), "info")
            return redirect(url_for("staff_admin.people"))
    elif not form.is_submitted() and current_user.role != Role.ADMIN:
        form.area_id.data = current_user.area_id
    return render_template("admin/invite.html", form=form)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@account_managers
@unit_of_work
def person(user_id: int) -> str | Response:
    found = _person_or_404(user_id)
    form = PersonForm(obj=found if request.method == "GET" else None)
    _fill_choices(form, found)
    if not form.is_submitted():
        form.role.data = found.role.value
        form.facilitator_kind.data = (found.facilitator_kind or FacilitatorKind.PROFESSIONAL).value
    if form.validate_on_submit():
        try:
            result = accounts.change(current_user, found, _profile(form))
        except AccountError as error:
            _show(form, error)
        else:
            flash(_("The changes are saved."), "info")
            _flash_step_down(result)
            return redirect(url_for("staff_admin.person", user_id=found.id))
    return render_template("admin/person.html", form=form, person=found, action=ActionForm(),
                           history=audit.entries("user", found.id, limit=50),
                           names=_names_of_actors())


def _flash_step_down(result: accounts.SteppedDown) -> None:
    if result.sessions:
        flash(_("Taken off %(num)s upcoming sessions. Their other facilitators and "
                "participants got an updated invitation. Check that each still has a "
                "facilitator.", num=len(result.sessions)), "info")
    if result.withdrawn_requests:
        flash(_("Open swap requests withdrawn: %(num)s.", num=result.withdrawn_requests), "info")


@bp.post("/people/<int:user_id>/deactivate")
@account_managers
@unit_of_work
def deactivate(user_id: int) -> Response:
    found = _person_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            result = accounts.deactivate(current_user, found)
        except AccountError as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s can no longer sign in.", name=found.full_name), "info")
            _flash_step_down(result)
    return redirect(url_for("staff_admin.person", user_id=found.id))


@bp.post("/people/<int:user_id>/reactivate")
@account_managers
@unit_of_work
def reactivate(user_id: int) -> Response:
    found = _person_or_404(user_id)
    if ActionForm().validate_on_submit():
        accounts.reactivate(current_user, found)
        flash(_("%(name)s can sign in again.", name=found.full_name), "info")
    return redirect(url_for("staff_admin.person", user_id=found.id))


@bp.post("/people/<int:user_id>/invite-again")
@account_managers
@unit_of_work
def invite_again(user_id: int) -> Response:
    found = _person_or_404(user_id)
    if ActionForm().validate_on_submit() and found.active:
        accounts.send_invitation(found, current_user)
        audit.record("user.invite_again", actor=current_user, subject="user",
                     subject_id=found.id)
        flash(_("A new link is on its way to %(email)s.", email=found.email), "info")
    return redirect(url_for("staff_admin.person", user_id=found.id))


def _names_of_actors() -> Any:
    def name(user: User | None) -> str:
        return user.full_name if user is not None else _("a command at the server")

    return name


# --- areas ---------------------------------------------------------------------------------


AREA_FIELDS = ("code", "name_fi", "name_sv", "languages", "active", "contact_phone",
               "contact_email", "contact_hours_fi", "contact_hours_sv", "contact_hours_en")


@bp.get("/areas/")
@admins_only
def areas() -> str:
    counts = dict(db.session.execute(
        select(User.area_id, func.count()).where(User.active.is_(True)).group_by(User.area_id)
    ).all())
    return render_template("admin/areas.html", counts=counts, areas=list(db.session.scalars(
        select(Area).order_by(Area.active.desc(), Area.name_fi))))


def _save_area(form: AreaForm, area: Area) -> bool:
    """Copy the form into the area; False (with a message at the field) when refused."""
    code = (form.code.data or "").strip()
    taken = db.session.scalar(select(Area.id).where(Area.code == code))
    if taken is not None and taken != area.id:
        form.code.errors = [*form.code.errors, _("Another area has this code.")]
        return False
    if area.id is None:
        area.code = code
    for name in ("name_fi", "name_sv", "contact_phone", "contact_email", "contact_hours_fi",
                 "contact_hours_sv", "contact_hours_en"):
        setattr(area, name, (getattr(form, name).data or "").strip())
    area.languages = ",".join(c for c in ("fi", "sv") if c in (form.languages.data or []))
    area.active = bool(form.active.data)
    return True


@bp.route("/areas/new", methods=["GET", "POST"])
@admins_only
@unit_of_work
def new_area() -> str | Response:
    form = AreaForm()
    if form.validate_on_submit():
        area = Area()
        if _save_area(form, area):
            db.session.add(area)
            db.session.flush()
            audit.record("area.create", actor=current_user, subject="area", subject_id=area.id,
                         changes=audit.diff({}, audit.snapshot(area, AREA_FIELDS)))
            flash(_("The area is added."), "info")
            return redirect(url_for("staff_admin.areas"))
    elif not form.is_submitted():
        form.languages.data = ["fi"]
    return render_template("admin/area.html", form=form, area=None)


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@admins_only
@unit_of_work
def area(area_id: int) -> str | Response:
    found = db.session.get(Area, area_id)
    if found is None:
        abort(404)
    form = AreaForm()
    form.code.data = found.code  # the code is fixed: staff, commands and links refer to it
    if not form.is_submitted():
        form.process(obj=found)
        form.languages.data = list(found.language_codes)
    if form.validate_on_submit():
        before = audit.snapshot(found, AREA_FIELDS)
        if _save_area(form, found):
            changes = audit.diff(before, audit.snapshot(found, AREA_FIELDS))
            if changes:
                audit.record("area.change", actor=current_user, subject="area",
                             subject_id=found.id, changes=changes)
            flash(_("The changes are saved."), "info")
            return redirect(url_for("staff_admin.areas"))
    return render_template("admin/area.html", form=form, area=found)


# --- audit log -----------------------------------------------------------------------------


@bp.get("/audit")
@admins_only
def audit_log() -> str:
    entries = audit.entries(limit=300)
    users = {u.id: u.full_name for u in db.session.scalars(select(User))}
    areas_by_id = {a.id: a.name(current_language()) for a in db.session.scalars(select(Area))}
    return render_template("admin/audit.html", entries=entries, users=users,
                           areas=areas_by_id, actor_name=_names_of_actors())
