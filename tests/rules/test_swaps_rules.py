"""Swap rules: an exchange or a cover holds only if nothing changed since the proposal."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from remote_groups.rules.overlaps import Booking
from remote_groups.rules.swaps import (
    Problem,
    SessionSnapshot,
    check_cover_proposal,
    check_exchange_proposal,
    decide_cover,
    decide_exchange,
    expires_at,
)

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
WEST, NORTH, SOUTH = 1, 2, 3
ANNA, BIRGIT, CARL = 10, 20, 30


def snap(id_: int, host: int, facilitators: set[int], days: float, *,
         areas: set[int] | None = None, **kw: object) -> SessionSnapshot:
    start = NOW + timedelta(days=days)
    return SessionSnapshot(
        id=id_, host_area_id=host, facilitator_ids=frozenset(facilitators), starts_at=start,
        ends_at=start + timedelta(hours=2), cancelled=False, sequence=0,
        area_ids=frozenset(areas or {WEST, NORTH, SOUTH}), **kw,
    )


MINE = snap(1, WEST, {ANNA}, 3)
THEIRS = snap(2, NORTH, {BIRGIT}, 10)


def exchange(current: tuple[SessionSnapshot, SessionSnapshot] = (MINE, THEIRS), *,
             bookings: list[Booking] | None = None, now: datetime = NOW, area: int = NORTH):
    return decide_exchange((MINE, THEIRS), current, answering_area_id=area,
                           other_bookings=bookings or [], now=now)


def test_exchange_swaps_hosts_and_facilitators_of_both_sessions():
    decision = exchange()
    assert decision.ok
    first, second = decision.changes
    assert (first.session_id, first.host_after, first.facilitators_after) == (
        1, NORTH, frozenset({BIRGIT}))
    assert (second.session_id, second.host_after, second.facilitators_after) == (
        2, WEST, frozenset({ANNA}))
    assert first.removed == {ANNA} and second.removed == {BIRGIT}


def test_exchange_refused_when_a_session_was_cancelled_or_rehosted():
    cancelled = replace(THEIRS, cancelled=True)
    assert exchange((MINE, cancelled)).problems == (Problem.CANCELLED,)
    taken = replace(MINE, host_area_id=SOUTH, facilitator_ids=frozenset({CARL}))
    assert Problem.HOST_CHANGED in exchange((taken, THEIRS)).problems


def test_exchange_refused_when_a_session_was_moved():
    moved = replace(THEIRS, starts_at=THEIRS.starts_at + timedelta(hours=1),
                    ends_at=THEIRS.ends_at + timedelta(hours=1), sequence=1)
    assert exchange((MINE, moved)).problems == (Problem.RESCHEDULED,)


def test_exchange_expires_when_the_earlier_session_starts():
    assert expires_at(MINE, THEIRS) == MINE.starts_at
    late = exchange(now=MINE.starts_at)
    assert Problem.EXPIRED in late.problems and Problem.STARTED in late.problems
    assert exchange(now=MINE.starts_at - timedelta(seconds=1)).ok


def test_exchange_refused_when_a_facilitator_would_be_double_booked():
    # Birgit takes Anna's session (day 3) but already runs another group then.
    busy = Booking(BIRGIT, 99, MINE.starts_at + timedelta(minutes=30),
                   MINE.ends_at + timedelta(hours=1))
    assert exchange(bookings=[busy]).problems == (Problem.OVERLAP,)
    # A meeting that ends as the swapped one starts is no clash.
    before = Booking(BIRGIT, 98, MINE.starts_at - timedelta(hours=1), MINE.starts_at)
    assert exchange(bookings=[before]).ok


def test_exchange_answered_by_another_area_than_asked_is_refused():
    assert exchange(area=SOUTH).problems == (Problem.NOT_ADDRESSED,)


def test_exchange_proposal_needs_two_co_running_areas():
    assert check_exchange_proposal(MINE, THEIRS, WEST, NOW) == ()
    same = replace(THEIRS, host_area_id=WEST)
    assert Problem.SAME_AREA in check_exchange_proposal(MINE, same, WEST, NOW)
    elsewhere = replace(THEIRS, area_ids=frozenset({NORTH}))
    assert check_exchange_proposal(MINE, elsewhere, WEST, NOW) == (Problem.NOT_CO_RUNNING,)
    assert Problem.NOT_ADDRESSED in check_exchange_proposal(MINE, THEIRS, SOUTH, NOW)


def test_cover_makes_the_taker_host_and_sole_facilitator():
    decision = decide_cover(MINE, MINE, target_area_id=None, taker_area_id=SOUTH,
                            taker_user_id=CARL, other_bookings=[], now=NOW)
    (change,) = decision.changes
    assert (change.host_after, change.facilitators_after, change.removed) == (
        SOUTH, frozenset({CARL}), frozenset({ANNA}))


def test_cover_addressed_to_one_area_cannot_be_taken_by_another():
    decision = decide_cover(MINE, MINE, target_area_id=NORTH, taker_area_id=SOUTH,
                            taker_user_id=CARL, other_bookings=[], now=NOW)
    assert decision.problems == (Problem.NOT_ADDRESSED,)


def test_cover_refused_for_the_host_area_and_for_areas_not_co_running():
    own = decide_cover(MINE, MINE, target_area_id=None, taker_area_id=WEST,
                       taker_user_id=ANNA, other_bookings=[], now=NOW)
    assert own.problems == (Problem.SAME_AREA,)
    outsider = decide_cover(MINE, MINE, target_area_id=None, taker_area_id=77,
                            taker_user_id=CARL, other_bookings=[], now=NOW)
    assert outsider.problems == (Problem.NOT_CO_RUNNING,)
    assert check_cover_proposal(MINE, WEST, WEST, NOW) == (Problem.SAME_AREA,)
    lonely = replace(MINE, area_ids=frozenset({WEST}))
    assert check_cover_proposal(lonely, WEST, None, NOW) == (Problem.NOT_CO_RUNNING,)


def test_cover_refused_when_the_taker_is_busy():
    busy = Booking(CARL, 50, MINE.starts_at, MINE.ends_at)
    decision = decide_cover(MINE, MINE, target_area_id=None, taker_area_id=SOUTH,
                            taker_user_id=CARL, other_bookings=[busy], now=NOW)
    assert decision.problems == (Problem.OVERLAP,)


hours = st.integers(min_value=-48, max_value=24 * 20)


@given(start_a=hours, start_b=hours, busy_at=hours, now_offset=st.integers(-24, 24 * 20),
       host_changed=st.booleans(), cancelled=st.booleans())
def test_an_exchange_either_fails_with_reasons_or_yields_a_clean_swap(
    start_a, start_b, busy_at, now_offset, host_changed, cancelled,
):
    """Whatever happened: an accepted exchange never leaves anyone double booked, never
    touches a begun or cancelled session, and only swaps what was proposed."""
    mine = replace(MINE, starts_at=NOW + timedelta(hours=start_a),
                   ends_at=NOW + timedelta(hours=start_a + 2))
    theirs = replace(THEIRS, starts_at=NOW + timedelta(hours=start_b),
                     ends_at=NOW + timedelta(hours=start_b + 2))
    current_theirs = replace(theirs, cancelled=cancelled,
                             host_area_id=SOUTH if host_changed else NORTH)
    now = NOW + timedelta(hours=now_offset)
    busy = Booking(BIRGIT, 99, NOW + timedelta(hours=busy_at), NOW + timedelta(hours=busy_at + 1))
    decision = decide_exchange((mine, theirs), (mine, current_theirs), answering_area_id=NORTH,
                               other_bookings=[busy], now=now)
    if decision.ok:
        assert not cancelled and not host_changed
        assert min(mine.starts_at, theirs.starts_at) > now
        assert not (busy.starts_at < mine.ends_at and mine.starts_at < busy.ends_at)
        assert {c.session_id for c in decision.changes} == {1, 2}
        hosts = {c.host_after for c in decision.changes}
        assert hosts == {WEST, NORTH}
    else:
        assert decision.changes == ()
        if cancelled:
            assert Problem.CANCELLED in decision.problems
        if host_changed:
            assert Problem.HOST_CHANGED in decision.problems


people = st.frozensets(st.integers(min_value=1, max_value=6), max_size=3)


@given(a_people=people, b_people=people)
def test_exchanging_back_restores_both_sessions(a_people, b_people):
    """Trading back later (the usual case) leaves hosts and facilitators as they were."""
    mine = replace(MINE, facilitator_ids=a_people)
    theirs = replace(THEIRS, facilitator_ids=b_people)
    there = decide_exchange((mine, theirs), (mine, theirs), answering_area_id=NORTH,
                            other_bookings=[], now=NOW)
    assert there.ok
    after = {c.session_id: c for c in there.changes}
    mine2 = replace(mine, host_area_id=after[1].host_after,
                    facilitator_ids=after[1].facilitators_after, sequence=1)
    theirs2 = replace(theirs, host_area_id=after[2].host_after,
                      facilitator_ids=after[2].facilitators_after, sequence=1)
    back = decide_exchange((theirs2, mine2), (theirs2, mine2), answering_area_id=NORTH,
                           other_bookings=[], now=NOW)
    assert back.ok
    restored = {c.session_id: (c.host_after, c.facilitators_after) for c in back.changes}
    assert restored == {1: (WEST, a_people), 2: (NORTH, b_people)}
