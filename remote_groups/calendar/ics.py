"""iCalendar objects for sessions: invites and cancellations (iMIP, RFC 5546/6047) and
subscribable feeds (RFC 7986), built from plain data.

No Flask and no database here: callers turn a session into an :class:`EventData` and get
bytes back, ready to put in the outbox or to serve as ``text/calendar``.

Known traps this module is shaped around (each one has lost real invitations somewhere):

* **Updates must be REQUEST, not PUBLISH.** Exchange/Outlook and Google merge a changed
  time into the existing entry only when the update arrives as ``METHOD:REQUEST`` with the
  same ``UID`` and a higher ``SEQUENCE``. A PUBLISH update creates a second entry or is
  ignored, and the person goes to the old time.
* **A cancellation must be METHOD:CANCEL.** A ``METHOD:REQUEST`` that only says
  ``STATUS:CANCELLED`` is treated as an update by several clients and the session stays in
  the calendar. Send ``METHOD:CANCEL`` *and* ``STATUS:CANCELLED`` with a raised SEQUENCE.
* **The MIME ``method=`` must equal METHOD.** The ``text/calendar; method=...`` parameter of
  the mail part and the ``METHOD`` inside the object must agree, or Outlook shows a plain
  attachment instead of a meeting (checked in :mod:`remote_groups.mail.imip`).
* **Swaps are per person.** When a swap removes a facilitator from a session, that
  facilitator gets a CANCEL (their copy is gone); everyone else, including the new
  facilitator, gets an updated REQUEST with the same UID and a higher SEQUENCE.
* **Feeds carry no METHOD.** A subscribed feed is not a scheduling message; with a METHOD
  some clients offer to "accept" each event or refuse the subscription. Feeds also carry no
  ORGANIZER/ATTENDEE (RFC 5545 forbids ATTENDEE when publishing, and it would leak people's
  addresses).
* **Times are local with a VTIMEZONE.** DTSTART/DTEND carry ``TZID=Europe/Helsinki`` and
  the calendar carries the matching VTIMEZONE, so a weekly 13:00 session stays at 13:00
  on both sides of a daylight-saving change even in clients without a time-zone database.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from icalendar.parser import Contentline
from icalendar.parser_tools import to_unicode

from . import fold

fold.install()  # same bytes as icalendar's line folding, several times faster (see fold.py)

TIMEZONE_NAME = "Europe/Helsinki"
LOCAL_TIMEZONE = ZoneInfo(TIMEZONE_NAME)
PRODID = "-//remote_groups//Remote groups calendar//EN"

REQUEST = "REQUEST"
CANCEL = "CANCEL"
SCHEDULING_METHODS = frozenset({REQUEST, CANCEL})
CONFERENCE_FEATURES = frozenset({"VIDEO", "PHONE"})


@dataclass(frozen=True)
class Attendee:
    """Someone who gets the invitation. ``chair`` marks a facilitator."""

    email: str
    name: str
    chair: bool = False
    language: str = "fi"


@dataclass(frozen=True)
class Conference:
    """One way to join (RFC 7986 CONFERENCE): the video room or the dial-in number."""

    uri: str
    feature: str  # "VIDEO" or "PHONE"
    label: str


@dataclass(frozen=True)
class EventData:
    """One session as a calendar sees it. All datetimes are timezone-aware (UTC)."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    url: str  # the join page link
    location: str
    cancelled: bool
    last_modified: datetime
    conferences: tuple[Conference, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    # A recurring entry (one per person per group): the rule and its exceptions on the
    # master; ``recurrence_id`` on an override of one instance (RFC 5545 3.8.4.4).
    rrule: Recurrence | None = None
    rdates: tuple[datetime, ...] = ()
    exdates: tuple[datetime, ...] = ()
    recurrence_id: datetime | None = None
    # A CANCEL that takes one person off a session (or a course) that goes on carries no
    # STATUS: RFC 5546 3.2.5 allows STATUS:CANCELLED only when the event itself is.
    uninvited: bool = False


@dataclass(frozen=True)
class Recurrence:
    """RRULE:FREQ=WEEKLY;INTERVAL=n;UNTIL=… (UNTIL in UTC, as RFC 5545 wants with a TZID
    DTSTART)."""

    interval_weeks: int
    until: datetime


def _local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TIMEZONE)


