"""Staff: write to a course's participants and see what was sent. Participants: the
messages section of their private status page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from .. import audit
from ..courses.models import Application
from ..courses.views import _managed_course
from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Group, Session
from ..i18n import session_when
from ..people.access import can_manage_group, staff_required
from ..people.models import Role
from ..transactions import unit_of_work
from . import service
from .forms import MessageForm

staff_bp = Blueprint("course_messages", __name__, url_prefix="/<lang>/staff/courses")


def _may_write(user: Any, group: Group) -> bool:
    return bool(user.is_authenticated and user.role in (Role.FACILITATOR, Role.COORDINATOR,
                                                         Role.ADMIN)
                and can_manage_group(user, {ga.area_id for ga in group.group_areas}))




def _session_choices(group: Group) -> list[SelectChoice]:
    sessions = db.session.scalars(
        select(Session).where(Session.group_id == group.id).order_by(Session.starts_at))
    return [SelectChoice(0, _("The whole course")),
            *(SelectChoice(s.id, _("Session: %(when)s", when=str(session_when(s))))
              for s in sessions)]


@staff_bp.route("/<int:group_id>/messages", methods=["GET", "POST"])
@staff_required(Role.FACILITATOR, Role.COORDINATOR)
@unit_of_work
def messages(group_id: int) -> Any:
    group = _managed_course(group_id)
    form = MessageForm()
    form.session.choices = _session_choices(group)
    people = service.recipients(group)
    if form.validate_on_submit():
        if not people:
            flash(_("Nobody has been accepted yet. The message was not sent."), "error")
        else:
            draft = service.Draft(
                subject_fi=form.subject_fi.data or "", body_fi=form.body_fi.data or "",
                subject_sv=form.subject_sv.data or "", body_sv=form.body_sv.data or "",
                session_id=form.session.data or None)
            message = service.send_message(group, draft, current_user, utcnow())
            audit.record("course.message", actor=current_user, subject="group",
                         subject_id=group.id,
                         changes={"message": [None, message.id],
                                  "session": [None, message.session_id],
                                  "recipients": [0, message.recipient_count]})
            flash(_("Sent to %(count)d participants.", count=message.recipient_count),
                  "success")
            return redirect(url_for("course_messages.messages", group_id=group.id), code=303)
    return render_template("course_messages/staff.html", group=group, form=form,
                           recipient_count=len(people), sent=service.sent_messages(group))


# --- receivers ----------------------------------------------------------------------------

def staff_links(app: Any, group: Group, **_kwargs: Any) -> list[tuple[str, str]]:
    """The link from a course's staff pages (signals.course_staff_links)."""
    if not _may_write(current_user, group):
        return []
    return [(_("Messages to participants"),
             url_for("course_messages.messages", group_id=group.id))]


def status_section(app: Any, application: Application, token: str, now: datetime,
                   **_kwargs: Any) -> Markup | str:
    """The participant's messages on their status page (signals.status_page_sections)."""
    items = service.received(application)
    if not items:
        return ""
    # Rendered by Jinja with autoescaping: the texts in it are escaped.
    return Markup(render_template(  # noqa: S704
        "course_messages/_status_section.html", items=items))
