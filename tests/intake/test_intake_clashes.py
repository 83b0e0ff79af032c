"""A facilitator's intake calls count as busy time when their sessions are planned, moved or
swapped (`signals.facilitator_busy`, answered by the intake feature), on SQLite or
PostgreSQL (DATABASE_URL). A free slot counts as much as a booked one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Session
from remote_groups.i18n import local_time
from remote_groups.intake import service as intake
from remote_groups.people.models import Role
from remote_groups.swaps import service as swaps

from .conftest import accept, publish

CALL = {"fi": "alkukeskustelu", "sv": "inledande samtal"}


def _coordinator(make, course):
    return make.user(course.areas[0], role=Role.COORDINATOR, first_name="Koordinaattori",
                     email="koordinaattori@example.com")


def _edit(client, session, facilitator, starts_at, minutes=60, lang="fi"):
    local = local_time(starts_at)
    ends = local_time(starts_at + timedelta(minutes=minutes))
    return client.post(f"/{lang}/staff/series/sessions/{session.id}/edit", data={
        "day": local.date().isoformat(), "start_time": local.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"), "facilitators": [facilitator.id]})


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_moving_a_session_onto_an_intake_call_is_refused_with_the_call_named(
        client, login, make, course, db_session, lang):
    [slot] = publish(course, days=4, count=1)
    db_session.commit()
    session = course.sessions[0]
    before = session.starts_at
    login(_coordinator(make, course), lang=lang)
    # The session would run from 15 minutes before the call to 45 minutes after its start.
    answer = _edit(client, session, course.facilitator, slot.starts_at - timedelta(minutes=15),
                   lang=lang)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    span = f"{local_time(slot.starts_at):%H.%M}–{local_time(slot.ends_at):%H.%M}"
    assert f"{CALL[lang]} {span}" in text
    assert "Ohjaaja Testinen" in text
    db_session.expire_all()
    assert db_session.get(Session, session.id).starts_at == before


def test_a_booked_intake_call_is_refused_the_same(client, login, make, course, db_session):
    course.group.intake_required = True
    [slot] = publish(course, days=4, count=1)
    participant = accept(course, "hakija@example.com")
    assert intake.book(participant.application, slot.id, utcnow()).refused is None
    db_session.commit()
    login(_coordinator(make, course))
    answer = _edit(client, course.sessions[0], course.facilitator, slot.starts_at)
    assert "alkukeskustelu" in answer.get_data(as_text=True)


def test_a_free_intake_time_far_away_does_not_matter(client, login, make, course, db_session):
    [slot] = publish(course, days=4, count=1)
    db_session.commit()
    session = course.sessions[0]
    login(_coordinator(make, course))
    # The same day, right after the call (back to back), and a day later: both fine.
    answer = _edit(client, session, course.facilitator, slot.ends_at)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Session, session.id).starts_at == slot.ends_at
    answer = _edit(client, session, course.facilitator, slot.starts_at + timedelta(days=1))
    assert answer.status_code == 302
    db_session.expire_all()
    assert db_session.get(Session, session.id).starts_at == slot.starts_at + timedelta(days=1)


def test_planning_a_series_over_an_intake_call_lists_the_clash(client, login, make, course,
                                                               db_session):
    [slot] = publish(course, days=4, count=1)
    db_session.commit()
    login(_coordinator(make, course))
    local = local_time(slot.starts_at)
    west, north = course.areas
    answer = client.post(f"/sv/staff/series/groups/{course.group.id}/plan", data={
        "rotation-0": west.id, "rotation-1": north.id, "weekday": local.weekday(),
        "first_date": local.date().isoformat(), "start_time": local.strftime("%H:%M"),
        "end_time": (local + timedelta(minutes=90)).strftime("%H:%M"), "interval_weeks": 1,
        "count": 2, "until": "", "facilitators": [course.facilitator.id],
        "action": "preview"})
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    span = f"{local:%H.%M}–{local_time(slot.ends_at):%H.%M}"
    assert f"inledande samtal {span}" in text


def _cover_world(make, course, db_session, *, clash: bool):
    """A north facilitator with an intake slot during (or, without `clash`, the day
    before) the west facilitator's session, which the west facilitator asks to be covered."""
    north = course.areas[1]
    taker = make.user(north, first_name="Bertil", last_name="Handledare",
                      email="bertil@example.com")
    session = course.sessions[0]
    start = session.starts_at + timedelta(minutes=30)
    if not clash:
        start -= timedelta(days=1)
    added = intake.add_slots(course.group, taker, [(start, start + timedelta(minutes=30))])
    assert not added.clashes
    db_session.commit()
    request = swaps.ask_cover(course.facilitator, session, north.id, "Sairastuin.").request
    db_session.commit()
    return taker, request


def test_a_cover_into_the_takers_intake_call_is_refused(make, course, db_session):
    taker, request = _cover_world(make, course, db_session, clash=True)
    outcome = swaps.accept(request.id, taker)
    assert outcome.problems == (swaps.BUSY,)
    db_session.rollback()
    db_session.expire_all()
    assert [u.id for u in db_session.get(Session, course.sessions[0].id).facilitators] == [
        course.facilitator.id]


def test_the_cover_refusal_names_the_intake_call(client, login, make, course, db_session):
    taker, request = _cover_world(make, course, db_session, clash=True)
    login(taker)
    answer = client.post(f"/fi/staff/swaps/{request.id}/answer",
                         data={"decision": "accept", "message": ""}, follow_redirects=True)
    assert "alkukeskustelu" in answer.get_data(as_text=True)


def test_a_cover_with_the_intake_call_on_another_day_is_taken(make, course, db_session):
    taker, request = _cover_world(make, course, db_session, clash=False)
    outcome = swaps.accept(request.id, taker)
    assert outcome.ok, outcome.problems
