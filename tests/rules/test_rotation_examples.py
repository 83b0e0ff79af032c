"""Example series a coordinator would plan, checked date by date."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from remote_groups.rules.rotation import (
    HELSINKI,
    MAX_MEETINGS,
    Problem,
    SeriesError,
    SeriesSpec,
    holiday_name,
    hosts_per_area,
    plan_series,
)

WEST_UUSIMAA, NORTH_KARELIA, SOUTHWEST_FINLAND = 11, 12, 13
THREE_AREAS = (WEST_UUSIMAA, NORTH_KARELIA, SOUTHWEST_FINLAND)
THURSDAY = 3


def thursday_club(**changes: Any) -> SeriesSpec:
    base = SeriesSpec(
        host_order=THREE_AREAS,
        weekday=THURSDAY,
        start_time=time(13, 0),
        duration=timedelta(hours=2),
        interval_weeks=1,
        first_date=date(2026, 10, 1),
        count=10,
    )
    return replace(base, **changes)


def problems_of(spec: SeriesSpec) -> set[Problem]:
    with pytest.raises(SeriesError) as caught:
        plan_series(spec)
    return set(caught.value.problems)


def test_autumn_series_keeps_13_local_across_end_of_dst() -> None:
    # Summer time ends on Sunday 25 October 2026 (last Sunday of October).
    plan = plan_series(thursday_club(count=6))
    assert [s.local_date for s in plan.sessions] == [
        date(2026, 10, 1), date(2026, 10, 8), date(2026, 10, 15),
        date(2026, 10, 22), date(2026, 10, 29), date(2026, 11, 5),
    ]
    # 13:00 EEST is 10:00 UTC; 13:00 EET is 11:00 UTC.
    assert [s.starts_at.hour for s in plan.sessions] == [10, 10, 10, 10, 11, 11]
    for session in plan.sessions:
        local = session.starts_at.astimezone(HELSINKI)
        assert (local.date(), local.time()) == (session.local_date, time(13, 0))
        assert session.starts_at.tzinfo is UTC
        assert session.ends_at - session.starts_at == timedelta(hours=2)
    assert plan.sessions[3].starts_at == datetime(2026, 10, 22, 10, 0, tzinfo=UTC)
    assert plan.sessions[4].starts_at == datetime(2026, 10, 29, 11, 0, tzinfo=UTC)
    assert [s.host for s in plan.sessions] == list(THREE_AREAS) * 2
    assert [s.index for s in plan.sessions] == list(range(6))
    assert plan.skipped == ()


def test_christmas_new_year_and_epiphany_are_skipped_and_series_extended() -> None:
    # Thursdays: Christmas Eve 24.12.2026 is a Thursday.
    plan = plan_series(thursday_club(first_date=date(2026, 12, 10), count=5))
    assert [s.local_date for s in plan.sessions] == [
        date(2026, 12, 10), date(2026, 12, 17), date(2026, 12, 31),
        date(2027, 1, 7), date(2027, 1, 14),
    ]
    assert [(d.local_date, d.reason) for d in plan.skipped] == [
        (date(2026, 12, 24), "Christmas Eve"),
    ]
    # Fridays: Christmas Day 25.12.2026 and New Year's Day 1.1.2027; five meetings still held.
    friday = plan_series(thursday_club(weekday=4, first_date=date(2026, 12, 11), count=5))
    assert [s.local_date for s in friday.sessions] == [
        date(2026, 12, 11), date(2026, 12, 18), date(2027, 1, 8),
        date(2027, 1, 15), date(2027, 1, 22),
    ]
    assert [(d.local_date, d.reason) for d in friday.skipped] == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2027, 1, 1), "New Year's Day"),
    ]
    # Wednesdays: Epiphany 6.1.2027.
    wednesday = plan_series(thursday_club(weekday=2, first_date=date(2026, 12, 20), count=3))
    assert [s.local_date for s in wednesday.sessions] == [
        date(2026, 12, 23), date(2026, 12, 30), date(2027, 1, 13),
    ]
    assert [(d.local_date, d.reason) for d in wednesday.skipped] == [
        (date(2027, 1, 6), "Epiphany"),
    ]


def test_holiday_does_not_cost_an_area_its_turn() -> None:
    plan = plan_series(thursday_club(first_date=date(2026, 12, 10), count=6))
    # 24.12 is skipped: the area whose turn it would have been hosts the next meeting.
    assert [s.host for s in plan.sessions] == list(THREE_AREAS) * 2
    assert hosts_per_area(plan) == {WEST_UUSIMAA: 2, NORTH_KARELIA: 2, SOUTHWEST_FINLAND: 2}


def test_holidays_can_be_kept_on_request() -> None:
    plan = plan_series(thursday_club(first_date=date(2026, 12, 24), count=2,
                                     skip_holidays=False))
    assert [s.local_date for s in plan.sessions] == [date(2026, 12, 24), date(2026, 12, 31)]
    assert plan.skipped == ()


def test_midsummer_eve_is_a_day_off() -> None:
    plan = plan_series(thursday_club(weekday=4, first_date=date(2026, 6, 12), count=2))
    assert [s.local_date for s in plan.sessions] == [date(2026, 6, 12), date(2026, 6, 26)]
    assert [(d.local_date, d.reason) for d in plan.skipped] == [
        (date(2026, 6, 19), "Midsummer Eve"),
    ]
    assert holiday_name(date(2026, 6, 19), "fi") == "Juhannusaatto"
    assert holiday_name(date(2026, 12, 24), "sv") == "Julafton"
    assert holiday_name(date(2026, 12, 31)) is None  # New Year's Eve is a working day


def test_fortnightly_series() -> None:
    plan = plan_series(thursday_club(interval_weeks=2, first_date=date(2026, 9, 1), count=5,
                                     host_order=(1, 2)))
    assert [s.local_date for s in plan.sessions] == [
        date(2026, 9, 3), date(2026, 9, 17), date(2026, 10, 1),
        date(2026, 10, 15), date(2026, 10, 29),
    ]
    assert [s.host for s in plan.sessions] == [1, 2, 1, 2, 1]


def test_until_date_is_inclusive_and_reports_holidays_up_to_it() -> None:
    plan = plan_series(thursday_club(count=None, first_date=date(2026, 12, 1),
                                     until=date(2026, 12, 24)))
    assert [s.local_date for s in plan.sessions] == [
        date(2026, 12, 3), date(2026, 12, 10), date(2026, 12, 17),
    ]
    assert [d.local_date for d in plan.skipped] == [date(2026, 12, 24)]
    plan = plan_series(thursday_club(count=None, first_date=date(2026, 12, 1),
                                     until=date(2026, 12, 17)))
    assert plan.sessions[-1].local_date == date(2026, 12, 17)
    assert plan.skipped == ()


def test_rotation_offset_picks_the_first_host() -> None:
    plan = plan_series(thursday_club(count=4, rotation_offset=2))
    assert [s.host for s in plan.sessions] == [
        SOUTHWEST_FINLAND, WEST_UUSIMAA, NORTH_KARELIA, SOUTHWEST_FINLAND,
    ]


def test_first_date_on_another_weekday_moves_to_the_next_matching_day() -> None:
    plan = plan_series(thursday_club(first_date=date(2026, 10, 2), count=1))  # a Friday
    assert plan.sessions[0].local_date == date(2026, 10, 8)


# --- validation codes ---------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "expected"), [
    ({"host_order": ()}, Problem("host_order", "no_areas")),
    ({"host_order": (1, 1, 2)}, Problem("host_order", "same_area_twice_in_a_row")),
    ({"host_order": (1, 2, 1)}, Problem("host_order", "same_area_twice_in_a_row")),  # wraps
    ({"rotation_offset": 3}, Problem("rotation_offset", "bad_rotation_offset")),
    ({"rotation_offset": -1}, Problem("rotation_offset", "bad_rotation_offset")),
    ({"weekday": 7}, Problem("weekday", "bad_weekday")),
    ({"start_time": time(13, tzinfo=UTC)}, Problem("start_time", "bad_start_time")),
    ({"interval_weeks": 3}, Problem("interval_weeks", "bad_interval")),
    ({"interval_weeks": 0}, Problem("interval_weeks", "bad_interval")),
    ({"duration": timedelta(0)}, Problem("duration", "end_before_start")),
    ({"duration": timedelta(hours=-1)}, Problem("duration", "end_before_start")),
    ({"duration": timedelta(hours=9)}, Problem("duration", "bad_duration")),
    ({"start_time": time(23), "duration": timedelta(hours=2)},
     Problem("duration", "duration_crosses_midnight")),
    ({"until": date(2026, 12, 1)}, Problem("count", "count_and_until")),
    ({"count": None}, Problem("count", "count_or_until_required")),
    ({"count": 0}, Problem("count", "no_meetings")),
    ({"count": MAX_MEETINGS + 1}, Problem("count", "too_many_meetings")),
    ({"count": None, "until": date(2026, 9, 30)}, Problem("until", "end_before_start")),
    # 1.10.2026 is a Thursday but the until date is before it: nothing to hold.
    ({"count": None, "first_date": date(2026, 9, 25), "until": date(2026, 9, 30)},
     Problem("until", "no_meetings")),
    # Only Christmas Eve lies in the range.
    ({"count": None, "first_date": date(2026, 12, 24), "until": date(2026, 12, 24)},
     Problem("until", "no_meetings")),
    ({"count": None, "until": date(2031, 1, 1)}, Problem("until", "too_many_meetings")),
    # Sunday 29 March 2026, 03:30 does not exist in Helsinki: clocks go 03:00 -> 04:00.
    ({"weekday": 6, "start_time": time(3, 30), "first_date": date(2026, 3, 29), "count": 2},
     Problem("start_time", "start_time_does_not_exist")),
])
def test_each_validation_code(changes: dict[str, object], expected: Problem) -> None:
    assert problems_of(thursday_club(**changes)) == {expected}


def test_all_problems_are_collected_at_once() -> None:
    spec = thursday_club(host_order=(), weekday=9, interval_weeks=5,
                         duration=timedelta(0), count=None)
    assert problems_of(spec) == {
        Problem("host_order", "no_areas"),
        Problem("weekday", "bad_weekday"),
        Problem("interval_weeks", "bad_interval"),
        Problem("duration", "end_before_start"),
        Problem("count", "count_or_until_required"),
    }


def test_one_area_alone_is_a_valid_series() -> None:
    plan = plan_series(thursday_club(host_order=(5,), count=3))
    assert [s.host for s in plan.sessions] == [5, 5, 5]


def test_the_largest_allowed_series_is_planned() -> None:
    plan = plan_series(thursday_club(count=MAX_MEETINGS))
    assert len(plan.sessions) == MAX_MEETINGS
