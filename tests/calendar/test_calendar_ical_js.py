"""A second, independent reader: Mozilla's ical.js (Thunderbird's parser) under node.

ical.js knows no time zones of its own; it can only place 13:00 Europe/Helsinki on the time
line through the VTIMEZONE in our file. Node's Intl (ICU tz data) then shows that instant in
Helsinki. If our VTIMEZONE were wrong or missing, the two would not agree on 13:00.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from remote_groups.calendar.ics import cancellation, feed, invite


@pytest.mark.parametrize(
    ("first", "utc_before", "utc_after"),
    [
        (datetime(2026, 10, 6, 13, 0), "10:00", "11:00"),  # EEST -> EET on 2026-10-25
        (datetime(2027, 3, 9, 13, 0), "11:00", "10:00"),  # EET -> EEST on 2027-03-28
    ],
)
def test_ical_js_sees_every_session_at_13_helsinki_across_dst(
    ical_js, weekly_series, people, first, utc_before, utc_after
):
    events = weekly_series(first, 6)
    parsed = ical_js(feed(events, "Ryhmä", timedelta(hours=6), people.dtstamp))

    assert parsed["timezones"] == ["Europe/Helsinki"]
    starts = [e["start"] for e in parsed["events"]]
    assert [s["zone"] for s in starts] == ["Europe/Helsinki"] * 6
    assert [s["local"] for s in starts] == [
        (first + timedelta(weeks=i)).strftime("%Y-%m-%dT%H:%M") for i in range(6)
    ]
    utc_times = [s["utc"][11:16] for s in starts]
    assert utc_times[0] == utc_before
    assert utc_times[-1] == utc_after
    assert [e["end"]["local"][11:] for e in parsed["events"]] == ["15:00"] * 6
    # And the instants are exactly the ones the service stored.
    assert [s["utc"] for s in starts] == [
        e.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z") for e in events
    ]


def test_ical_js_reads_invite_update_and_cancel(ical_js, make_event, people):
    first = make_event(datetime(2026, 10, 20, 13, 0), sequence=0)
    moved = dataclasses.replace(make_event(datetime(2026, 10, 27, 13, 0), sequence=1),
                                uid=first.uid)
    cancelled = dataclasses.replace(moved, sequence=2)

    sent = [
        ical_js(invite(first, people.participant, people.organizer, people.dtstamp)),
        ical_js(invite(moved, people.participant, people.organizer, people.dtstamp)),
        ical_js(cancellation(cancelled, people.participant, people.organizer, people.dtstamp)),
    ]

    assert [m["method"] for m in sent] == ["REQUEST", "REQUEST", "CANCEL"]
    views = [m["events"][0] for m in sent]
    assert {v["uid"] for v in views} == {first.uid}
    assert [v["sequence"] for v in views] == [0, 1, 2]
    assert [v["status"] for v in views] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert [v["start"]["local"] for v in views] == [
        "2026-10-20T13:00", "2026-10-27T13:00", "2026-10-27T13:00"
    ]
    assert views[0]["summary"] == "Hyvinvointiryhmä: liikunta"


def test_ical_js_sees_a_feed_without_method(ical_js, weekly_series, people):
    parsed = ical_js(feed(weekly_series(datetime(2026, 11, 3, 13, 0), 2), "Etäryhmät",
                          timedelta(hours=6), people.dtstamp))
    assert parsed["method"] is None
    assert parsed["name"] == "Etäryhmät"
    assert len(parsed["events"]) == 2
