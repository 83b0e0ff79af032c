"""Events written without icalendar's Event.new(), and lines written by our quicker
content_line, come out byte for byte as icalendar's Event.new() and Calendar wrote them:
feeds, invites and cancellations, with and without description, with one or two ways to
join, cancelled or not, in summer and winter time."""

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest

from remote_groups.calendar import ics
from remote_groups.calendar.ics import LOCAL_TIMEZONE, Attendee, Conference, EventData

STAMP = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
VIDEO = Conference("https://meet.example.invalid/Room-1", "VIDEO", "Video ja puhelin")
PHONE = Conference("tel:+358-9-555-0100,,123456", "PHONE", "Puhelin, PIN 123 456#")


def _event(**changes) -> EventData:
    start = datetime(2026, 6, 4, 9, 0, tzinfo=UTC)
    values: dict[str, Any] = dict(
        uid="5cf32e5d-7733-4ab3-9d54-23da8b05d176", sequence=3, starts_at=start,
        ends_at=start + timedelta(minutes=90), summary="Liikuntaryhmä; tauko, venyttely",
        description="Tapaaminen 2\nJärjestäjä: Satakunta\nOhjaajat: Eero, Otto",
        url="https://ryhmat.example.invalid/fi/sessions/2/join",
        location="https://ryhmat.example.invalid/fi/sessions/2/join", cancelled=False,
        last_modified=datetime(2026, 11, 20, 8, 15, 30, tzinfo=UTC),
        conferences=(VIDEO,), attendees=(),
    )
    values.update(changes)
    return EventData(**values)


def _with_event_new(event: EventData, *, organizer, dtstamp) -> icalendar.Event:
    """build_event as it was written with Event.new(), kept here as the reference."""
    vevent = icalendar.Event.new(
        uid=event.uid, sequence=event.sequence, stamp=dtstamp.astimezone(UTC),
        start=event.starts_at.astimezone(LOCAL_TIMEZONE),
        end=event.ends_at.astimezone(LOCAL_TIMEZONE), summary=event.summary,
        description=event.description or None, url=event.url, location=event.location,
        status=icalendar.enums.STATUS.CANCELLED if event.cancelled
        else icalendar.enums.STATUS.CONFIRMED,
        last_modified=event.last_modified.astimezone(UTC),
        conferences=[icalendar.Conference(c.uri, feature=c.feature, label=c.label)
                     for c in event.conferences] or None,
    )
    if organizer is not None:
        vevent.organizer = ics._address(organizer[0], cn=organizer[1])
        vevent.attendees = [ics._attendee_address(a) for a in event.attendees]
    return vevent


def _use_icalendar_as_it_is(monkeypatch) -> None:
    monkeypatch.setattr(ics, "build_event", _with_event_new)
    monkeypatch.setattr(ics, "_Calendar", icalendar.Calendar)


EVENTS = [
    _event(),
    _event(description="", conferences=()),
    _event(conferences=(VIDEO, PHONE), sequence=0),
    _event(cancelled=True, sequence=7),
    _event(starts_at=datetime(2026, 12, 31, 21, 30, tzinfo=UTC),
           ends_at=datetime(2026, 12, 31, 23, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize("event", EVENTS)
def test_a_feed_is_the_same_bytes_as_with_event_new(event, monkeypatch):
    ours = ics.feed([event], name="Ryhmä", refresh=timedelta(hours=1), dtstamp=STAMP)
    _use_icalendar_as_it_is(monkeypatch)
    theirs = ics.feed([event], name="Ryhmä", refresh=timedelta(hours=1), dtstamp=STAMP)
    assert ours == theirs


@pytest.mark.parametrize("cancelled", [False, True])
def test_an_invite_or_cancellation_is_the_same_bytes_as_with_event_new(cancelled, monkeypatch):
    event = _event(attendees=(Attendee("ohjaaja@example.invalid", "Eero Esimerkki", True),))
    recipient = Attendee("asiakas@example.invalid", "Aino Malli", language="sv")
    organizer = ("ryhmat@example.invalid", "Etäryhmät")
    make = ics.cancellation if cancelled else ics.invite
    ours = make(event, recipient, organizer, STAMP)
    _use_icalendar_as_it_is(monkeypatch)
    assert ours == make(event, recipient, organizer, STAMP)
    assert b"DTSTART;TZID=Europe/Helsinki:20260604T120000" in ours


def test_a_whole_feed_of_many_events_is_the_same_bytes(monkeypatch):
    events = [_event(uid=f"uid-{i}", starts_at=datetime(2026, 1, 5, 8, tzinfo=UTC)
                     + timedelta(weeks=i), ends_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
                     + timedelta(weeks=i), cancelled=i % 9 == 0) for i in range(60)]
    ours = ics.feed(events, name="Ryhmä", refresh=timedelta(hours=1), dtstamp=STAMP)
    _use_icalendar_as_it_is(monkeypatch)
    assert ours == ics.feed(events, name="Ryhmä", refresh=timedelta(hours=1), dtstamp=STAMP)
