"""The intake call in people's calendars: one iMIP entry per booking, for the participant
and the facilitator.

Built with the same parts as sessions: `calendar.ics` for the bytes, `calendar.invites`
for the organizer and the phone way in (`Phone`), the outbox for sending. Each booking has
its own UID (`IntakeBooking.uid`) that never changes; every later message (a rebooking, a
cancellation) carries a higher SEQUENCE. A rebooking with another facilitator sends the
old facilitator a CANCEL and the new one the entry. The video way in is the slot's own
Jitsi room (guest link, `video.links.room_url`); the phone way in is the room's dial-in
number and PIN when dial-in is configured."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import dates
from ..calendar import ics
from ..calendar.invites import Phone, organizer
from ..db_types import utcnow
from ..i18n import localized
from ..mail.outbox import Message, enqueue
from ..video import service as video
from ..video.links import room_url
from .models import IntakeBooking, IntakeSlot

SUBJECTS = {
    "invite": lambda: _("Intake call: %(title)s, %(when)s"),
    "update": lambda: _("Intake call moved: %(title)s, %(when)s"),
    "cancel": lambda: _("Intake call cancelled: %(title)s, %(when)s"),
}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    language: str
    chair: bool  # the facilitator


def participant(booking: IntakeBooking) -> Person | None:
    application = booking.application
    if not application.email:  # erased: nobody to tell
        return None
    return Person(application.email, application.name, application.language, chair=False)


def facilitator(slot: IntakeSlot) -> Person:
    user = slot.facilitator
    return Person(user.email, user.full_name, user.language, chair=True)


def video_url(slot: IntakeSlot, person: Person) -> str:
    """The call's own room, in the person's language, their first name filled in."""
    first = person.name.split(" ")[0] if person.name else None
    return room_url(video.jitsi_settings(), slot.room_name, lang=person.language,
                    display_name=first or None)


def phone_for(slot: IntakeSlot) -> Phone | None:
    """Numbers and PIN of the call's room when dial-in is configured (None when it is off;
    `pending` when its API did not answer now)."""
    if not video.jitsi_settings().dialin_configured:
        return None
    info = video.dialin_client().info(slot.room_name)
    if info is None or not info.numbers or not info.pin:
        return Phone(pending=True)
    return Phone(numbers=info.numbers, pin=info.pin)


def _event(booking: IntakeBooking, slot: IntakeSlot, person: Person, join_url: str,
           phone: Phone | None, title: str) -> ics.EventData:
    lines = [_("Intake call with %(name)s.", name=slot.facilitator.first_name)
             if not person.chair else
             _("Intake call with a participant of the course."),
             "", _("Join by video:"), join_url]
    conferences = [ics.Conference(uri=join_url, feature="VIDEO", label=_("Video"))]
    if phone is not None and phone.numbers:
        lines.append(_("Or call %(number)s and type the PIN %(pin)s and #.",
                       number=phone.numbers[0].number, pin=phone.pin_words))
        conferences.append(ics.Conference(uri=phone.tel_uri(), feature="PHONE",
                                          label=_("Phone, PIN %(pin)s", pin=phone.pin_words)))
    return ics.EventData(
        uid=booking.uid, sequence=booking.sequence, starts_at=slot.starts_at,
        ends_at=slot.ends_at, summary=_("Intake call: %(title)s", title=title),
        description="\n".join(lines), url=join_url, location=join_url, cancelled=False,
        last_modified=utcnow(), conferences=tuple(conferences),
        attendees=(ics.Attendee(email=slot.facilitator.email, name=slot.facilitator.full_name,
                                chair=True, language=slot.facilitator.language),),
    )


def _send(kind: str, booking: IntakeBooking, slot: IntakeSlot, person: Person) -> None:
    lang = person.language
    with force_locale(lang):
        title = localized(slot.group, "title", lang)[0]
        when = dates.session_span(slot.starts_at, slot.ends_at, lang)
        join_url = video_url(slot, person)
        phone = phone_for(slot) if kind != "cancel" else None
        event = _event(booking, slot, person, join_url, phone, title)
        attendee = ics.Attendee(email=person.email, name=person.name, chair=person.chair,
                                language=lang)
        if kind == "cancel":
            calendar = ics.cancellation(event, attendee, organizer(), utcnow())
            method = ics.CANCEL
        else:
            calendar = ics.invite(event, attendee, organizer(), utcnow())
            method = ics.REQUEST
        context = {"change_kind": kind, "title": title, "when": when, "chair": person.chair,
                   "join_url": join_url, "phone": phone, "group": slot.group,
                   "facilitator": slot.facilitator.first_name}
        subject = SUBJECTS[kind]() % {"title": title, "when": when}
        text = render_template("mail/intake_invite.txt", **context)
        html = render_template("mail/intake_invite.html", **context, lang=lang)
    enqueue(Message(kind=f"intake_{kind}", recipient=person.email, language=lang,
                    subject=subject, body_text=text, body_html=html,
                    ics=calendar.decode("utf-8"), ics_method=method))


def queue_booked(booking: IntakeBooking, old_slot: IntakeSlot | None = None) -> None:
    """A new booking (`old_slot` None) or a move from `old_slot`: the participant and the
    facilitator get the entry (SEQUENCE already raised by the caller for a move); a
    facilitator who no longer has the call gets a CANCEL."""
    slot = booking.slot
    kind = "update" if old_slot is not None else "invite"
    person = participant(booking)
    if person is not None:
        _send(kind, booking, slot, person)
    if old_slot is not None and old_slot.facilitator_id != slot.facilitator_id:
        _send("cancel", booking, old_slot, facilitator(old_slot))
        _send("invite", booking, slot, facilitator(slot))
    else:
        _send(kind, booking, slot, facilitator(slot))


def queue_cancelled(booking: IntakeBooking) -> None:
    """The booking is cancelled: both get a CANCEL (SEQUENCE raised by the caller)."""
    person = participant(booking)
    if person is not None:
        _send("cancel", booking, booking.slot, person)
    _send("cancel", booking, booking.slot, facilitator(booking.slot))
