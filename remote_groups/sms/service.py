"""Text messages: consent on a course, reminders for open groups, stop links, reminders
queued by the worker, and data care. Everything works in the caller's transaction; views
and the worker commit."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select, true
from sqlalchemy.exc import IntegrityError

from ..calendar.invites import Phone, phone_for, public_join_url
from ..courses.crypto import token_hash
from ..courses.models import Application
from ..extensions import db
from ..groups.models import Group, GroupKind, Session, SessionStatus
from ..i18n import localized
from ..links import external_url
from ..mail.models import OutboxMessage, OutboxStatus
from ..mail.outbox import Message, enqueue
from ..mail.reminders import LONGEST, due_window
from ..rules.capacity import Status
from ..rules.sms import send_time
from . import texts
from .models import ReminderWay, StopLink, TextChoice, TextSubscription
from .provider import sms_configured

log = logging.getLogger(__name__)

STOP_TOKEN_BYTES = 12  # 96 bits: short enough for a text, never guessed


def texts_enabled() -> bool:
    return sms_configured(current_app.config)


def _digest(mobile: str) -> str:
    return hashlib.sha256(mobile.encode()).hexdigest()[:24]


def stop_url(lang: str, *, choice: TextChoice | None = None,
             subscription: TextSubscription | None = None) -> str:
    """A new one-tap stop link for one text (only its hash is kept)."""
    token = secrets.token_urlsafe(STOP_TOKEN_BYTES)
    db.session.add(StopLink(token_hash=token_hash(token), language=lang,
                            choice_id=choice.id if choice else None,
                            subscription_id=subscription.id if subscription else None))
    return external_url("sms.stop_short", token=token)


def queue_text(*, kind: str, mobile: str, lang: str, text: str, now: datetime,
               session_starts_at: datetime | None = None,
               dedupe_key: str | None = None) -> OutboxMessage:
    """Put one text in the outbox, held until 08:00 when it falls in the quiet hours."""
    return enqueue(Message(
        kind=kind, recipient=mobile, language=lang, subject="", body_text=text,
        channel="sms", dedupe_key=dedupe_key,
        next_attempt_at=send_time(now, session_starts_at),
    ))


def drop_pending(mobile: str) -> int:
    """Texts to this number that are still waiting are not sent (consent withdrawn)."""
    if not mobile:
        return 0
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.channel == "sms", OutboxMessage.recipient == mobile,
            OutboxMessage.status == OutboxStatus.PENDING,
        ).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- course applicants: the choice ---------------------------------------------------------

def choice_for(application: Application) -> TextChoice | None:
    return db.session.scalar(select(TextChoice).where(
        TextChoice.application_id == application.id))


def current_way(application: Application, choice: TextChoice | None) -> ReminderWay:
    texts_on = bool(choice and choice.texts and choice.mobile)
    if application.wants_reminders:
        return ReminderWay.BOTH if texts_on else ReminderWay.EMAIL
    return ReminderWay.SMS if texts_on else ReminderWay.NONE


def save_choice(application: Application, way: ReminderWay, mobile: str,
                now: datetime) -> TextChoice:
    """Store how the person wants reminders, and when they chose. E-mail reminders are the
    application's own flag; texts need a mobile number (validated by the form)."""
    choice = choice_for(application)
    if choice is None:
        choice = TextChoice(application=application, application_id=application.id)
        db.session.add(choice)
    texts_on = way in (ReminderWay.SMS, ReminderWay.BOTH)
    was_on = choice.texts and bool(choice.mobile)
    old_mobile = choice.mobile
    application.wants_reminders = way in (ReminderWay.EMAIL, ReminderWay.BOTH)
    choice.texts = texts_on
    choice.mobile = mobile if texts_on else ""
    choice.chosen_way = way
    choice.chosen_at = now
    if old_mobile and (not texts_on or old_mobile != choice.mobile):
        drop_pending(old_mobile)
    db.session.flush()
    if texts_on and (not was_on or old_mobile != choice.mobile):
        lang = application.language
        queue_text(kind="sms_consent", mobile=choice.mobile, lang=lang, now=now,
                   text=texts.consent_given(lang, localized(application.group, "title", lang)[0],
                                            stop_url(lang, choice=choice)))
    return choice


# --- open groups: reminders without signing up --------------------------------------------

def next_sessions(group: Group, now: datetime, limit: int) -> list[Session]:
    return list(db.session.scalars(
        select(Session).where(Session.group_id == group.id, Session.starts_at > now,
                              Session.status == SessionStatus.SCHEDULED)
        .order_by(Session.starts_at).limit(limit)))


