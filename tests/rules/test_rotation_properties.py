"""Properties every valid series plan must have, whatever the coordinator asks for."""

from __future__ import annotations

from datetime import date, time, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from remote_groups.rules.rotation import (
    HELSINKI,
    SeriesSpec,
    first_meeting_date,
    hosts_per_area,
    plan_series,
)

FINLAND = holidays.country_holidays("FI", language="en_US")


@st.composite
def host_orders(draw: st.DrawFn) -> tuple[int, ...]:
    """1-6 distinct area ids in a random order: never the same area twice in a row."""
    return tuple(draw(st.lists(st.integers(1, 30), min_size=1, max_size=6, unique=True)))


@st.composite
def specs(draw: st.DrawFn, *, by_count: bool | None = None) -> SeriesSpec:
    order = draw(host_orders())
    start = time(draw(st.integers(6, 20)), draw(st.sampled_from([0, 15, 30, 45])))
    duration = timedelta(minutes=draw(st.integers(30, 180)))
    use_count = draw(st.booleans()) if by_count is None else by_count
    first = draw(st.dates(date(2024, 1, 1), date(2030, 12, 31)))
    interval = draw(st.sampled_from([1, 2]))
    return SeriesSpec(
        host_order=order,
        weekday=draw(st.integers(0, 6)),
        start_time=start,
        duration=duration,
        interval_weeks=interval,
        first_date=first,
        count=draw(st.integers(1, 60)) if use_count else None,
        until=None if use_count else first + timedelta(days=draw(st.integers(60, 700))),
        skip_holidays=draw(st.booleans()),
        rotation_offset=draw(st.integers(0, len(order) - 1)),
    )


def is_day_off(day: date) -> bool:
    midsummer_eve = day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4
    return day in FINLAND or midsummer_eve or (day.month, day.day) == (12, 24)


@settings(max_examples=150, deadline=None)
@given(specs(by_count=True))
def test_the_asked_number_of_meetings_is_held(spec: SeriesSpec) -> None:
    assert len(plan_series(spec).sessions) == spec.count


@settings(max_examples=150, deadline=None)
@given(specs())
def test_no_meeting_on_a_holiday_and_every_skip_is_one(spec: SeriesSpec) -> None:
    plan = plan_series(spec)
    if spec.skip_holidays:
        assert not any(is_day_off(s.local_date) for s in plan.sessions)
        assert all(is_day_off(d.local_date) for d in plan.skipped)
    else:
        assert plan.skipped == ()


@settings(max_examples=150, deadline=None)
@given(specs())
def test_local_start_time_is_constant_across_dst(spec: SeriesSpec) -> None:
    for session in plan_series(spec).sessions:
        local = session.starts_at.astimezone(HELSINKI)
        assert local.date() == session.local_date
        assert local.time() == spec.start_time
        assert session.ends_at - session.starts_at == spec.duration
        assert session.starts_at.utcoffset() == timedelta(0)


@settings(max_examples=150, deadline=None)
@given(specs())
def test_meetings_follow_weekday_and_interval_except_for_skips(spec: SeriesSpec) -> None:
    plan = plan_series(spec)
    held = [s.local_date for s in plan.sessions]
    step = timedelta(weeks=spec.interval_weeks)
    first = first_meeting_date(spec)
    assert first.weekday() == spec.weekday
    assert first_date_ok(spec, first)
    # Held and skipped dates together are exactly the unbroken grid first, first+step, ...
    grid_dates = sorted(held + [d.local_date for d in plan.skipped])
    assert grid_dates == [first + i * step for i in range(len(grid_dates))]
    assert held == sorted(held)
    if spec.until is not None:
        assert all(d <= spec.until for d in grid_dates)
        # Nothing left out: the next grid date is past the end.
        assert grid_dates[-1] + step > spec.until
    else:
        # With a count, the series ends with a held meeting, not a skip.
        assert grid_dates[-1] == held[-1]


def first_date_ok(spec: SeriesSpec, first: date) -> bool:
    return spec.first_date <= first < spec.first_date + timedelta(days=7)


@settings(max_examples=150, deadline=None)
@given(specs())
def test_hosting_is_fair_and_in_rotation_order(spec: SeriesSpec) -> None:
    plan = plan_series(spec)
    n, k = len(plan.sessions), len(spec.host_order)
    counts = hosts_per_area(plan)
    assert sum(counts.values()) == n
    assert set(counts) <= set(spec.host_order)
    for area in spec.host_order:
        assert counts.get(area, 0) in {n // k, -(-n // k)}
    assert plan.sessions[0].host == spec.host_order[spec.rotation_offset]
    for before, after in zip(plan.sessions, plan.sessions[1:], strict=False):
        position = spec.host_order.index(before.host)
        assert after.host == spec.host_order[(position + 1) % k]
    assert [s.index for s in plan.sessions] == list(range(n))
