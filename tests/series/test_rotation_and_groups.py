"""The public rotation view, creating a group, and the demo's series."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.db_types import utcnow
from remote_groups.demo import seed_demo
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.people.models import Role
from remote_groups.series.models import Series

from .html import table_rows, text_by_id, texts


def _three_meetings(make, world, db_session):
    start = utcnow() + timedelta(days=3)
    made = [make.session_(group=world.group, starts_at=start + timedelta(weeks=i), host=area)
            for i, area in enumerate(world.areas)]
    db_session.commit()
    return made


@pytest.mark.parametrize(("lang", "host_word"), [("fi", "Järjestäjä"), ("sv", "Arrangör"),
                                                 ("en", "Host")])
def test_rotation_table_marks_each_weeks_host_in_words(client, world, make, db_session, lang,
                                                       host_word):
    _three_meetings(make, world, db_session)
    page = client.get(f"/{lang}/groups/{world.group.id}/rotation").get_data(as_text=True)
    headers = texts(page, tag="th", scope="col")
    assert headers[1:] == [a.name(lang) for a in world.areas]  # areas across
    rows = table_rows(page)
    assert len(rows) == 3  # weeks down
    for i, row in enumerate(rows):
        expected = ["", "", ""]
        expected[i] = host_word
        assert row[1:] == expected
    title = world.group.title_sv if lang == "sv" else world.group.title_fi
    assert title in texts(page, tag="caption")[0]


def test_rotation_shows_a_cancelled_week_as_cancelled_not_as_hosted(client, world, make,
                                                                   db_session):
    first, *_ = _three_meetings(make, world, db_session)
    first.status = "cancelled"
    db_session.commit()
    page = client.get(f"/fi/groups/{world.group.id}/rotation").get_data(as_text=True)
    assert table_rows(page)[0][1] == "Peruttu"


def test_group_page_links_to_its_rotation(client, world):
    page = client.get(f"/sv/groups/{world.group.id}").get_data(as_text=True)
    assert f'href="/sv/groups/{world.group.id}/rotation"' in page


def test_unknown_group_rotation_is_404(client, db_session):
    assert client.get("/fi/groups/999999/rotation").status_code == 404


# --- creating a group -----------------------------------------------------------------------


def _group_form(world, **changes):
    a, b, _ = world.areas
    data = {"title_fi": "Uusi ryhmä", "title_sv": "Ny grupp", "summary_fi": "Lyhyt",
            "kind": "open", "theme": "exercise", "instruction_language": "fi",
            "rotation-0": b.id, "rotation-1": a.id, "rotation-2": ""}
    data.update(changes)
    return data


def test_coordinator_creates_a_group_with_areas_in_rotation_order(client, login, world,
                                                                 db_session):
    login(world.coordinator)
    assert client.get("/fi/staff/series/groups/new").status_code == 200
    response = client.post("/fi/staff/series/groups/new", data=_group_form(world))
    assert response.status_code == 302
    group = db_session.scalar(select(Group).where(Group.title_fi == "Uusi ryhmä"))
    assert [a.id for a in group.areas] == [world.areas[1].id, world.areas[0].id]
    assert response.headers["Location"].endswith(f"/groups/{group.id}/plan")


@pytest.mark.parametrize(("changes", "field_id", "words"), [
    ({"title_fi": "", "title_sv": ""}, "title_fi-error", "Anna nimi suomeksi tai ruotsiksi."),
    ({"kind": "closed"}, "capacity-error", "paikkojen määrä"),
    ({"rotation-1": "", "rotation-0": ""}, "rotation-error", "vähintään yksi alue"),
])
def test_group_form_problems_show_next_to_the_field(client, login, world, db_session, changes,
                                                    field_id, words):
    login(world.coordinator)
    response = client.post("/fi/staff/series/groups/new", data=_group_form(world, **changes))
    assert response.status_code == 200
    assert words in text_by_id(response.get_data(as_text=True), field_id)


def test_group_without_the_coordinators_own_area_is_refused(client, login, world, db_session):
    login(world.coordinator)
    data = _group_form(world, **{"rotation-1": world.areas[2].id})
    page = client.post("/sv/staff/series/groups/new", data=data).get_data(as_text=True)
    assert "ditt eget område" in text_by_id(page, "rotation-error")


def test_closed_course_gets_capacity_and_application_window(client, login, world, db_session):
    login(world.coordinator)
    data = _group_form(world, kind="closed", capacity="8", applications_open="2030-01-07",
                       applications_close="2030-01-20")
    assert client.post("/fi/staff/series/groups/new", data=data).status_code == 302
    group = db_session.scalar(select(Group).where(Group.kind == GroupKind.CLOSED))
    assert group.capacity == 8
    assert group.applications_close_at > group.applications_open_at


def test_a_facilitator_cannot_create_groups(client, login, world):
    login(world.facilitators[world.areas[0].id])
    assert client.post("/fi/staff/series/groups/new", data=_group_form(world)).status_code == 403


def test_staff_nav_links_series_pages_for_coordinators_only(client, login, world, make,
                                                           db_session):
    login(world.coordinator)
    assert 'href="/fi/staff/series/"' in client.get("/fi/staff/").get_data(as_text=True)
    client.post("/fi/staff/logout")
    login(make.user(area=world.areas[0], role=Role.FACILITATOR))
    assert 'href="/fi/staff/series/"' not in client.get("/fi/staff/").get_data(as_text=True)


# --- demo -----------------------------------------------------------------------------------


def test_demo_series_are_planned_stored_and_one_session_is_on_now(db_session):
    now = utcnow()
    seed_demo(now)
    series = db_session.scalars(select(Series)).all()
    assert len(series) == 3
    for s in series:
        order = [a.id for a in s.group.areas]
        hosts = [m.session.host_area_id for m in s.members]
        assert hosts == [order[i % len(order)] for i in range(len(hosts))]
        assert len(hosts) == s.count
    on_now = [x for x in db_session.scalars(select(Session)) if x.is_on(now)]
    assert len(on_now) == 1