def subscribe(session: Session, mobile: str, lang: str, now: datetime, *,
              whole_group: bool) -> TextSubscription | None:
    """Remind this number of one session, or of the group's next sessions (up to
    SMS_OPEN_GROUP_SESSIONS). None when nothing is ahead."""
    group = session.group
    if whole_group:
        sessions = next_sessions(group, now, int(current_app.config["SMS_OPEN_GROUP_SESSIONS"]))
    else:
        sessions = [session] if session.starts_at > now and not session.is_cancelled else []
    if not sessions:
        return None
    subscription = TextSubscription(
        group=group, group_id=group.id, session_id=None if whole_group else session.id,
        last_starts_at=sessions[-1].starts_at, mobile=mobile, language=lang, created_at=now)
    db.session.add(subscription)
    db.session.flush()
    title = localized(group, "title", lang)[0]
    queue_text(kind="sms_subscribed", mobile=mobile, lang=lang, now=now,
               session_starts_at=sessions[0].starts_at,
               text=texts.subscribed(lang, title, len(sessions),
                                     stop_url(lang, subscription=subscription)))
    return subscription


# --- stop links ----------------------------------------------------------------------------

def stop_link(token: str) -> StopLink | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(StopLink).where(StopLink.token_hash == token_hash(token)))


def stop(link: StopLink, now: datetime) -> None:
    """No more texts: a course applicant's texts are switched off (e-mail stays as chosen);
    a visitor's open-group reminders and their number are deleted."""
    if link.choice_id is not None:
        choice = db.session.get(TextChoice, link.choice_id)
        if choice is not None:
            drop_pending(choice.mobile)
            way = (ReminderWay.EMAIL if choice.application.wants_reminders
                   else ReminderWay.NONE)
            choice.texts, choice.mobile, choice.chosen_way, choice.chosen_at = (
                False, "", way, now)
    if link.subscription_id is not None:
        subscription = db.session.get(TextSubscription, link.subscription_id)
        if subscription is not None:
            mobile = subscription.mobile
            drop_pending(mobile)
            for other in db.session.scalars(select(TextSubscription).where(
                    TextSubscription.mobile == mobile)):
                _delete_subscription(other)
    db.session.flush()


def _delete_subscription(subscription: TextSubscription) -> None:
    # Explicit: SQLite keeps foreign keys only when asked to, so no reliance on cascades.
    db.session.execute(delete(StopLink).where(StopLink.subscription_id == subscription.id)
                       .execution_options(synchronize_session=False))
    db.session.delete(subscription)


# --- reminders, queued by the worker -------------------------------------------------------

@dataclass(frozen=True)
class _Reader:
    mobile: str
    lang: str
    join_url: str
    choice: TextChoice | None = None
    subscription: TextSubscription | None = None


def _course_readers(session: Session) -> list[_Reader]:
    from ..courses.service import personal_join_url

    rows = db.session.execute(
        select(Application, TextChoice)
        .join(TextChoice, TextChoice.application_id == Application.id)
        .where(Application.group_id == session.group_id, Application.status == Status.ACCEPTED,
               Application.erased_at.is_(None), TextChoice.texts.is_(True),
               TextChoice.mobile != "")
        .order_by(Application.id))
    return [_Reader(c.mobile, a.language, personal_join_url(a, session), choice=c)
            for a, c in rows]


def _subscribers(session: Session, *, include_past: bool = False) -> list[_Reader]:
    """Visitors reminded of this session by text (``include_past``: also those whose
    request covered it before it moved later than their last session)."""
    rows = db.session.scalars(select(TextSubscription).where(
        TextSubscription.group_id == session.group_id,
        true() if include_past else TextSubscription.created_at < session.starts_at,
        or_(TextSubscription.session_id == session.id,
            (TextSubscription.session_id.is_(None))
            & (TextSubscription.last_starts_at >= session.starts_at)),
    ).order_by(TextSubscription.id))
    return [_Reader(s.mobile, s.language, public_join_url(session, s.language), subscription=s)
            for s in rows]


def dedupe_key(session: Session, window: str, mobile: str) -> str:
    start = f"{session.starts_at.astimezone(UTC):%Y%m%dT%H%M}"
    return f"sms:{session.uid}:{start}:{window}:{_digest(mobile)}"


def _upcoming(now: datetime) -> list[Session]:
    return list(db.session.scalars(
        select(Session).where(Session.status == SessionStatus.SCHEDULED,
                              Session.starts_at > now, Session.starts_at <= now + LONGEST)
        .order_by(Session.starts_at)))


