"""The outbox for admins: how many messages wait, went out or failed, why the failed ones
failed, and a button to try one again now (e.g. after the mail server was fixed).

Only the admin role sees this page: the outbox holds people's addresses. It lists waiting,
failed and recently sent messages with their recipient, a translated kind, language and
times (never a subject or body: those can carry a course's or a person's details)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select, update
from werkzeug.wrappers import Response

from ..db_types import utcnow
from ..extensions import db
from ..people.access import staff_required
from ..people.models import Role
from ..transactions import unit_of_work
from .models import OutboxMessage, OutboxStatus

bp = Blueprint("outbox", __name__, url_prefix="/<lang>/staff/outbox")

FAILED_SHOWN = 100
LISTED = 50

#: What each kind of message is, in the admin's language. A kind not listed shows as is.
KIND_NAMES = {
    "invite": _l("Invitation to a session"),
    "update": _l("Changed session"),
    "cancel": _l("Cancelled session"),
    "removed": _l("Taken off a session"),
    "left": _l("Left a course"),
    "course_cancelled": _l("Cancelled course"),
    "reminder": _l("Reminder of a session"),
    "password_reset": _l("Password reset link"),
    "password_no_account": _l("No staff account at this address"),
    "staff_invite": _l("Invitation to a staff account"),
    "swap_request": _l("Swap request"),
    "swap_answer": _l("Answer to a swap request"),
    "course_application": _l("Application received"),
    "course_decision": _l("Decision on an application"),
    "course_link": _l("New private link"),
    "course_change": _l("Confirmation of a repeated application"),
    "course_survey": _l("Course survey"),
    "sms_consent": _l("Text message: reminders chosen"),
    "sms_subscribed": _l("Text message: reminder ordered"),
    "sms_reminder": _l("Text message: reminder of a session"),
    "sms_accepted": _l("Text message: place on a course"),
    "sms_cancel": _l("Text message: cancelled session"),
    "sms_move": _l("Text message: moved session"),
    "sms_survey": _l("Text message: course survey"),
    "course_offer": _l("Offer of a free place"),
    "course_offer_lapsed": _l("Offer of a free place ended unanswered"),
    "exchange_notice": _l("News on the exchange board"),
}


def mail_kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


class RetryForm(FlaskForm):
    """Only the CSRF token: the message id is in the URL."""


def status_counts() -> dict[OutboxStatus, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({OutboxStatus(status): n for status, n in rows})
    return counts


def retry_now(message_id: int) -> bool:
    """A failed (or waiting) message goes back in line with a fresh set of attempts."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id,
               OutboxMessage.status.in_([OutboxStatus.FAILED, OutboxStatus.PENDING]),
               # A text that failed for good has lost its number: nothing to send again.
               or_(OutboxMessage.channel != "sms", OutboxMessage.recipient != ""))
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(),
                claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


@bp.get("/")
@staff_required(Role.ADMIN)
def index() -> str:
    failed = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc())
        .limit(FAILED_SHOWN)
    ).all()
    waiting = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(LISTED)
    ).all()
    sent = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(LISTED)
    ).all()
    return render_template("outbox/index.html", counts=status_counts(), failed=failed,
                           waiting=waiting, sent=sent, listed=LISTED,
                           form=RetryForm(), statuses=list(OutboxStatus))


@bp.post("/<int:message_id>/retry")
@staff_required(Role.ADMIN)
@unit_of_work
def retry(message_id: int) -> Response:
    form = RetryForm()
    if form.validate_on_submit() and retry_now(message_id):
        flash(_("Message %(id)s will be sent again within a minute.", id=message_id), "info")
    else:
        flash(_("That message cannot be sent again. It may have been sent already."), "error")
    return redirect(url_for("outbox.index"))
