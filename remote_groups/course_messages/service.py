"""Sending a message to a course's participants, and what each person keeps of it.

One mail per person through the outbox, never a list of recipients: nobody sees another
participant's address. Each gets the version in their own language (`rules.messages`),
with Reply-To the contact address `contact.contact_for` gives for the course. Functions
flush; the view commits once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..contact import contact_for
from ..courses.models import Application
from ..courses.service import course_title
from ..extensions import db
from ..groups.models import Group, Session
from ..mail.notify import queue_mail
from ..people.models import User
from ..rules.capacity import Status
from ..rules.messages import version_for
from .models import CourseMessage, MessageReceipt


@dataclass(frozen=True)
class Draft:
    """What the form gives: plain values, trimmed and validated."""

    subject_fi: str
    body_fi: str
    subject_sv: str
    body_sv: str
    session_id: int | None = None


def recipients(group: Group) -> list[Application]:
    """Accepted participants of the course whose data is not erased."""
    return list(db.session.scalars(
        select(Application).where(
            Application.group_id == group.id, Application.status == Status.ACCEPTED,
            Application.erased_at.is_(None), Application.email != "",
        ).order_by(Application.id)))


def send_message(group: Group, draft: Draft, author: User, now: datetime) -> CourseMessage:
    """Save the message, queue one mail per accepted participant and note each receipt."""
    session = db.session.get(Session, draft.session_id) if draft.session_id else None
    message = CourseMessage(
        group=group, session=session if session and session.group_id == group.id else None,
        author=author, subject_fi=draft.subject_fi, body_fi=draft.body_fi,
        subject_sv=draft.subject_sv, body_sv=draft.body_sv, sent_at=now)
    db.session.add(message)
    db.session.flush()
    people = recipients(group)
    for application in people:
        language = version_for(application.language, message.versions()) or "fi"
        subject, body = message.versions()[language]
        contact = contact_for(group, application.language)
        queue_mail(
            kind="course_message", recipient=application.email,
            language=application.language, template="course_message",
            subject=_l("%(title)s: %(subject)s"),
            subject_params={"title": course_title(group, application.language),
                            "subject": subject},
            reply_to=contact.email if contact else "",
            title=course_title(group, application.language), group=group,
            session=message.session, body=body, body_language=language,
            can_reply=bool(contact and contact.email),
            dedupe_key=f"course_message:{message.id}:{application.id}",
        )
        db.session.add(MessageReceipt(message=message, application=application,
                                      language=language))
    message.recipient_count = len(people)
    db.session.flush()
    return message


def sent_messages(group: Group) -> list[CourseMessage]:
    """The course's messages, newest first (the staff page)."""
    return list(db.session.scalars(
        select(CourseMessage).where(CourseMessage.group_id == group.id)
        .order_by(CourseMessage.sent_at.desc(), CourseMessage.id.desc())))


@dataclass(frozen=True)
class Received:
    """A message as the person got it: in the version sent to them."""

    sent_at: datetime
    subject: str
    body: str
    language: str
    session: Session | None


def received(application: Application) -> list[Received]:
    """What this person was sent, newest first."""
    rows = db.session.execute(
        select(CourseMessage, MessageReceipt.language)
        .join(MessageReceipt, MessageReceipt.message_id == CourseMessage.id)
        .where(MessageReceipt.application_id == application.id)
        .order_by(CourseMessage.sent_at.desc(), CourseMessage.id.desc()))
    out = []
    for message, language in rows:
        subject, body = message.versions().get(language, ("", ""))
        out.append(Received(message.sent_at, subject, body, language, message.session))
    return out


# --- data care ----------------------------------------------------------------------------

def export_receipts(app: Any, application: Application, **_: Any) -> Mapping[str, Any]:
    """The messages sent to the person, as they got them (signals.application_exporting)."""
    return {"messages_received": [
        {"sent_at": r.sent_at.isoformat(), "subject": r.subject, "body": r.body,
         "language": r.language, "session": r.session.id if r.session else None}
        for r in received(application)]}


def erase_receipts(app: Any, application: Application, now: datetime, **_: Any) -> None:
    """Forget that the person got the messages (signals.application_erasing). The texts
    stay: they are the course's, written by staff, and the other participants got them."""
    db.session.execute(delete(MessageReceipt)
                       .where(MessageReceipt.application_id == application.id)
                       .execution_options(synchronize_session=False))
