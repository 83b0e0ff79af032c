"""Times right in every client, for any span of dates: random series over random spans of up
to five years, read back by Mozilla's ical.js (Thunderbird, Nextcloud) through node, every
start equal to zoneinfo's. The bug this guards: a VTIMEZONE built for several years put the
earlier years' summer-time sessions an hour late in ical.js."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remote_groups.calendar.ics import EventData, feed

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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
