"""Times right in every client, for any span of dates: random series over random spans of up
to five years, read back by Mozilla's ical.js (Thunderbird, Nextcloud) through node, every
start equal to zoneinfo's. The bug this guards: a VTIMEZONE built for several years put the
earlier years' summer-time sessions an hour late in ical.js."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remote_groups.calendar import recurrence
from remote_groups.calendar.ics import Attendee, EventData, build_calendar, feed

HELSINKI = ZoneInfo("Europe/Helsinki")
DTSTAMP = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)


def _series(first: date, at: time, every_days: int, span_days: int) -> list[EventData]:
    events = []
    day = first
    while day <= first + timedelta(days=span_days):
        starts = datetime.combine(day, at, tzinfo=HELSINKI).astimezone(UTC)
        events.append(EventData(
            uid=f"s-{day.isoformat()}@remote-groups.invalid", sequence=0, starts_at=starts,
            ends_at=starts + timedelta(minutes=90), summary="Ryhmä", description="",
            url="https://remote-groups.invalid/j", location="https://remote-groups.invalid/j",
            cancelled=False, last_modified=DTSTAMP))
        day += timedelta(days=every_days)
    return events


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)),
    at=st.times(min_value=time(6, 0), max_value=time(22, 0)).map(
        lambda t: t.replace(second=0, microsecond=0)),
    every_days=st.sampled_from([1, 7, 14, 28]),
    span_days=st.integers(min_value=0, max_value=5 * 365),
)
def test_ical_js_places_every_session_where_zoneinfo_does(ical_js, first, at, every_days,
                                                          span_days):
    events = _series(first, at, every_days, span_days)
    parsed = ical_js(feed(events, "Ryhmä", timedelta(hours=1), DTSTAMP))

    assert parsed["timezones"] == ["Europe/Helsinki"]
    got = [e["start"]["utc"] for e in parsed["events"]]
    want = [e.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z") for e in events]
    assert got == want


ORGANIZER = ("noreply@remote-groups.invalid", "Etäryhmät – Distansgrupper")
PERSON = Attendee("pirkko@example.invalid", "Pirkko")


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)),
    at=st.sampled_from([time(9, 0), time(14, 0), time(17, 30)]),
    every_weeks=st.sampled_from([1, 2]),
    count=st.integers(min_value=2, max_value=5 * 26),
    data=st.data(),
)
def test_ical_js_expands_a_persons_entry_to_the_sessions_zoneinfo_gives(
        ical_js, first, at, every_weeks, count, data):
    """One recurring entry (RRULE with UNTIL, EXDATE for skipped and cancelled sessions,
    RDATE for extra ones, RECURRENCE-ID overrides for moved ones) over up to five years:
    ical.js's own recurrence expansion gives exactly the sessions' starts."""
    slots = [datetime.combine(first + timedelta(weeks=n * every_weeks), at,
                              tzinfo=HELSINKI).astimezone(UTC) for n in range(count)]
    skipped = data.draw(st.sets(st.integers(1, count - 1), max_size=count // 4))
    moved = data.draw(st.sets(st.integers(0, count - 1), max_size=3))
    extra_days = data.draw(st.lists(st.integers(1, 5 * 365), max_size=3, unique=True))
    instances = []
    for n, slot in enumerate(slots):
        start = slot + (timedelta(hours=2) if n in moved else timedelta(0))
        instances.append(recurrence.Instance(slot=slot, cancelled=n in skipped, details="d",
                                             event=_event(start)))
    for days in extra_days:  # extra sessions on other days, at 19.00
        local = datetime.combine(first + timedelta(days=days), time(19, 0), tzinfo=HELSINKI)
        slot = local.astimezone(UTC)
        if slot not in slots:
            instances.append(recurrence.Instance(slot=slot, cancelled=False, details="d",
                                                 event=_event(slot)))
    built = recurrence.build(instances, uid="entry-1@remote-groups.invalid", sequence=3,
                             master_texts=_event(slots[0]))
    assert built is not None
    parsed = ical_js(build_calendar(built.events, method="REQUEST", organizer=ORGANIZER,
                                    dtstamp=DTSTAMP))
    got = sorted(o["start"]["utc"] for o in parsed["occurrences"])
    want = sorted(i.event.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
                  for i in instances if not i.cancelled)
    assert got == want


def _event(starts: datetime) -> EventData:
    return EventData(
        uid="x", sequence=0, starts_at=starts, ends_at=starts + timedelta(minutes=90),
        summary="Kurssi", description="", url="https://remote-groups.invalid/j",
        location="https://remote-groups.invalid/j", cancelled=False, last_modified=DTSTAMP,
        attendees=(PERSON,))
