"""Dates far outside the service's years (year 1, year 9999) in the coordinator's forms: a
message next to the field, never a server error from the time zone arithmetic."""

from __future__ import annotations

from datetime import timedelta

import pytest

from remote_groups.db_types import utcnow
from remote_groups.people.models import Role

FAR = ["0001-01-01", "9999-12-31"]


@pytest.fixture
def coordinator_of(make, db_session, login):
    def sign_in():
        home, partner = make.area(), make.area()
        group = make.group([home, partner])
        user = make.user(home, Role.COORDINATOR)
        db_session.commit()
        login(user, lang="en")
        return home, partner, group
    return sign_in


@pytest.mark.parametrize("day", FAR)
def test_extra_session_on_a_far_date(client, coordinator_of, day):
    home, _partner, group = coordinator_of()
    answer = client.post(f"/en/staff/series/groups/{group.id}/sessions/new", data={
        "day": day, "start_time": "10:00", "end_time": "11:00", "host": str(home.id)})
    assert answer.status_code == 200
    assert "Give a date between the years 2000 and 2100." in answer.get_data(as_text=True)


@pytest.mark.parametrize("day", FAR)
def test_series_on_far_dates(client, coordinator_of, day):
    home, partner, group = coordinator_of()
    answer = client.post(f"/en/staff/series/groups/{group.id}/plan", data={
        "weekday": "0", "first_date": day, "start_time": "10:00", "end_time": "11:00",
        "interval_weeks": "1", "count": "3", "rotation-0": str(home.id),
        "rotation-1": str(partner.id), "skip_holidays": "y"})
    assert answer.status_code == 200
    assert "Give a date between the years 2000 and 2100." in answer.get_data(as_text=True)


@pytest.mark.parametrize("day", FAR)
def test_course_with_far_application_dates(client, coordinator_of, day):
    home, partner, _group = coordinator_of()
    answer = client.post("/en/staff/series/groups/new", data={
        "kind": "closed", "theme": "mental_wellbeing", "instruction_language": "fi",
        "title_fi": "Kurssi", "capacity": "8", "applications_open": day,
        "applications_close": day, "rotation-0": str(home.id), "rotation-1": str(partner.id)})
    assert answer.status_code == 200
    assert "Give a date between the years 2000 and 2100." in answer.get_data(as_text=True)


def test_a_near_date_still_works(client, coordinator_of):
    home, _partner, group = coordinator_of()
    day = (utcnow() + timedelta(days=30)).date().isoformat()
    answer = client.post(f"/en/staff/series/groups/{group.id}/sessions/new", data={
        "day": day, "start_time": "10:00", "end_time": "11:00", "host": str(home.id)})
    assert answer.status_code == 302
