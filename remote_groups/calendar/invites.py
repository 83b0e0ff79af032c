"""Invites, updates and cancellations for sessions, put in the outbox.

This is where a Session meets the calendar builder (`ics`) and the outbox (`mail.outbox`):
it decides who gets what (facilitators as chairs, participants from the features that have
them), renders the mail in each recipient's language, and queues it in the caller's
transaction. Nothing is sent here; the worker sends later."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import dates
from ..db_types import utcnow
from ..groups.models import Session
from ..i18n import localized
from ..links import external_url
from ..mail.models import OutboxMessage
from ..mail.outbox import Message, enqueue
from . import ics


@dataclass(frozen=True)
class Recipient:
    """Someone whose calendar holds the session."""

    email: str
    name: str
    language: str  # fi, sv or en: the language of the mail and the calendar text
    chair: bool  # a facilitator
    join_url: str | None = None  # personal link (course participants); else the public page
    # Reminder opt-in (mail/reminders.py): facilitators are always reminded; a participant
    # only when their feature sets this from what they chose (e.g. a course application's
    # "remind me" box).
    reminders: bool = False


ParticipantSource = Callable[[Session], list[Recipient]]
_participant_sources: list[ParticipantSource] = []


def register_participant_source(source: ParticipantSource) -> None:
    """Features with participants (closed courses) tell the calendar who they are, so this
    module needs no knowledge of applications."""
    if source not in _participant_sources:
        _participant_sources.append(source)


def public_join_url(session: Session, lang: str) -> str:
    """The join page, the one link calendars and mails carry: it never expires and never
    holds a token, and it shows the phone numbers when video fails."""
    return external_url("public.join", lang=lang, session_id=session.id)


def facilitator_recipients(session: Session) -> list[Recipient]:
    return [
        Recipient(email=u.email, name=u.full_name, language=u.language, chair=True)
        for u in session.facilitators
    ]


def participant_recipients(session: Session) -> list[Recipient]:
    recipients: list[Recipient] = []
    for source in _participant_sources:
        recipients.extend(source(session))
    return recipients


def _summary(session: Session, lang: str) -> str:
    title, _lang = localized(session.group, "title", lang)
    return title


def _description(session: Session, lang: str, join_url: str) -> str:
    """Plain text that a calendar shows under the title: what, who hosts, how to join."""
    topic, _lang = localized(session, "topic", lang)
    lines = [topic] if topic else []
    lines.append(_("Host: %(area)s", area=session.host_area.name(lang)))
    if session.facilitators:
        names = ", ".join(u.first_name for u in session.facilitators)
        lines.append(_("Facilitators: %(names)s", names=names))
    lines += ["", _("Join by video or by phone on this page:"), join_url]
    return "\n".join(lines)


def session_event(session: Session, lang: str, join_url: str) -> ics.EventData:
    """The session as calendar data in one language. Call inside `force_locale(lang)` when
    the texts must be translated (the functions here do)."""
    return ics.EventData(
        uid=session.uid,
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=_summary(session, lang),
        description=_description(session, lang, join_url),
        url=join_url,
        location=join_url,
        cancelled=session.is_cancelled,
        last_modified=session.updated_at or session.created_at or utcnow(),
        conferences=(ics.Conference(uri=join_url, feature="VIDEO", label=_("Video and phone")),),
        attendees=tuple(
            ics.Attendee(email=r.email, name=r.name, chair=True, language=r.language)
            for r in facilitator_recipients(session)
        ),
    )


def _organizer() -> tuple[str, str]:
    return current_app.config["MAIL_FROM"], current_app.config["MAIL_FROM_NAME"]


def _when(session: Session) -> str:
    return dates.session_span(session.starts_at, session.ends_at)


def _queue(session: Session, recipient: Recipient, kind: str) -> OutboxMessage:
    lang = recipient.language
    with force_locale(lang):
        join_url = recipient.join_url or public_join_url(session, lang)
        event = session_event(session, lang, join_url)
        attendee = ics.Attendee(email=recipient.email, name=recipient.name,
                                chair=recipient.chair, language=lang)
        if kind == "cancel":
            calendar = ics.cancellation(event, attendee, _organizer(), utcnow())
            method = ics.CANCEL
        else:
            calendar = ics.invite(event, attendee, _organizer(), utcnow())
            method = ics.REQUEST
        title = event.summary
        when = _when(session)
        subjects = {
            "invite": _("Invitation: %(title)s, %(when)s", title=title, when=when),
            "update": _("Changed: %(title)s, %(when)s", title=title, when=when),
            "cancel": _("Cancelled: %(title)s, %(when)s", title=title, when=when),
        }
        context = {"session": session, "title": title, "when": when, "kind": kind,
                   "join_url": join_url, "recipient": recipient,
                   "host": session.host_area.name(lang),
                   "topic": localized(session, "topic", lang)[0]}
        text = render_template("mail/session_invite.txt", **context)
        html = render_template("mail/session_invite.html", **context, lang=lang)
    return enqueue(Message(
        kind=kind, recipient=recipient.email, language=lang, subject=subjects[kind],
        body_text=text, body_html=html, ics=calendar.decode("utf-8"), ics_method=method,
    ))


def queue_invite(session: Session, recipient: Recipient, *, update: bool = False) -> OutboxMessage:
    """METHOD:REQUEST: a first invite, or (update=True) the same UID with the current
    SEQUENCE after a change."""
    return _queue(session, recipient, "update" if update else "invite")


def queue_cancellation(session: Session, recipient: Recipient) -> OutboxMessage:
    """METHOD:CANCEL: the session is cancelled, or this person is no longer on it."""
    return _queue(session, recipient, "cancel")


def current_recipients(session: Session) -> list[Recipient]:
    return facilitator_recipients(session) + participant_recipients(session)


def queue_session_changed(session: Session, *, removed: Sequence[Recipient] = ()) -> int:
    """After `session.bump_sequence()`: an updated REQUEST to everyone now on the session and
    a CANCEL to each removed person (a facilitator swapped out keeps no stale entry)."""
    if session.is_cancelled:
        return queue_session_cancelled(session, also=removed)
    now_on = current_recipients(session)
    emails = {r.email for r in now_on}
    for recipient in now_on:
        queue_invite(session, recipient, update=True)
    gone = [r for r in removed if r.email not in emails]
    for recipient in gone:
        queue_cancellation(session, recipient)
    return len(now_on) + len(gone)


def queue_session_cancelled(session: Session, *, also: Sequence[Recipient] = ()) -> int:
    """CANCEL to everyone on the session (and to `also`, people just taken off it)."""
    recipients = {r.email: r for r in [*current_recipients(session), *also]}
    for recipient in recipients.values():
        queue_cancellation(session, recipient)
    return len(recipients)
