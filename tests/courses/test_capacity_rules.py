"""Seat rules: examples a facilitator would recognise, and properties over random histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from remote_groups.rules.capacity import (
    Applicant,
    Decision,
    Status,
    decide,
    offers_due,
    seats_left,
    waiting_list,
    withdraw,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def person(i: int, status: Status, minutes: int | None = None) -> Applicant:
    return Applicant(id=i, status=status, applied_at=T0 + timedelta(minutes=minutes or i))


def test_the_last_seat_goes_once_and_then_the_course_is_full():
    people = [person(1, Status.ACCEPTED), person(2, Status.PENDING), person(3, Status.PENDING)]
    first = decide(2, people, 2, Decision.ACCEPT)
    assert first.status == Status.ACCEPTED and first.changed
    people[1] = person(2, Status.ACCEPTED)
    second = decide(2, people, 3, Decision.ACCEPT)
    assert second.full and not second.changed and second.status == Status.PENDING


def test_a_full_course_still_takes_waiting_list_and_declines():
    people = [person(1, Status.ACCEPTED), person(2, Status.PENDING)]
    assert decide(1, people, 2, Decision.WAITLIST).status == Status.WAITING
    assert decide(1, people, 2, Decision.DECLINE).status == Status.DECLINED


def test_a_withdrawn_application_is_not_brought_back_by_staff():
    people = [person(1, Status.WITHDRAWN)]
    outcome = decide(5, people, 1, Decision.ACCEPT)
    assert outcome.status == Status.WITHDRAWN and not outcome.changed


def test_waiting_list_is_first_come_with_ids_breaking_ties():
    people = [person(5, Status.WAITING, 3), person(2, Status.WAITING, 9),
              person(4, Status.WAITING, 3), person(1, Status.ACCEPTED, 1)]
    assert [a.id for a in waiting_list(people)] == [4, 5, 2]


def test_withdrawal_of_an_accepted_participant_promotes_the_first_in_line():
    people = [person(1, Status.ACCEPTED), person(2, Status.ACCEPTED),
              person(3, Status.WAITING, 30), person(4, Status.WAITING, 20)]
    assert withdraw(2, people, 1) == [4]


def test_withdrawal_of_someone_waiting_promotes_nobody():
    people = [person(1, Status.ACCEPTED), person(3, Status.WAITING), person(4, Status.WAITING)]
    assert withdraw(3, people, 3) == []


def test_seats_left_never_negative_after_capacity_is_lowered():
    people = [person(i, Status.ACCEPTED) for i in range(1, 5)]
    assert seats_left(2, people) == 0
    assert offers_due(2, [*people, person(9, Status.WAITING)]) == []


# --- properties ---------------------------------------------------------------------------

actions = st.lists(
    st.tuples(st.sampled_from(["accept", "waitlist", "decline", "withdraw", "apply"]),
              st.integers(min_value=0, max_value=11)),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(min_value=1, max_value=6), history=actions)
def test_any_history_keeps_accepted_within_capacity_and_promotes_first_come(capacity, history):
    people: dict[int, Applicant] = {}
    clock = 0
    for action, i in history:
        if action == "apply" or i not in people:
            if i not in people:
                clock += 1
                people[i] = Applicant(i, Status.PENDING, T0 + timedelta(minutes=clock))
            continue
        current = list(people.values())
        if action == "withdraw":
            before_waiting = [a.id for a in waiting_list(current)]
            promoted = withdraw(capacity, current, i)
            # Only the earliest waiting people are promoted, in order.
            assert promoted == before_waiting[: len(promoted)]
            people[i] = Applicant(i, Status.WITHDRAWN, people[i].applied_at)
            for p in promoted:
                people[p] = Applicant(p, Status.ACCEPTED, people[p].applied_at)
        else:
            outcome = decide(capacity, current, i, Decision(action))
            if outcome.full:
                assert seats_left(capacity, current) == 0
            people[i] = Applicant(i, outcome.status, people[i].applied_at)
        accepted = sum(1 for a in people.values() if a.status == Status.ACCEPTED)
        assert accepted <= capacity


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 10_000)), unique_by=lambda t: t[1],
                max_size=30))
def test_waiting_list_order_is_application_time_whatever_the_input_order(entries):
    people = [Applicant(i, Status.WAITING, T0 + timedelta(seconds=s)) for s, i in entries]
    ordered = waiting_list(people)
    keys = [(a.applied_at, a.id) for a in ordered]
    assert keys == sorted(keys)
    assert waiting_list(list(reversed(people))) == ordered
