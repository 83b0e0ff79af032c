"""Invitations, updates and cancellations, put in the outbox: one calendar entry per person
per group.

This is where sessions meet the calendar builder (`ics`, `recurrence`) and the outbox: it
decides who gets what, renders the mail in each recipient's language and queues it in the
caller's transaction. Nothing is sent here; the worker sends later.

**One entry per person per group.** A person's sessions of a group (a course, a series) are
one recurring event (`recurrence.build`) with its own UID (`CalendarCopy`). What each change
sends, per RFC 5546:

- first session for the person, or accepted: REQUEST of the whole entry (an invitation);
- one session changed (time, host, topic): REQUEST of that instance only (RECURRENCE-ID);
- a person added to a session (a swap): REQUEST of the whole entry (it gains an RDATE);
- a person taken off a session that goes on: CANCEL of that instance, without STATUS;
- one session cancelled: CANCEL of that instance, STATUS:CANCELLED;
- a participant leaves the course: CANCEL of the whole entry, without STATUS;
- the course cancelled: CANCEL of the whole entry, STATUS:CANCELLED;
- many sessions at once (`batched`): REQUEST of the whole entry (CANCEL when none is left).

Every message to a person carries a SEQUENCE higher than the last one they got about the
entry (`CalendarCopy.sequence`), and their first message about it is an invitation.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from .. import dates, signals
from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Group, Session, SessionStatus
from ..i18n import localized
from ..links import external_url
from ..mail.models import OutboxMessage
from ..mail.outbox import Message, enqueue
from . import ics, recurrence
from .models import CalendarCopy, address_hash


@dataclass(frozen=True)
class Recipient:
    """Someone whose calendar holds the session."""

    email: str
    name: str
    language: str  # fi, sv or en: the language of the mail and the calendar text
    chair: bool  # a facilitator
    # The link for this session: a participant's personal join link, a facilitator's staff
    # session page (moderator entry); else the public join page.
    join_url: str | None = None
    # Reminder opt-in (mail/reminders.py): facilitators are always reminded; a participant
    # only when their feature sets this from what they chose (e.g. a course application's
    # "remind me" box).
    reminders: bool = False
    # The link on the recurring entry itself (not one session): a participant's personal
    # course link, a facilitator's "my sessions" page.
    entry_url: str | None = None


def public_join_url(session: Session, lang: str) -> str:
    """The join page for clients: it never expires and never holds a token, and it shows
    the phone numbers when video fails."""
    return external_url("public.join", lang=lang, session_id=session.id)


def facilitator_recipients(session: Session) -> list[Recipient]:
    """Facilitators, each with their own way in: the staff session page, which opens the
    room as moderator (the client join page would let them in as a guest, or not at all
    for a course)."""
    return [
        Recipient(email=u.email, name=u.full_name, language=u.language, chair=True,
                  join_url=external_url("staff.session_page", lang=u.language,
                                        session_id=session.id),
                  entry_url=external_url("staff.home", lang=u.language))
        for u in session.facilitators
    ]


def participant_recipients(session: Session) -> list[Recipient]:
    """Features with participants (closed courses) answer the `session_participants` signal,
    so this module needs no knowledge of applications."""
    recipients: list[Recipient] = []
    for found in signals.answers(signals.session_participants, session=session) or []:
        recipients.extend(found)
    return recipients


def current_recipients(session: Session) -> list[Recipient]:
    return facilitator_recipients(session) + participant_recipients(session)


# --- what a calendar shows ------------------------------------------------------------------


@dataclass(frozen=True)
class Phone:
    """The phone way in for one session, or why it is missing."""

    numbers: tuple[Any, ...] = ()
    pin: str = ""  # digits
    pending: bool = False  # dial-in is on but its API did not answer: shown on the page later

    @property
    def pin_words(self) -> str:
        from ..video.dialin import format_pin

        return format_pin(self.pin)

    def tel_uri(self) -> str:
        return str(self.numbers[0].tel_uri(self.pin))


def phone_for(session: Session) -> Phone | None:
    """Numbers and PIN when dial-in is configured; `pending` when its API is down now (the
    next message about the session carries them)."""
    from ..video import service as video

    if not video.jitsi_settings().dialin_configured:
        return None
    info = video.dial_in(session)
    if info is None or not info.numbers or not info.pin:
        return Phone(pending=True)
    return Phone(numbers=info.numbers, pin=info.pin)


def _summary(session: Session, lang: str) -> str:
    return localized(session.group, "title", lang)[0]


def _description(session: Session, lang: str, join_url: str, phone: Phone | None,
                 chair: bool = False, materials: bool = False) -> str:
    """Plain text that a calendar shows under the title: what, who hosts, how to join, and
    (in a person's invitation, not in the feeds) the session's materials."""
    topic, _lang = localized(session, "topic", lang)
    lines = [topic] if topic else []
    lines.append(_("Host: %(area)s", area=session.host_area.name(lang)))
    if session.facilitators:
        names = ", ".join(u.first_name for u in session.facilitators)
        lines.append(_("Facilitators: %(names)s", names=names))
    lines += ["", _phone_lines(phone, join_url, chair)]
    if materials:
        from ..materials.service import invitation_lines

        lines += invitation_lines(session, lang, join_url, chair)
    return "\n".join(lines)


def _phone_lines(phone: Phone | None, join_url: str, chair: bool) -> str:
    if chair:
        lines = [_("Open the session as its facilitator on this page:"), join_url]
    else:
        lines = [_("Join by video or by phone on this page:"), join_url]
    if phone is not None and phone.numbers:
        lines += [_("Or call %(number)s and type the PIN %(pin)s and #.",
                    number=phone.numbers[0].number, pin=phone.pin_words)]
    elif phone is not None and phone.pending:
        lines += [_("The phone number and PIN will be shown on the same page.")]
    return "\n".join(lines)


def _conferences(join_url: str, phone: Phone | None) -> tuple[ics.Conference, ...]:
    found = [ics.Conference(uri=join_url, feature="VIDEO", label=_("Video and phone"))]
    if phone is not None and phone.numbers:
        found.append(ics.Conference(uri=phone.tel_uri(), feature="PHONE",
                                    label=_("Phone, PIN %(pin)s", pin=phone.pin_words)))
    return tuple(found)


def session_event(session: Session, lang: str, join_url: str, *,
                  phone: Phone | None = None, chair: bool = False,
                  materials: bool = False) -> ics.EventData:
    """The session as calendar data in one language. Call inside `force_locale(lang)` when
    the texts must be translated (the functions here do). With `materials`, the description
    lists the session's materials (a query per session: invitations only, never feeds)."""
    return ics.EventData(
        uid=session.uid,
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=_summary(session, lang),
        description=_description(session, lang, join_url, phone, chair, materials),
        url=join_url,
        location=join_url,
        cancelled=session.is_cancelled,
        last_modified=session.updated_at or session.created_at or utcnow(),
        conferences=_conferences(join_url, phone),
        attendees=tuple(
            ics.Attendee(email=u.email, name=u.full_name, chair=True, language=u.language)
            for u in session.facilitators
        ),
    )


def organizer() -> tuple[str, str]:
    """ORGANIZER: the service's address with its bilingual name (MAIL_FROM_NAME)."""
    return current_app.config["MAIL_FROM"], current_app.config["MAIL_FROM_NAME"]


_organizer = organizer


# --- people's entries -----------------------------------------------------------------------


def entry_uid(copy: CalendarCopy) -> str:
    domain = str(current_app.config["MAIL_FROM"]).rpartition("@")[2] or "remote-groups"
    return f"group-{copy.group_id}-entry-{copy.id}@{domain}"


def _copy(group: Group, email: str) -> CalendarCopy:
    digest = address_hash(email)
    copy = db.session.scalar(select(CalendarCopy).where(
        CalendarCopy.group_id == group.id, CalendarCopy.address_hash == digest))
    if copy is None:
        copy = CalendarCopy(group_id=group.id, address_hash=digest, sequence=0, active=False,
                            since=utcnow())
        db.session.add(copy)
        db.session.flush()
    return copy


def _next_sequence(copy: CalendarCopy) -> tuple[int, bool]:
    """The SEQUENCE for the next message and whether it is the person's first one (a new
    entry starts at 0; every later message, a CANCEL or a re-invitation, goes higher)."""
    first = not copy.active and copy.sequence == 0
    if not first:
        copy.sequence += 1
    return copy.sequence, first


def _on_session(session: Session, recipient: Recipient) -> Recipient | None:
    """The recipient as this session lists them (their link for it), if they are on it."""
    for person in current_recipients(session):
        if person.email == recipient.email:
            return person
    return None


def _group_sessions(group: Group) -> list[Session]:
    return list(db.session.scalars(
        select(Session).where(Session.group_id == group.id).order_by(Session.starts_at)))


def _instance(session: Session, person: Recipient, lang: str,
              phones: dict[int, Phone | None], url: str | None = None) -> recurrence.Instance:
    url = url or person.join_url or public_join_url(session, lang)
    if session.id not in phones:
        phones[session.id] = None if session.is_cancelled else phone_for(session)
    phone = phones[session.id]
    event = session_event(session, lang, url, phone=phone, chair=person.chair, materials=True)
    details = (event.summary, event.description, event.url, event.conferences,
               event.attendees)
    return recurrence.Instance(slot=session.slot, event=event,
                               cancelled=session.is_cancelled, details=details, phone=phone,
                               session=session)


def _instances(group: Group, recipient: Recipient, copy: CalendarCopy,
               phones: dict[int, Phone | None], *, held: bool = False,
               entry_link: bool = False) -> list[recurrence.Instance]:
    """The person's sessions of the group since their entry began; with `held`, every
    session the entry held (a person already taken off, whose entry is being cancelled)."""
    found = []
    for session in _group_sessions(group):
        if session.ends_at <= copy.since:
            continue
        person = _on_session(session, recipient)
        if person is None and held and not recipient.chair:
            person = recipient
        if person is None:
            continue
        url = recipient.entry_url if entry_link else None
        found.append(_instance(session, person, recipient.language, phones, url))
    return found


def course_line(instances: Sequence[recurrence.Instance], lang: str) -> str:
    active = sorted((i for i in instances if not i.cancelled), key=lambda i: i.slot)
    if not active:
        return ""
    return dates.course_line([(i.event.starts_at, i.event.ends_at) for i in active], lang)


def practice_url(lang: str) -> str:
    """The practice room, where a client tries their camera and microphone (issue 20)."""
    return external_url("public.practice", lang=lang)


def _master_texts(group: Group, recipient: Recipient, line: str,
                  first: recurrence.Instance, single: bool = False,
                  invitation: bool = False) -> ics.EventData:
    lang = recipient.language
    # One session: its own link; several: the entry's link (course page, "my sessions").
    url = (recipient.entry_url if single is False else None) or first.event.url
    title = localized(group, "title", lang)[0]
    if recipient.chair:
        how = [_("Open each session as its facilitator from your sessions page:"), url]
    else:
        how = [_("Join by video or by phone on this page:"), url]
    if single:
        description = first.event.description
    else:
        # The master stands for every session that shares the first one's details (its
        # materials among them); the others are overrides with their own description.
        from ..materials.service import invitation_lines

        materials = (invitation_lines(first.session, lang, url, recipient.chair)
                     if first.session is not None else [])
        description = "\n".join([line, "", *how, *materials])
    if invitation and not recipient.chair:  # the first entry a client gets, not updates
        description += "\n\n" + "\n".join([_("Try your camera and microphone beforehand in "
                                               "the practice room:"), practice_url(lang)])
    return dataclasses.replace(first.event, summary=title, description=description, url=url,
                               location=url, conferences=first.event.conferences)


# --- mail -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    """One session in a mail's list: when, and its phone way in."""

    when: str
    phone: Phone | None


@dataclass(frozen=True)
class Change:
    """One line of "what changed" in an update mail."""

    label: str
    before: str
    after: str
    what: str = ""  # "time", "host", "facilitators", "topic"


@dataclass
class Snapshot:
    """A session as it was before a change, for the "old → new" lines."""

    starts_at: datetime
    ends_at: datetime
    host: int
    facilitators: tuple[str, ...]
    topic: tuple[str, str, str]

    @classmethod
    def of(cls, session: Session) -> Snapshot:
        return cls(session.starts_at, session.ends_at, session.host_area_id,
                   tuple(u.first_name for u in session.facilitators),
                   (session.topic_fi, session.topic_sv, session.topic_en))


def remember_before(session: Session) -> list[Recipient]:
    """Call before changing a session: keeps what it was (for the update mail's "old → new")
    and returns its facilitators (to find who the change adds or takes off)."""
    _snapshots()[id(session)] = Snapshot.of(session)
    return facilitator_recipients(session)


def _snapshots() -> dict[int, Snapshot]:
    if "calendar_snapshots" not in g:
        g.calendar_snapshots = {}
    return g.calendar_snapshots


def _changes(session: Session, lang: str) -> list[Change]:
    before = _snapshots().get(id(session))
    if before is None:
        return []
    changes = []
    if (before.starts_at, before.ends_at) != (session.starts_at, session.ends_at):
        changes.append(Change(_("Time"), dates.session_span(before.starts_at, before.ends_at,
                                                            lang),
                              dates.session_span(session.starts_at, session.ends_at, lang),
                              what="time"))
    if before.host != session.host_area_id:
        from ..people.models import Area

        old = db.session.get(Area, before.host)
        changes.append(Change(_("Host"), old.name(lang) if old else "",
                              session.host_area.name(lang)))
    now_names = tuple(u.first_name for u in session.facilitators)
    if before.facilitators != now_names:
        changes.append(Change(_("Facilitators"), ", ".join(before.facilitators) or "–",
                              ", ".join(now_names) or "–"))
    topic_now = (session.topic_fi, session.topic_sv, session.topic_en)
    if before.topic != topic_now:
        index = {"fi": 0, "sv": 1, "en": 2}.get(lang, 0)
        changes.append(Change(_("Topic"), before.topic[index] or "–", topic_now[index] or "–"))
    return changes


SUBJECTS = {
    "invite": lambda: _("Invitation: %(title)s, %(when)s"),
    "update": lambda: _("Changed: %(title)s, %(when)s"),
    "cancel": lambda: _("Cancelled: %(title)s, %(when)s"),
    "removed": lambda: _("Removed from your calendar: %(title)s, %(when)s"),
    "course_cancelled": lambda: _("Cancelled: %(title)s"),
    "left": lambda: _("Removed from your calendar: %(title)s"),
}


def _queue(kind: str, group: Group, recipient: Recipient, calendar: bytes, method: str, *,
           when: str = "", line: str = "", session: Session | None = None,
           changes: Sequence[Change] = (), reason: str = "", phone: Phone | None = None,
           join_url: str = "", sessions: Sequence[SessionRow] = ()) -> OutboxMessage:
    lang = recipient.language
    with force_locale(lang):
        title = localized(group, "title", lang)[0]
        subject = SUBJECTS[kind]() % {"title": title, "when": when or line}
        context = {
            "change_kind": kind, "title": title, "when": when, "course_line": line,
            "recipient": recipient, "chair": recipient.chair, "join_url": join_url,
            "host": session.host_area.name(lang) if session is not None else "",
            "topic": localized(session, "topic", lang)[0] if session is not None else "",
            "changes": list(changes), "reason": reason, "phone": phone,
            "group": group, "sessions": list(sessions),
            # A client's invitation (not an update) links the practice room (issue 20).
            "practice_url": (practice_url(lang) if kind == "invite" and not recipient.chair
                             else ""),
        }
        text = render_template("mail/session_invite.txt", **context)
        html = render_template("mail/session_invite.html", **context, lang=lang)
    return enqueue(Message(
        kind=kind, recipient=recipient.email, language=lang, subject=subject,
        body_text=text, body_html=html, ics=calendar.decode("utf-8"), ics_method=method,
    ))


def _attendee(recipient: Recipient) -> ics.Attendee:
    return ics.Attendee(email=recipient.email, name=recipient.name, chair=recipient.chair,
                        language=recipient.language)


def _addressed(event: ics.EventData, recipient: Recipient) -> ics.EventData:
    chairs = tuple(a for a in event.attendees if a.email != recipient.email)
    return dataclasses.replace(event, attendees=(*chairs, _attendee(recipient)))


def _calendar(events: Sequence[ics.EventData], recipient: Recipient, method: str) -> bytes:
    return ics.build_calendar([_addressed(e, recipient) for e in events], method=method,
                              organizer=organizer(), dtstamp=utcnow())


# --- sending --------------------------------------------------------------------------------


def send_entry(group: Group, recipient: Recipient, *, reason: str = "",
               last: Session | None = None,
               changed: Sequence[Session] = ()) -> OutboxMessage | None:
    """The person's whole entry as it is now: REQUEST (an invitation the first time), or a
    CANCEL when they have no session left in it. None when there is nothing to tell.
    `changed` are the sessions of a batch (series edit, exchange) that touched this person:
    an update mail lists their old → new lines."""
    copy = _copy(group, recipient.email)
    if not copy.active:
        copy.since = utcnow()  # (re)joining: the sessions already over are not theirs
    lang = recipient.language
    with force_locale(lang):
        phones: dict[int, Phone | None] = {}
        instances = _instances(group, recipient, copy, phones)
        active = [i for i in instances if not i.cancelled]
        if len(active) > 1 and recipient.entry_url:
            # Several sessions: every one links the entry's link (the personal course link
            # opens the next session; "my sessions" for facilitators), so sessions differ
            # from the master only where they really differ.
            instances = _instances(group, recipient, copy, phones, entry_link=True)
            active = [i for i in instances if not i.cancelled]
        if not active:
            if not copy.active:
                return None
            everything_cancelled = bool(instances)
            return _cancel_entry(group, recipient, copy, cancelled=everything_cancelled,
                                 reason=reason, last=last)
        line = course_line(instances, lang)
        sequence, _first = _next_sequence(copy)
        was_active = copy.active
        built = recurrence.build(instances, uid=entry_uid(copy), sequence=sequence,
                                 master_texts=_master_texts(group, recipient, line, active[0],
                                                           single=len(active) == 1,
                                                           invitation=not copy.active))
        assert built is not None
        copy.active = True
        calendar = _calendar(built.events, recipient, ics.REQUEST)
        kind = "update" if was_active else "invite"
        first_session = active[0]
        rows = [SessionRow(dates.session_span(i.event.starts_at, i.event.ends_at, lang), i.phone)
                for i in active]
        changes = _entry_changes(changed, lang) if kind == "update" else []
        return _queue(kind, group, recipient, calendar, ics.REQUEST, line=line,
                      changes=changes,
                      join_url=(first_session.event.url if len(active) == 1
                                else recipient.entry_url or first_session.event.url),
                      sessions=rows if len(active) > 1 else (),
                      session=first_session.session if len(active) == 1 else None,
                      phone=_entry_phone(active))


def _entry_changes(changed: Sequence[Session], lang: str) -> list[Change]:
    """The old → new lines of a whole-entry update, session by session in time order. When
    more than one session changed, each line but a time change starts with the session's day
    (a time change shows both days already)."""
    unique = sorted({s.id: s for s in changed}.values(), key=lambda s: s.starts_at)
    per_session = [(s, _changes(s, lang)) for s in unique]
    per_session = [(s, found) for s, found in per_session if found]
    if len(per_session) <= 1:
        return [c for _s, found in per_session for c in found]
    lines = []
    for session, found in per_session:
        day = dates.weekday_date(session.starts_at, lang)
        for change in found:
            label = change.label if change.what == "time" else f"{day}, {change.label.lower()}"
            lines.append(dataclasses.replace(change, label=label))
    return lines


def _entry_phone(active: Sequence[recurrence.Instance]) -> Phone | None:
    """The phone line of an entry's mail: the one session's, or "pending" when any
    session's number could not be fetched (each session's is listed with it)."""
    if len(active) == 1:
        return active[0].phone
    if any(i.phone is not None and i.phone.pending for i in active):
        return Phone(pending=True)
    return None


def _cancel_entry(group: Group, recipient: Recipient, copy: CalendarCopy, *, cancelled: bool,
                  reason: str = "", last: Session | None = None) -> OutboxMessage | None:
    """CANCEL of the whole entry: STATUS:CANCELLED when the course itself is cancelled,
    no STATUS when only this person leaves it."""
    if not copy.active:
        return None
    instances = _instances(group, recipient, copy, {}, held=True)
    if not instances and last is not None:  # taken off the last session they were on
        with force_locale(recipient.language):
            instances = [_instance(last, recipient, recipient.language, {})]
    sequence, _first = _next_sequence(copy)
    copy.active = False
    event = instances[0].event if instances else None
    if event is None:
        return None
    line = course_line([dataclasses.replace(i, cancelled=False) for i in instances],
                       recipient.language)
    master = dataclasses.replace(
        event, uid=entry_uid(copy), sequence=sequence, starts_at=instances[0].slot,
        ends_at=instances[0].slot + (event.ends_at - event.starts_at),
        cancelled=cancelled, uninvited=not cancelled, recurrence_id=None)
    calendar = _calendar([master], recipient, ics.CANCEL)
    return _queue("course_cancelled" if cancelled else "left", group, recipient, calendar,
                  ics.CANCEL, line=line, reason=reason)


def _send_instance(session: Session, recipient: Recipient, *, cancel: bool = False,
                   uninvite: bool = False, reason: str = "") -> OutboxMessage | None:
    """One instance of the person's entry: an update (REQUEST) or a CANCEL."""
    copy = _copy(session.group, recipient.email)
    if not copy.active and copy.sequence == 0:
        # No entry was ever sent: the person holds this session as its own event (sent
        # before entries existed), so it is updated or cancelled as that event.
        return _send_single(session, recipient, cancel=cancel, uninvite=uninvite,
                            reason=reason)
    if not copy.active:
        return None if (cancel or uninvite) else send_entry(session.group, recipient)
    lang = recipient.language
    with force_locale(lang):
        person = _on_session(session, recipient) or recipient
        phone = None if (cancel or uninvite) else phone_for(session)
        url = person.join_url or public_join_url(session, lang)
        instance = recurrence.Instance(
            slot=session.slot, cancelled=session.is_cancelled, details=None,
            event=session_event(session, lang, url, phone=phone, chair=recipient.chair,
                                materials=True))
        sequence, _first = _next_sequence(copy)
        event = recurrence.override(instance, uid=entry_uid(copy), sequence=sequence)
        when = dates.session_span(session.starts_at, session.ends_at, lang)
        if cancel or uninvite:
            event = dataclasses.replace(event, cancelled=cancel, uninvited=not cancel)
            calendar = _calendar([event], recipient, ics.CANCEL)
            return _queue("cancel" if cancel else "removed", session.group, recipient,
                          calendar, ics.CANCEL, when=when, session=session, reason=reason)
        calendar = _calendar([event], recipient, ics.REQUEST)
        return _queue("update", session.group, recipient, calendar, ics.REQUEST, when=when,
                      session=session, changes=_changes(session, lang), phone=phone,
                      join_url=url)


def _send_single(session: Session, recipient: Recipient, *, cancel: bool, uninvite: bool,
                 reason: str) -> OutboxMessage:
    """One session as an event of its own (UID and SEQUENCE of the session)."""
    lang = recipient.language
    with force_locale(lang):
        person = _on_session(session, recipient) or recipient
        phone = None if (cancel or uninvite) else phone_for(session)
        url = person.join_url or public_join_url(session, lang)
        event = session_event(session, lang, url, phone=phone, chair=recipient.chair,
                          materials=True)
        when = dates.session_span(session.starts_at, session.ends_at, lang)
        if cancel or uninvite:
            event = dataclasses.replace(event, cancelled=cancel, uninvited=not cancel)
            calendar = _calendar([event], recipient, ics.CANCEL)
            return _queue("cancel" if cancel else "removed", session.group, recipient,
                          calendar, ics.CANCEL, when=when, session=session, reason=reason)
        calendar = _calendar([event], recipient, ics.REQUEST)
        return _queue("update", session.group, recipient, calendar, ics.REQUEST, when=when,
                      session=session, changes=_changes(session, lang), phone=phone,
                      join_url=url)


# --- batching -------------------------------------------------------------------------------


@dataclass
class _Batch:
    """Changes collected inside `batched()`: one whole-entry message per person at the end."""

    groups: dict[int, Group] = field(default_factory=dict)
    people: dict[tuple[int, str], Recipient] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    touched: dict[tuple[int, str], list[Session]] = field(default_factory=dict)

    def add(self, session: Session, recipients: Sequence[Recipient]) -> None:
        self.groups[session.group_id] = session.group
        self.sessions.append(session)
        for recipient in recipients:
            key = (session.group_id, recipient.email)
            self.people.setdefault(key, recipient)
            self.touched.setdefault(key, []).append(session)


def _batch() -> _Batch | None:
    return g.get("calendar_batch")


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Many session changes as one message per person (a series edit, a swap of two
    sessions): each person affected gets their whole entry once, at the end."""
    if _batch() is not None:
        yield
        return
    g.calendar_batch = batch = _Batch()
    try:
        yield
    finally:
        g.calendar_batch = None
    db.session.flush()
    for session in batch.sessions:
        session.recurrence_at = session.starts_at  # the whole entry is sent again: re-slot
    for key, recipient in batch.people.items():
        send_entry(batch.groups[key[0]], recipient, changed=batch.touched.get(key, ()))
    for session in batch.sessions:  # told: a later change compares with the new state
        _snapshots().pop(id(session), None)


# --- what the features call -----------------------------------------------------------------


def queue_session_created(session: Session) -> int:
    """A new session: each person on it gets their entry (an invitation the first time)."""
    people = current_recipients(session)
    if (batch := _batch()) is not None:
        batch.add(session, people)
        return len(people)
    for recipient in people:
        send_entry(session.group, recipient)
    return len(people)


def queue_session_changed(session: Session, *, before: Sequence[Recipient] = (),
                          removed: Sequence[Recipient] = ()) -> int:
    """After `session.bump_sequence()`: `before` are the facilitators before the change
    (`remember_before`). People still on it get an update of this one session; people added
    get their whole entry; people taken off get a CANCEL of this session (no STATUS: it
    goes on), or of their whole entry when it was their last one."""
    if session.is_cancelled:
        return queue_session_cancelled(session, also=[*before, *removed])
    earlier_state = _snapshots().get(id(session))
    if earlier_state is not None and earlier_state.starts_at != session.starts_at:
        signals.answers(signals.session_changed, session=session, cancelled=False,
                        moved_from=earlier_state.starts_at)
    now_on = current_recipients(session)
    emails_now = {r.email for r in now_on}
    earlier = {r.email for r in before}
    gone = [r for r in [*before, *removed] if r.email not in emails_now]
    if (batch := _batch()) is not None:
        batch.add(session, [*now_on, *gone])
        return len(now_on) + len(gone)
    for recipient in now_on:
        if recipient.chair and recipient.email not in earlier:
            send_entry(session.group, recipient)  # added: the entry gains this session
        else:
            _send_instance(session, recipient)
    for recipient in {r.email: r for r in gone}.values():
        if _has_other_sessions(session, recipient) or not _copy(session.group,
                                                                 recipient.email).active:
            _send_instance(session, recipient, uninvite=True)
        else:
            # Nothing left: a CANCEL of the whole entry, without STATUS.
            send_entry(session.group, recipient, last=session)
    return len(now_on) + len(gone)


def _has_other_sessions(session: Session, recipient: Recipient) -> bool:
    return any(s.id != session.id and not s.is_cancelled and s.ends_at > utcnow()
               and _on_session(s, recipient) is not None
               for s in _group_sessions(session.group))


def queue_session_cancelled(session: Session, *, also: Sequence[Recipient] = (),
                            reason: str = "") -> int:
    """The session is cancelled: a CANCEL of that instance, STATUS:CANCELLED, to everyone
    on it (and to `also`, people just taken off it)."""
    recipients = {r.email: r for r in [*current_recipients(session), *also]}
    reason = reason or str(getattr(session, "cancel_reason", "") or "")
    signals.answers(signals.session_changed, session=session, cancelled=True, moved_from=None)
    if (batch := _batch()) is not None:
        batch.add(session, list(recipients.values()))
        return len(recipients)
    for recipient in recipients.values():
        _send_instance(session, recipient, cancel=True, reason=reason)
    return len(recipients)


def queue_group_cancelled(group: Group, people: Sequence[Recipient], reason: str = "") -> int:
    """The whole course or series is cancelled: one CANCEL of each person's entry."""
    sent = 0
    for recipient in {r.email: r for r in people}.values():
        copy = _copy(group, recipient.email)
        if _cancel_entry(group, recipient, copy, cancelled=True, reason=reason) is not None:
            sent += 1
    return sent


def queue_entry(group: Group, recipient: Recipient) -> OutboxMessage | None:
    """A participant accepted (or given a new link): their whole entry."""
    return send_entry(group, recipient)


def queue_leaving(group: Group, recipient: Recipient, reason: str = "") -> OutboxMessage | None:
    """A participant leaves the course (withdrawn, waiting list): one CANCEL of their entry,
    without STATUS (the course goes on)."""
    copy = _copy(group, recipient.email)
    return _cancel_entry(group, recipient, copy, cancelled=False, reason=reason)


# Older names, for callers that speak of one session.
def queue_invite(session: Session, recipient: Recipient, *, update: bool = False
                 ) -> OutboxMessage | None:
    """The person's entry with this session in it (an invitation the first time)."""
    if update:
        return _send_instance(session, recipient)
    return send_entry(session.group, recipient)


def queue_cancellation(session: Session, recipient: Recipient) -> OutboxMessage | None:
    """This person is taken off this session (a CANCEL of the instance, no STATUS)."""
    return _send_instance(session, recipient, uninvite=not session.is_cancelled,
                          cancel=session.is_cancelled)


def scheduled(session: Session) -> bool:
    return session.status == SessionStatus.SCHEDULED