class _Calendar(icalendar.Calendar):
    """icalendar's VCALENDAR with a quicker way to write each property line.

    ``Component.content_line`` makes a fresh empty parameter set for every line (its
    ``getattr`` default) and then goes through ``Contentline.from_parts``; a 500-session
    feed writes 7,000 lines. This writes a property value that has parameters and
    ``to_ical`` (every value we set) the way ``from_parts`` does, with the same result,
    and leaves anything else to icalendar.
    """

    def content_line(self, name: str, value: object, sorted: bool = True) -> Contentline:
        params = getattr(value, "params", None)
        to_ical = getattr(value, "to_ical", None)
        if params is None or to_ical is None or not isinstance(name, str):
            return super().content_line(name, value, sorted=sorted)
        values = to_unicode(to_ical())
        if params:
            written = to_unicode(params.to_ical(sorted=sorted))
            if written:
                return Contentline(f"{name};{written}:{values}")
        return Contentline(f"{name}:{values}")


def _require_aware(value: datetime, what: str) -> None:
    """A naive datetime would silently become floating time in some clients and UTC in others."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value!r}")


def _check_event(event: EventData) -> None:
    _require_aware(event.starts_at, "starts_at")
    _require_aware(event.ends_at, "ends_at")
    _require_aware(event.last_modified, "last_modified")
    if event.ends_at <= event.starts_at:
        raise ValueError(f"event {event.uid!r} ends before it starts")
    if event.sequence < 0:
        raise ValueError("SEQUENCE cannot be negative")
    for conference in event.conferences:
        if conference.feature not in CONFERENCE_FEATURES:
            raise ValueError(f"unknown conference feature {conference.feature!r}")


def _address(email: str, **params: object) -> icalendar.vCalAddress:
    return icalendar.vCalAddress.new(email, **params)  # type: ignore[arg-type]


def _attendee_address(attendee: Attendee) -> icalendar.vCalAddress:
    """Facilitators are CHAIR, everyone else REQ-PARTICIPANT. RSVP=FALSE because the
    service does not read replies; asking for them would make clients send mail nobody reads."""
    return _address(
        attendee.email,
        cn=attendee.name,
        role="CHAIR" if attendee.chair else "REQ-PARTICIPANT",
        partstat="NEEDS-ACTION",
        rsvp=False,
        language=attendee.language or None,
    )


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def build_event(
    event: EventData,
    *,
    organizer: tuple[str, str] | None,
    dtstamp: datetime,
) -> icalendar.Event:
    """One VEVENT for ``event``.

    ``organizer`` is ``(email, name)`` for scheduling messages (REQUEST/CANCEL); then
    ORGANIZER and the event's ATTENDEE lines are written. With ``organizer=None`` (feeds)
    neither is written: publishing must not list attendees.

    The UID never changes for a session; SEQUENCE is what tells a client that this copy
    is newer than the one it has. DTSTAMP is when this copy was made (UTC).
    """
    _check_event(event)
    _require_aware(dtstamp, "dtstamp")
    # Properties are set as ready-made icalendar values rather than through Event.new(),
    # whose setters and validation (already done by _check_event) took as long as writing
    # the event out: a 500-session feed is built on every poll. The bytes are the same
    # (tests/calendar/test_feed_build.py compares them with Event.new's). Times are vDatetime,
    # which is what Event.new's vDDDTypes turns into again for every line it writes.
    vevent = icalendar.Event()
    vevent["UID"] = icalendar.vText(event.uid)
    vevent["SEQUENCE"] = icalendar.vInt(event.sequence)
    vevent["DTSTAMP"] = icalendar.vDatetime(_utc(dtstamp))
    vevent["DTSTART"] = icalendar.vDatetime(event.starts_at.astimezone(LOCAL_TIMEZONE))
    vevent["DTEND"] = icalendar.vDatetime(event.ends_at.astimezone(LOCAL_TIMEZONE))
    vevent["SUMMARY"] = icalendar.vText(event.summary)
    if event.description:
        vevent["DESCRIPTION"] = icalendar.vText(event.description)
    vevent["URL"] = icalendar.vUri(event.url)
    vevent["LOCATION"] = icalendar.vText(event.location)
    if not event.uninvited:
        vevent["STATUS"] = icalendar.vText("CANCELLED" if event.cancelled else "CONFIRMED")
    if event.recurrence_id is not None:
        vevent["RECURRENCE-ID"] = icalendar.vDatetime(_local(event.recurrence_id))
    if event.rrule is not None:
        vevent.add("RRULE", {"FREQ": "WEEKLY", "INTERVAL": event.rrule.interval_weeks,
                             "UNTIL": _utc(event.rrule.until)})
    if event.rdates:
        vevent.add("RDATE", [_local(d) for d in event.rdates])
    if event.exdates:
        vevent.add("EXDATE", [_local(d) for d in event.exdates])
    vevent["LAST-MODIFIED"] = icalendar.vDatetime(_utc(event.last_modified))
    for c in event.conferences:
        vevent.add("CONFERENCE",
                   icalendar.Conference(c.uri, feature=c.feature, label=c.label).to_uri())
    if organizer is not None:
        organizer_email, organizer_name = organizer
        vevent.organizer = _address(organizer_email, cn=organizer_name)
        vevent.attendees = [_attendee_address(a) for a in event.attendees]
    return vevent


def _timezone_years(events: Sequence[EventData]) -> tuple[date, date]:
    """Whole calendar years around the events, so the VTIMEZONE always holds both the
    summer and the winter rule for every year a session falls in, and stays the same
    for every message about the same series."""
    moments = [m for e in events for m in (e.starts_at, e.ends_at, *e.rdates, *e.exdates,
                                            *((e.rrule.until,) if e.rrule else ()))]
    first = min(m.astimezone(LOCAL_TIMEZONE).year for m in moments)
    last = max(m.astimezone(LOCAL_TIMEZONE).year for m in moments)
    return date(first, 1, 1), date(last + 1, 1, 1)


def build_calendar(
    events: Iterable[EventData],
    *,
    method: str | None,
    name: str | None = None,
    organizer: tuple[str, str] | None = None,
    dtstamp: datetime,
    refresh: timedelta | None = None,
) -> bytes:
    """A whole VCALENDAR as bytes (UTF-8, CRLF line ends, folded).

    ``method`` is ``"REQUEST"`` or ``"CANCEL"`` for iMIP mail and ``None`` for feeds
    (PUBLISH is refused: Exchange and Google do not merge PUBLISH updates, and feeds carry
    no METHOD at all). A first invite and every update are REQUEST with the same UID and a
    higher SEQUENCE; a REQUEST with a cancelled event is refused because it would stay in
    calendars. Send the result with the same ``method=`` on the MIME part (see
    :func:`remote_groups.mail.imip.build_email`). A scheduling message needs an
    ``organizer``; a CANCEL needs every event to be ``cancelled`` (STATUS:CANCELLED) and
    the caller must pass a SEQUENCE higher than the last one sent, or clients keep the
    entry. A facilitator taken off a session by a swap gets a CANCEL (see
    :func:`cancellation`); everyone else gets the updated REQUEST. ``name`` and
    ``refresh`` are for feeds (NAME/X-WR-CALNAME, REFRESH-INTERVAL/X-PUBLISHED-TTL) and
    are refused with a METHOD.

    One VTIMEZONE for Europe/Helsinki, built by icalendar (``Timezone.from_tzid``), covers
    the whole years the events span.
    """
    events = tuple(events)
    _require_aware(dtstamp, "dtstamp")
    if method is not None:
        if method not in SCHEDULING_METHODS:
            raise ValueError(f"METHOD must be one of {sorted(SCHEDULING_METHODS)}, got {method!r}")
        if organizer is None:
            raise ValueError(f"METHOD:{method} needs an ORGANIZER (RFC 5546)")
        if name is not None or refresh is not None:
            raise ValueError("feed properties (name, refresh) do not belong in a METHOD message")
        if not events:
            raise ValueError(f"METHOD:{method} needs at least one event")
    elif organizer is not None:
        raise ValueError("a feed (no METHOD) must not carry ORGANIZER/ATTENDEE")
    if method == CANCEL and not all(e.cancelled or e.uninvited for e in events):
        raise ValueError("METHOD:CANCEL needs STATUS:CANCELLED on every event "
                         "(or none, when one person is taken off)")
    if method == REQUEST and any(e.cancelled for e in events):
        raise ValueError("a cancelled event sent as REQUEST stays in calendars; use CANCEL")

    calendar = _Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    else:
        if name is not None:
            # NAME and X-WR-CALNAME as TEXT values, escaped like any other (a group title
            # may hold a comma, a semicolon or a backslash).
            calendar["NAME"] = icalendar.vText(name)
            calendar["X-WR-CALNAME"] = icalendar.vText(name)
        calendar.add("x-wr-timezone", TIMEZONE_NAME)
        if refresh is not None:
            if refresh <= timedelta(0):
                raise ValueError("refresh must be positive")
            # RFC 7986 makes VALUE=DURATION mandatory on REFRESH-INTERVAL.
            calendar["REFRESH-INTERVAL"] = icalendar.vDuration(
                refresh, params={"VALUE": "DURATION"}
            )
            calendar.add("x-published-ttl", icalendar.vDuration(refresh).to_ical().decode())
    for event in events:
        calendar.add_component(build_event(event, organizer=organizer, dtstamp=dtstamp))
    if events:
        # Every DTSTART/DTEND here uses TZID=Europe/Helsinki, so the one VTIMEZONE is known
        # without scanning the events (icalendar's add_missing_timezones scans every property,
        # a sixth of a 500-session feed's build time).
        calendar.subcomponents.insert(0, _vtimezone(*_timezone_years(events)))
    return calendar.to_ical()


# Europe/Helsinki as one pair of yearly rules (EU summer time, in force in Finland since
# 1981 for March and 1996 for October): the shape Thunderbird, Outlook and tzurl.org write.
# DTSTART is the local time *before* each change (RFC 5545 3.6.5): 03:00 EET in March,
# 04:00 EEST in October, both 01:00 UTC.
HELSINKI_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Helsinki\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:EEST\r\n"
    "DTSTART:19700329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET\r\n"
    "DTSTART:19701025T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def _last_sunday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _rules_hold(first_year: int, last_year: int) -> bool:
    """Whether zoneinfo agrees with the two yearly rules in every year the events span
    (it would not if Finland stopped changing the clocks)."""
    for year in range(first_year, last_year + 1):
        for month, offset_before, offset_after in ((3, 2, 3), (10, 3, 2)):
            change = datetime.combine(_last_sunday(year, month), datetime.min.time(),
                                      tzinfo=UTC) + timedelta(hours=1)
            before = (change - timedelta(minutes=1)).astimezone(LOCAL_TIMEZONE).utcoffset()
            after = change.astimezone(LOCAL_TIMEZONE).utcoffset()
            if (before, after) != (timedelta(hours=offset_before), timedelta(hours=offset_after)):
                return False
    return True


@functools.lru_cache(maxsize=32)
def _vtimezone(first_date: date, last_date: date) -> icalendar.Timezone:
    """The VTIMEZONE for the years the events span.

    Why not icalendar's ``Timezone.from_tzid``: for a span of several years it writes one
    STANDARD/DAYLIGHT pair per transition with RDATEs, and ical.js (Thunderbird, Nextcloud)
    then places the earlier years' summer-time sessions an hour late; it also writes the
    March onset as 04:00 instead of 03:00. Two yearly rules are what every client reads
    alike. Where zoneinfo disagrees with the rules (a future change of law), icalendar's
    transitions from zoneinfo are used instead, so the times stay right."""
    if _rules_hold(first_date.year, last_date.year - 1):
        return icalendar.Timezone.from_ical(HELSINKI_VTIMEZONE)  # type: ignore[return-value]
    return icalendar.Timezone.from_tzid(TIMEZONE_NAME, first_date=first_date,
                                        last_date=last_date)


def _addressed_to(event: EventData, recipient: Attendee) -> EventData:
    """The event as one recipient's copy lists it: the facilitators and the recipient.

    ``recipient`` is used as given (its role and language win over the event's copy).
    Other participants are left out on purpose: a participant list in an invite would
    show every client's e-mail to every other client (mental-health and disability
    services). The recipient must be listed, or Outlook treats the mail as someone
    else's meeting. A participant's copy lists the recipient alone: the facilitators'
    work addresses are no business of clients, and listed there they let anyone lock a
    facilitator's sign-in or target them (the ORGANIZER is the service's own address).
    """
    if not recipient.chair:
        return dataclasses.replace(event, attendees=(recipient,))
    chairs = tuple(a for a in event.attendees if a.chair and a.email != recipient.email)
    return dataclasses.replace(event, attendees=(*chairs, recipient))


def invite(
    event: EventData,
    recipient: Attendee,
    organizer: tuple[str, str],
    dtstamp: datetime,
) -> bytes:
    """``METHOD:REQUEST`` for one recipient: a first invite or an update (same UID, higher
    SEQUENCE). Lists the organizer, the facilitators and the recipient."""
    return build_calendar(
        [_addressed_to(event, recipient)], method=REQUEST, organizer=organizer, dtstamp=dtstamp
    )


def cancellation(
    event: EventData,
    recipient: Attendee,
    organizer: tuple[str, str],
    dtstamp: datetime,
) -> bytes:
    """``METHOD:CANCEL`` with ``STATUS:CANCELLED`` for one recipient.

    Used both when the session is cancelled and when a swap takes a facilitator off it
    (their copy is cancelled even though the session goes on). The caller must pass the
    event with a SEQUENCE higher than the last REQUEST sent; this function marks it
    cancelled but cannot know the previous SEQUENCE.
    """
    cancelled = dataclasses.replace(_addressed_to(event, recipient), cancelled=True)
    return build_calendar([cancelled], method=CANCEL, organizer=organizer, dtstamp=dtstamp)


def feed(
    events: Iterable[EventData],
    name: str,
    refresh: timedelta,
    dtstamp: datetime,
) -> bytes:
    """A subscribable feed: no METHOD, no ORGANIZER/ATTENDEE, NAME/X-WR-CALNAME and a
    refresh hint. Cancelled sessions may stay in the feed with STATUS:CANCELLED so
    subscribed clients see them struck out rather than silently vanish."""
    return build_calendar(events, method=None, name=name, dtstamp=dtstamp, refresh=refresh)
