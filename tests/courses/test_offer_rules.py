"""Seat offers in the seat rules (`rules.capacity`): an offered seat is taken, the first on
the waiting list gets the next offer, a lapsed offer passes on, and over any history no seat
is offered to two people nor the course over-filled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from remote_groups.rules.capacity import (
    Applicant,
    Decision,
    Status,
    decide,
    lapse,
    new_places,
    offer_deadline,
    offer_is_open,
    offers_due,
    seats_left,
    taken_count,
    waiting_list,
    withdraw,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def person(i: int, status: Status, *, offered: bool = False,
           passed_over: bool = False) -> Applicant:
    return Applicant(i, status, T0 + timedelta(minutes=i), offered, passed_over)


def test_an_offered_seat_counts_as_taken():
    people = [person(1, Status.ACCEPTED), person(2, Status.WAITING, offered=True),
              person(3, Status.WAITING)]
    assert taken_count(people) == 2 and seats_left(2, people) == 0
    assert offers_due(2, people) == []
    # Only the person it is offered to can be accepted into it.
    assert decide(2, people, 2, Decision.ACCEPT).status == Status.ACCEPTED
    assert decide(2, people, 3, Decision.ACCEPT).full
    # Places lowered below the seats taken: not even the offered person fits any more.
    assert decide(1, people, 2, Decision.ACCEPT).full


def test_the_first_waiting_gets_the_offer_of_a_freed_seat_and_only_one_seat_is_offered():
    people = [person(1, Status.ACCEPTED), person(2, Status.PENDING), person(4, Status.WAITING),
              person(3, Status.WAITING)]
    assert withdraw(3, people, 1) == [3]  # one seat freed, one offer, even with seats free
    assert withdraw(3, people, 4) == []  # someone waiting frees no seat


def test_declining_an_offer_passes_it_on_and_a_lapsed_one_waits_at_the_back():
    people = [person(1, Status.ACCEPTED), person(2, Status.WAITING, offered=True),
              person(3, Status.WAITING), person(4, Status.WAITING)]
    assert withdraw(2, people, 2) == [3]
    assert lapse(2, people, 2) == [3]
    after = [person(1, Status.ACCEPTED), person(2, Status.WAITING, passed_over=True),
             person(3, Status.WAITING, offered=True), person(4, Status.WAITING)]
    assert [a.id for a in waiting_list(after)] == [3, 4, 2]
    # The last one lapses too: nobody left who was not passed over.
    only = [person(1, Status.ACCEPTED), person(2, Status.WAITING, passed_over=True),
            person(3, Status.WAITING, offered=True)]
    assert lapse(2, only, 3) == []
    assert lapse(2, only, 1) == []  # not an offer


def test_more_places_go_to_the_first_waiting_at_most_as_many_as_were_added():
    people = [person(1, Status.ACCEPTED), *(person(i, Status.WAITING) for i in (2, 3, 4))]
    assert new_places(5, people, 2) == [2, 3]
    assert new_places(5, people, 0) == []


def test_the_deadline_is_the_configured_hours_and_is_exclusive():
    deadline = offer_deadline(T0, 48)
    assert deadline == T0 + timedelta(hours=48)
    assert offer_is_open(deadline, deadline - timedelta(seconds=1))
    assert not offer_is_open(deadline, deadline)
    assert offer_deadline(T0, 0) == T0 + timedelta(hours=1)  # never already past


actions = st.lists(st.tuples(
    st.sampled_from(["apply", "waitlist", "accept", "withdraw", "lapse", "accept_offer",
                     "decline_offer", "more"]),
    st.integers(min_value=0, max_value=9)), max_size=80)


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(min_value=1, max_value=4), history=actions)
def test_any_history_never_offers_a_seat_twice_nor_overfills(capacity, history):
    people: dict[int, Applicant] = {}
    clock = 0

    def put(i: int, **changes: object) -> None:
        a = people[i]
        values = {"status": a.status, "offered": a.offered, "passed_over": a.passed_over,
                  **changes}
        people[i] = Applicant(i, values["status"], a.applied_at,  # type: ignore[arg-type]
                              bool(values["offered"]), bool(values["passed_over"]))

    def offer(ids: list[int]) -> None:
        for j in ids:
            assert people[j].status == Status.WAITING and not people[j].offered
            put(j, offered=True)

    for action, i in history:
        if i not in people:
            clock += 1
            people[i] = Applicant(i, Status.PENDING, T0 + timedelta(minutes=clock))
            continue
        current = list(people.values())
        a = people[i]
        if action == "waitlist" and a.status == Status.PENDING:
            put(i, status=decide(capacity, current, i, Decision.WAITLIST).status)
        elif action == "accept":
            outcome = decide(capacity, current, i, Decision.ACCEPT)
            if outcome.changed:
                put(i, status=Status.ACCEPTED, offered=False)
        elif action in ("withdraw", "decline_offer"):
            if action == "decline_offer" and not a.holds_offer:
                continue
            following = withdraw(capacity, current, i)
            put(i, status=Status.WITHDRAWN, offered=False)
            offer(following)
        elif action == "lapse" and a.holds_offer:
            following = lapse(capacity, current, i)
            put(i, offered=False, passed_over=True)
            offer(following)
        elif action == "accept_offer" and a.holds_offer:
            assert decide(capacity, current, i, Decision.ACCEPT).changed
            put(i, status=Status.ACCEPTED, offered=False)
        elif action == "more":
            capacity += 1
            offer(new_places(capacity, list(people.values()), 1))
        everyone = list(people.values())
        # Accepted people and open offers together never exceed the places.
        assert taken_count(everyone) <= capacity