def queue_due_texts(now: datetime) -> int:
    """Queue every text reminder due at ``now`` (the same windows as the mail reminders),
    once per number and session; then forget the open-group numbers whose last reminder is
    queued. The caller commits."""
    if not texts_enabled():
        return 0
    added = 0
    phones: dict[int, Phone | None] = {}
    for session in _upcoming(now):
        window = due_window(session.starts_at, session.created_at, now)
        if window is None:
            continue
        readers = _subscribers(session)
        if session.group.kind == GroupKind.CLOSED:
            readers = _course_readers(session) + readers
        for reader in readers:
            key = dedupe_key(session, window, reader.mobile)
            if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
                continue
            if session.id not in phones:
                phones[session.id] = phone_for(session)
            title = localized(session.group, "title", reader.lang)[0]
            try:
                with db.session.begin_nested():
                    link = stop_url(reader.lang, choice=reader.choice,
                                    subscription=reader.subscription)
                    goes_at = send_time(now, session.starts_at)
                    queue_text(kind="sms_reminder", mobile=reader.mobile, lang=reader.lang,
                               now=now, session_starts_at=session.starts_at, dedupe_key=key,
                               text=texts.reminder(reader.lang, title, session.starts_at,
                                                   goes_at, reader.join_url,
                                                   phones[session.id], link))
            except IntegrityError:
                continue  # another worker queued it a moment ago
            added += 1
    if added:
        log.info("queued %s text reminders", added)
    forget_finished(now)
    db.session.flush()
    return added


def forget_finished(now: datetime) -> int:
    """Delete open-group subscriptions whose last reminder is queued (its last session
    starts within the hour, or has started) or whose sessions were all cancelled."""
    finished = list(db.session.scalars(select(TextSubscription).where(
        TextSubscription.last_starts_at <= now + timedelta(hours=1))))
    for subscription in finished:
        _delete_subscription(subscription)
    return len(finished)


# --- decisions, cancellations and moves (signals from courses and the calendar) -----------

def on_decided(application: Application, decision: str, now: datetime) -> int:
    """A place on the course: a text to a participant who chose texts."""
    if decision not in ("accepted", "promoted") or not texts_enabled():
        return 0
    choice = choice_for(application)
    if choice is None or not choice.texts or not choice.mobile:
        return 0
    lang = application.language
    title = localized(application.group, "title", lang)[0]
    queue_text(kind="sms_accepted", mobile=choice.mobile, lang=lang, now=now,
               text=texts.accepted(lang, title, stop_url(lang, choice=choice)))
    return 1


def on_survey_link(group: Group, email: str, lang: str, url: str, now: datetime) -> int:
    """The course-end feedback link (the same single-use link as in the mail) by text to a
    participant who chose texts."""
    from ..courses.service import find_application

    if not texts_enabled():
        return 0
    application = find_application(group.id, email)
    choice = choice_for(application) if application is not None else None
    if choice is None or not choice.texts or not choice.mobile:
        return 0
    title = localized(group, "title", lang)[0]
    queue_text(kind="sms_survey", mobile=choice.mobile, lang=lang, now=now,
               text=texts.survey(lang, title, url, stop_url(lang, choice=choice)))
    return 1


def on_session_changed(session: Session, *, cancelled: bool, moved_from: datetime | None,
                       now: datetime) -> int:
    """A cancelled or moved session: a text to each participant and visitor reminded of
    it by text, once per number and change."""
    if not texts_enabled() or session.starts_at <= now:
        return 0  # a session already started or past: no text about it
    if not cancelled:  # a visitor's one-session reminder follows the session
        for subscription in db.session.scalars(select(TextSubscription).where(
                TextSubscription.session_id == session.id)):
            subscription.last_starts_at = session.starts_at
    readers = _subscribers(session, include_past=True)
    if session.group.kind == GroupKind.CLOSED:
        readers = _course_readers(session) + readers
    start = f"{session.starts_at.astimezone(UTC):%Y%m%dT%H%M}"
    sent = 0
    for reader in readers:
        what = "cancel" if cancelled else f"move:{start}"
        key = f"sms-{what}:{session.uid}:{_digest(reader.mobile)}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        title = localized(session.group, "title", reader.lang)[0]
        link = stop_url(reader.lang, choice=reader.choice, subscription=reader.subscription)
        text = (texts.cancelled(reader.lang, title, session.starts_at, link) if cancelled
                else texts.moved(reader.lang, title, session.starts_at, reader.join_url, link))
        queue_text(kind="sms_cancel" if cancelled else "sms_move", mobile=reader.mobile,
                   lang=reader.lang, now=now, session_starts_at=session.starts_at,
                   dedupe_key=key, text=text)
        sent += 1
    db.session.flush()
    return sent


# --- data care -----------------------------------------------------------------------------

def erase(application: Application) -> None:
    choice = choice_for(application)
    if choice is None:
        return
    drop_pending(choice.mobile)
    db.session.execute(delete(StopLink).where(StopLink.choice_id == choice.id)
                       .execution_options(synchronize_session=False))
    db.session.delete(choice)
    db.session.flush()


def export(application: Application) -> dict[str, Any]:
    choice = choice_for(application)
    if choice is None:
        return {}
    return {"text_messages": {
        "mobile": choice.mobile, "texts": choice.texts,
        "reminders_by": choice.chosen_way.value, "chosen_at": choice.chosen_at.isoformat(),
    }}
