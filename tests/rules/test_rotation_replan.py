"""Editing a running series: what has begun stays, the rest is planned again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remote_groups.rules.rotation import (
    Problem,
    SeriesError,
    SeriesSpec,
    plan_series,
    replan_future,
)

SPEC = SeriesSpec(
    host_order=(11, 12, 13),
    weekday=3,
    start_time=time(13, 0),
    duration=timedelta(hours=2),
    interval_weeks=1,
    first_date=date(2026, 10, 1),
    count=10,
)


def test_unchanged_spec_gives_back_the_future_of_the_original_plan() -> None:
    plan = plan_series(SPEC)
    now = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)  # after 3 meetings
    future = replan_future(plan.sessions, SPEC, now)
    assert future.sessions == plan.sessions[3:]


def test_moving_to_fridays_keeps_count_rotation_and_begun_meetings() -> None:
    plan = plan_series(SPEC)
    now = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
    moved = replace(SPEC, weekday=4, first_date=date(2026, 10, 20))
    future = replan_future(plan.sessions, moved, now)
    assert [s.local_date for s in future.sessions] == [
        date(2026, 10, 23), date(2026, 10, 30), date(2026, 11, 6), date(2026, 11, 13),
        date(2026, 11, 20), date(2026, 11, 27), date(2026, 12, 4),
    ]
    assert [s.index for s in future.sessions] == list(range(3, 10))
    # Meetings 0-2 were hosted by 11, 12, 13; the rotation goes on with 11.
    assert [s.host for s in future.sessions] == [11, 12, 13, 11, 12, 13, 11]


def test_a_meeting_under_way_counts_as_begun_and_nothing_lands_on_its_day() -> None:
    plan = plan_series(SPEC)
    # 15.10.2026 13:30 Helsinki: the third meeting is under way.
    now = datetime(2026, 10, 15, 10, 30, tzinfo=UTC)
    later_same_day = replace(SPEC, first_date=date(2026, 10, 15), start_time=time(17, 0))
    future = replan_future(plan.sessions, later_same_day, now)
    assert future.sessions[0].local_date == date(2026, 10, 22)
    assert future.sessions[0].index == 3
    assert len(future.sessions) == 7


def test_count_below_the_meetings_already_held_is_refused() -> None:
    plan = plan_series(SPEC)
    now = datetime(2026, 11, 1, tzinfo=UTC)  # five meetings held
    with pytest.raises(SeriesError) as caught:
        replan_future(plan.sessions, replace(SPEC, count=4), now)
    assert caught.value.problems == [Problem("count", "fewer_than_held")]
    # Ending the series now is fine: nothing further is planned.
    assert replan_future(plan.sessions, replace(SPEC, count=5), now).sessions == ()


def test_holidays_ahead_are_skipped_when_replanning() -> None:
    plan = plan_series(replace(SPEC, first_date=date(2026, 12, 3), count=4))
    now = datetime(2026, 12, 15, tzinfo=UTC)  # 3.12 and 10.12 held
    future = replan_future(plan.sessions, replace(SPEC, first_date=date(2026, 12, 3),
                                                   count=4), now)
    assert [s.local_date for s in future.sessions] == [date(2026, 12, 17), date(2026, 12, 31)]
    assert [d.local_date for d in future.skipped] == [date(2026, 12, 24)]


@settings(max_examples=100, deadline=None)
@given(
    order=st.lists(st.integers(1, 9), min_size=1, max_size=4, unique=True),
    weekday=st.integers(0, 6),
    interval=st.sampled_from([1, 2]),
    first=st.dates(date(2025, 1, 1), date(2029, 12, 31)),
    count=st.integers(1, 40),
    hours_in=st.integers(0, 24 * 7 * 90),
)
def test_replanning_an_unchanged_series_changes_nothing(
    order: list[int], weekday: int, interval: int, first: date, count: int, hours_in: int,
) -> None:
    spec = replace(SPEC, host_order=tuple(order), weekday=weekday, interval_weeks=interval,
                   first_date=first, count=count)
    plan = plan_series(spec)
    now = datetime.combine(first, time(0), tzinfo=UTC) + timedelta(hours=hours_in)
    begun = [s for s in plan.sessions if s.starts_at < now]
    assert replan_future(plan.sessions, spec, now).sessions == plan.sessions[len(begun):]
