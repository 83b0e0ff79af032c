"""Every calendar object is parsed back with icalendar and checked for what a calendar
client reads from it: METHOD, UID/SEQUENCE, times in Helsinki, status, people, links."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from remote_groups.calendar.ics import (
    Attendee,
    build_calendar,
    build_event,
    cancellation,
    feed,
    invite,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def parse(ics: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.events
    return event


def attendees_by_email(event: icalendar.Event) -> dict[str, icalendar.vCalAddress]:
    found = event.get("ATTENDEE", [])
    found = [found] if isinstance(found, icalendar.vCalAddress) else found
    return {str(a).removeprefix("mailto:"): a for a in found}


def local_start(event: icalendar.Event) -> datetime:
    dtstart: Any = event["DTSTART"]  # a vDDDTypes; icalendar types the item as any property
    return dtstart.dt


def vtimezone_tzinfo(calendar: icalendar.Calendar):
    """A tzinfo built from the calendar's own VTIMEZONE text, not from the system tz
    database, so the offsets it gives are the ones a client without tzdata would use."""
    (vtimezone,) = calendar.timezones
    return vtimezone.to_tz(lookup_tzid=False)


# --- the invitation a participant receives -------------------------------------------------


def test_invite_has_what_calendar_clients_read(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0), sequence=0)
    calendar = parse(invite(event, people.participant, people.organizer, people.dtstamp))

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert "remote_groups" in calendar["PRODID"]
    vevent = only_event(calendar)
    assert vevent["UID"] == "session-1@remote-groups.invalid"
    assert vevent["SEQUENCE"] == 0
    assert vevent["DTSTAMP"].dt == people.dtstamp
    assert vevent["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert vevent["DTEND"].params["TZID"] == "Europe/Helsinki"
    assert local_start(vevent).replace(tzinfo=None) == datetime(2026, 10, 20, 13, 0)
    assert vevent["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 10, 20, 15, 0)
    assert vevent["SUMMARY"] == "Hyvinvointiryhmä: liikunta"
    assert vevent["DESCRIPTION"] == event.description  # newline survives escaping
    assert vevent["URL"] == "https://remote-groups.invalid/join/abc123"
    assert vevent["LOCATION"] == "https://remote-groups.invalid/join/abc123"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["LAST-MODIFIED"].dt == event.last_modified


def test_invite_offers_video_and_phone_as_rfc7986_conferences(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0))
    vevent = only_event(parse(invite(event, people.participant, people.organizer, people.dtstamp)))

    conferences = vevent["CONFERENCE"]
    assert [(str(c), c.params["VALUE"], c.params["FEATURE"], c.params["LABEL"])
            for c in conferences] == [
        ("https://meet.remote-groups.invalid/ryhma-abc123", "URI", "VIDEO", "Video"),
        ("tel:+358000000000,,123456#", "URI", "PHONE", "Puhelin, PIN 123456#"),
    ]


def test_a_participants_invite_lists_the_service_and_the_participant_only(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0))
    vevent = only_event(parse(invite(event, people.participant, people.organizer, people.dtstamp)))

    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:noreply@remote-groups.invalid"
    assert organizer.params["CN"] == "Etäryhmät"
    listed = attendees_by_email(vevent)
    # Neither other clients' addresses nor the facilitators' work addresses reach a
    # participant (anyone who has an address can try to lock the account's sign-in).
    assert set(listed) == {people.participant.email}
    me = listed[people.participant.email]
    assert me.params["ROLE"] == "REQ-PARTICIPANT"
    assert me.params["PARTSTAT"] == "NEEDS-ACTION"
    assert me.params["RSVP"] == "FALSE"
    assert me.params["CN"] == "Pirkko Osallistuja"


def test_a_facilitators_invite_lists_the_co_facilitators(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0))
    vevent = only_event(parse(invite(event, people.facilitator, people.organizer, people.dtstamp)))
    listed = attendees_by_email(vevent)
    assert set(listed) == {people.facilitator.email, people.co_facilitator.email}
    chair = listed[people.co_facilitator.email]
    assert chair.params["ROLE"] == "CHAIR"
    assert chair.params["CN"] == "Saga Handledare"
    assert chair.params["LANGUAGE"] == "sv"


def test_recipient_missing_from_the_event_is_still_listed(make_event, people):
    newcomer = Attendee("uusi.osallistuja@mail.invalid", "Uusi Osallistuja", language="sv")
    event = make_event(datetime(2026, 10, 20, 13, 0))
    vevent = only_event(parse(invite(event, newcomer, people.organizer, people.dtstamp)))

    listed = attendees_by_email(vevent)
    assert listed[newcomer.email].params["LANGUAGE"] == "sv"
    assert people.participant.email not in listed


# --- updates and cancellations -------------------------------------------------------------


def test_update_keeps_uid_and_raises_sequence(make_event, people):
    first = make_event(datetime(2026, 10, 20, 13, 0), sequence=0)
    moved = dataclasses.replace(
        make_event(datetime(2026, 10, 20, 14, 30), sequence=1), uid=first.uid
    )

    before = only_event(parse(invite(first, people.participant, people.organizer, people.dtstamp)))
    after = only_event(parse(invite(moved, people.participant, people.organizer, people.dtstamp)))

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert local_start(after).replace(tzinfo=None) == datetime(2026, 10, 20, 14, 30)


def test_cancellation_is_method_cancel_with_status_cancelled(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0), sequence=2)
    calendar = parse(cancellation(event, people.participant, people.organizer, people.dtstamp))

    assert calendar["METHOD"] == "CANCEL"
    vevent = only_event(calendar)
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["UID"] == event.uid
    assert vevent["SEQUENCE"] == 2
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@remote-groups.invalid"
    assert people.participant.email in attendees_by_email(vevent)


def test_swap_cancels_for_the_removed_facilitator_and_updates_everyone_else(make_event, people):
    """A swap hands the session from Olli to a new facilitator: Olli's copy is cancelled,
    the others get the same UID with a higher SEQUENCE as a REQUEST."""
    replacement = Attendee("ronja.sijainen@area-north.invalid", "Ronja Sijainen", chair=True)
    after_swap = make_event(
        datetime(2026, 10, 20, 13, 0),
        sequence=3,
        attendees=(replacement, people.co_facilitator, people.participant),
    )

    removed = parse(cancellation(after_swap, people.facilitator, people.organizer,
                                 people.dtstamp))
    stays = parse(invite(after_swap, people.co_facilitator, people.organizer, people.dtstamp))

    assert removed["METHOD"] == "CANCEL"
    assert only_event(removed)["STATUS"] == "CANCELLED"
    assert people.facilitator.email in attendees_by_email(only_event(removed))
    assert stays["METHOD"] == "REQUEST"
    assert only_event(stays)["STATUS"] == "CONFIRMED"
    assert only_event(stays)["SEQUENCE"] == only_event(removed)["SEQUENCE"] == 3
    assert replacement.email in attendees_by_email(only_event(stays))
    assert people.facilitator.email not in attendees_by_email(only_event(stays))


# --- feeds ---------------------------------------------------------------------------------


def test_feed_has_no_method_and_names_itself_with_a_refresh_hint(weekly_series, people):
    events = weekly_series(datetime(2026, 10, 6, 13, 0), 3)
    ics = feed(events, "Etäryhmät – Närpes", timedelta(hours=6), people.dtstamp)
    calendar = parse(ics)

    assert "METHOD" not in calendar
    assert calendar["NAME"] == "Etäryhmät – Närpes"
    assert calendar["X-WR-CALNAME"] == "Etäryhmät – Närpes"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Helsinki"
    assert calendar["X-PUBLISHED-TTL"] == "PT6H"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in ics  # RFC 7986 requires VALUE
    assert len(calendar.events) == 3
    for vevent in calendar.events:
        assert "ORGANIZER" not in vevent
        assert "ATTENDEE" not in vevent  # publishing must not list people
        assert vevent["STATUS"] == "CONFIRMED"


def test_feed_keeps_a_cancelled_session_visible_as_cancelled(make_event, people):
    events = [
        make_event(datetime(2026, 10, 6, 13, 0), uid="a@remote-groups.invalid"),
        make_event(datetime(2026, 10, 13, 13, 0), uid="b@remote-groups.invalid", sequence=1,
                   cancelled=True),
    ]
    calendar = parse(feed(events, "Ryhmät", timedelta(hours=1), people.dtstamp))

    assert {e["UID"]: e["STATUS"] for e in calendar.events} == {
        "a@remote-groups.invalid": "CONFIRMED",
        "b@remote-groups.invalid": "CANCELLED",
    }


# --- time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "change"),
    [
        (datetime(2026, 10, 6, 13, 0), date(2026, 10, 25)),  # summer time ends
        (datetime(2027, 3, 9, 13, 0), date(2027, 3, 28)),  # summer time begins
    ],
)
def test_weekly_series_across_a_dst_change_stays_at_13_local(weekly_series, people, first,
                                                              change):
    events = weekly_series(first, 6)
    calendar = parse(feed(events, "Ryhmä", timedelta(hours=6), people.dtstamp))
    from_vtimezone = vtimezone_tzinfo(calendar)

    starts = [e["DTSTART"].dt for e in calendar.events]
    assert {(s.hour, s.minute) for s in starts} == {(13, 0)}
    assert any(s.date() < change for s in starts)
    assert any(s.date() > change for s in starts)
    for vevent, original in zip(calendar.events, events, strict=True):
        wall = vevent["DTSTART"].dt.replace(tzinfo=None)
        # Read through the VTIMEZONE in the file, the wall time is the instant we stored.
        assert wall.replace(tzinfo=from_vtimezone).astimezone(UTC) == original.starts_at
    utc_hours = {e.starts_at.date() < change: e.starts_at.hour for e in events}
    assert utc_hours[True] != utc_hours[False]  # the UTC instant really moved by an hour


def test_one_vtimezone_covers_every_year_of_the_series(weekly_series, people):
    events = weekly_series(datetime(2026, 10, 6, 13, 0), 30)  # into May 2027
    calendar = parse(feed(events, "Ryhmä", timedelta(hours=6), people.dtstamp))

    (vtimezone,) = calendar.timezones
    assert vtimezone["TZID"] == "Europe/Helsinki"
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    transitions, _ = vtimezone.get_transitions()
    assert datetime(2026, 10, 25, 1, 0) in transitions  # 04:00 EEST -> 03:00 EET
    from_vtimezone = vtimezone_tzinfo(calendar)
    for day in (date(2026, 1, 15), date(2026, 7, 1), date(2026, 12, 1), date(2027, 7, 1),
                date(2027, 12, 1)):
        noon = datetime.combine(day, datetime.min.time()).replace(hour=12)
        assert noon.replace(tzinfo=from_vtimezone).utcoffset() == noon.replace(
            tzinfo=HELSINKI
        ).utcoffset(), day


def test_vtimezone_spring_onset_is_the_real_instant(make_event, people):
    calendar = parse(feed([make_event(datetime(2027, 3, 16, 13, 0))], "R", timedelta(hours=1),
                          people.dtstamp))
    (vtimezone,) = calendar.timezones
    transitions, _ = vtimezone.get_transitions()
    assert datetime(2027, 3, 28, 1, 0) in transitions  # 03:00 EET -> 04:00 EEST


# --- format and guards ---------------------------------------------------------------------


def test_output_is_crlf_folded_utf8_and_repeatable(weekly_series, people):
    long_summary = "Mielen hyvinvointi – Psykisk välmående på distans, ryhmä " * 3
    events = weekly_series(datetime(2026, 10, 6, 13, 0), 2, summary=long_summary)
    first = feed(events, "Ryhmät", timedelta(hours=6), people.dtstamp)
    second = feed(events, "Ryhmät", timedelta(hours=6), people.dtstamp)

    assert first == second  # same data, same bytes: stable ETags and retries
    lines = first.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)  # RFC 5545 3.1 folding, in octets
    assert {e["SUMMARY"] for e in parse(first).events} == {long_summary}


def test_build_event_without_organizer_writes_no_people(make_event, people):
    vevent = build_event(make_event(datetime(2026, 10, 20, 13, 0)), organizer=None,
                         dtstamp=people.dtstamp)
    assert "ORGANIZER" not in vevent
    assert "ATTENDEE" not in vevent


@pytest.mark.parametrize(
    ("cancelled", "kwargs", "message"),
    [
        (False, {"method": "CANCEL"}, "STATUS:CANCELLED"),
        (True, {"method": "REQUEST"}, "use CANCEL"),
        (False, {"method": "PUBLISH"}, "METHOD must be"),
        (False, {"method": "REQUEST", "organizer": None}, "ORGANIZER"),
        (False, {"method": None}, "must not carry ORGANIZER"),
        (False, {"method": "REQUEST", "name": "Feed"}, "feed properties"),
    ],
)
def test_build_calendar_refuses_messages_that_clients_would_mishandle(
    make_event, people, cancelled, kwargs, message
):
    event = make_event(datetime(2026, 10, 20, 13, 0), cancelled=cancelled)
    arguments = {"organizer": people.organizer, "dtstamp": people.dtstamp, **kwargs}
    with pytest.raises(ValueError, match=message):
        build_calendar([event], **arguments)


def test_naive_times_are_refused(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0))
    naive = dataclasses.replace(event, starts_at=event.starts_at.replace(tzinfo=None))
    with pytest.raises(ValueError, match="timezone-aware"):
        invite(naive, people.participant, people.organizer, people.dtstamp)
