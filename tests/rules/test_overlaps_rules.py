"""Double bookings: one person in two sessions at once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from remote_groups.rules.overlaps import Booking, Overlap, find_overlaps

MONDAY = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)


def at(hour: float) -> datetime:
    return MONDAY + timedelta(hours=hour)


def booking(person: int, session: object, start: float, end: float) -> Booking:
    return Booking(person=person, session=session, starts_at=at(start), ends_at=at(end))


def test_partly_overlapping_sessions_are_reported_with_the_shared_time() -> None:
    found = find_overlaps([
        booking(1, "mon-peer", 10, 12),
        booking(1, "mon-thursday-club", 11, 13),
    ])
    assert found == [Overlap(person=1, first="mon-peer", second="mon-thursday-club",
                             starts_at=at(11), ends_at=at(12))]


def test_back_to_back_sessions_do_not_overlap() -> None:
    assert find_overlaps([booking(1, "a", 10, 12), booking(1, "b", 12, 14)]) == []


def test_different_people_at_the_same_time_do_not_overlap() -> None:
    assert find_overlaps([booking(1, "a", 10, 12), booking(2, "b", 10, 12)]) == []


def test_one_long_session_overlaps_each_short_one_inside_it() -> None:
    found = find_overlaps([
        booking(7, "course", 9, 17),
        booking(7, "short-1", 10, 11),
        booking(7, "short-2", 13, 14),
    ])
    assert [(o.first, o.second) for o in found] == [("course", "short-1"), ("course", "short-2")]
    assert [(o.starts_at, o.ends_at) for o in found] == [(at(10), at(11)), (at(13), at(14))]


def test_same_session_twice_is_not_a_clash_and_input_order_does_not_matter() -> None:
    rows = [booking(3, 42, 10, 12), booking(3, 42, 10, 12), booking(3, 43, 11, 12)]
    found = find_overlaps(list(reversed(rows)))
    assert {(o.first, o.second) for o in found} == {(42, 43)}
    assert len(found) == 2  # both duplicate rows of 42 clash with 43


def test_results_are_ordered_by_person() -> None:
    found = find_overlaps([
        booking(9, "x", 10, 12), booking(9, "y", 11, 12),
        booking(2, "p", 10, 12), booking(2, "q", 11, 12),
    ])
    assert [o.person for o in found] == [2, 9]


def test_empty_input() -> None:
    assert find_overlaps([]) == []


intervals = st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), intervals), max_size=25), st.randoms())
def test_sweep_finds_exactly_the_pairs_a_brute_force_finds(
    rows: list[tuple[int, tuple[int, int]]], rng: random.Random,
) -> None:
    bookings = [booking(person, f"s{i}", start, end)
                for i, (person, (start, end)) in enumerate(rows)]
    expected = {
        frozenset((a.session, b.session))
        for a, b in combinations(bookings, 2)
        if a.person == b.person and a.starts_at < b.ends_at and b.starts_at < a.ends_at
    }
    shuffled = bookings[:]
    rng.shuffle(shuffled)
    found = find_overlaps(shuffled)
    assert {frozenset((o.first, o.second)) for o in found} == expected
    assert len(found) == len(expected)
    for overlap in found:
        first = next(b for b in bookings if b.session == overlap.first)
        second = next(b for b in bookings if b.session == overlap.second)
        assert first.starts_at <= second.starts_at
        assert overlap.starts_at == max(first.starts_at, second.starts_at)
        assert overlap.ends_at == min(first.ends_at, second.ends_at)
        assert overlap.starts_at < overlap.ends_at
