"""The coordinator's series pages through HTTP: preview, save, edit the future, cancel,
extra session, host change, and who may do it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from flask import g
from flask_babel import force_locale
from sqlalchemy import func, select

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Session, SessionStatus
from remote_groups.i18n import local_time
from remote_groups.people.models import Role
from remote_groups.rules.rotation import SeriesSpec
from remote_groups.series import service
from remote_groups.series.messages import MESSAGES
from remote_groups.series.models import Series, SeriesSession

from .conftest import ascension_day_next_year, series_form
from .html import table_rows, text_by_id


def say(app, lang, msg):
    """The translated text a reader of `lang` sees."""
    with app.test_request_context(f"/{lang}/"):
        g.lang = lang
        with force_locale(lang):
            return str(msg)


def plan_url(world, lang="fi"):
    return f"/{lang}/staff/series/groups/{world.group.id}/plan"


def sessions(db_session):
    return db_session.scalars(select(Session).order_by(Session.starts_at)).all()


def preview_then_save(client, world, **changes):
    url = plan_url(world)
    page = client.post(url, data=series_form(world, **changes)).get_data(as_text=True)
    value = page.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    return client.post(url, data=series_form(world, action="save", previewed=value, **changes))


# --- preview and save -----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "holiday"), [("fi", "Helatorstai"),
                                               ("sv", "Kristi himmelsfärdsdag")])
def test_preview_lists_meetings_hosts_and_skipped_holiday_and_saves_nothing(
        client, login, world, db_session, lang, holiday):
    login(world.coordinator)
    response = client.post(plan_url(world, lang), data=series_form(world))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = table_rows(page)
    names = [a.name(lang) for a in world.areas]
    assert [row[3] for row in rows] == names  # A, B, C host in rotation order
    assert all(row[2].startswith("13.00") or row[2].startswith("13:00") for row in rows)
    assert holiday in text_by_id(page, "skipped")
    assert db_session.scalar(select(func.count()).select_from(Session)) == 0


def test_save_after_preview_stores_sessions_spec_and_facilitators_of_each_host(
        client, login, world, db_session):
    login(world.coordinator)
    response = preview_then_save(client, world)
    assert response.status_code == 302
    stored = sessions(db_session)
    assert [s.host_area_id for s in stored] == [a.id for a in world.areas]
    assert [[u.id for u in s.facilitators] for s in stored] == [
        [world.facilitators[a.id].id] for a in world.areas]
    ascension = ascension_day_next_year()
    assert ascension not in {local_time(s.starts_at).date() for s in stored}
    assert all(local_time(s.starts_at).time() == time(13) for s in stored)
    series = db_session.scalar(select(Series))
    assert (series.weekday, series.start_time, series.duration_minutes, series.count) == (
        3, time(13), 90, 3)
    assert db_session.scalar(select(func.count()).select_from(SeriesSession)) == 3


def test_a_booking_made_after_the_preview_is_refused_at_save_next_to_the_facilitators(
        client, login, world, make, db_session):
    """Someone else booked a facilitator for the first meeting's hour between the preview
    and the save: the save says who and when instead of failing, and stores nothing."""
    login(world.coordinator)
    url = plan_url(world, "en")
    page = client.post(url, data=series_form(world)).get_data(as_text=True)
    previewed = page.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    first = ascension_day_next_year() - timedelta(days=7)
    host = world.areas[0]
    elsewhere = make.group(areas=[host], title_fi="Toinen ryhmä", title_en="Another group")
    make.session_(group=elsewhere, starts_at=datetime.combine(first, time(11), tzinfo=UTC),
                  host=host, facilitators=[world.facilitators[host.id]])
    db_session.commit()
    response = client.post(url, data=series_form(world, action="save", previewed=previewed))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "already has another session at that time" in page
    assert db_session.scalar(select(func.count()).select_from(Series)) == 0


def test_save_without_a_matching_preview_shows_the_preview_again(client, login, world,
                                                                   db_session):
    login(world.coordinator)
    response = client.post(plan_url(world), data=series_form(world, action="save",
                                                             previewed="stale"))
    assert response.status_code == 200
    assert "Tarkista uusi esikatselu" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Session)) == 0


def _series_begun_two_weeks_ago(world, db_session, now):
    first = local_time(now).date() - timedelta(days=14)
    spec = SeriesSpec(host_order=tuple(a.id for a in world.areas), weekday=first.weekday(),
                      start_time=time(9), duration=timedelta(hours=1), interval_weeks=1,
                      first_date=first, count=6, skip_holidays=False)
    service.save_series(world.group, spec, list(world.facilitators.values()), now)
    db_session.commit()
    return spec


def test_editing_moves_future_sessions_only_and_bumps_their_sequence(client, login, world,
                                                                     db_session):
    now = utcnow()
    spec = _series_begun_two_weeks_ago(world, db_session, now)
    before = {s.id: (s.starts_at, s.sequence, s.uid) for s in sessions(db_session)}
    login(world.coordinator)
    response = preview_then_save(client, world, weekday=spec.weekday,
                                 first_date=spec.first_date.isoformat(), start_time="15:00",
                                 end_time="16:00", count=6, skip_holidays=None)
    assert response.status_code == 302
    db_session.expire_all()
    for s in sessions(db_session):
        if s.starts_at < now:
            assert (s.starts_at, s.sequence) == before[s.id][:2]  # the past never changes
        else:
            assert local_time(s.starts_at).time() == time(15)
            assert s.sequence == before[s.id][1] + 1
            assert s.uid == before[s.id][2]  # same calendar event, updated
    assert len(sessions(db_session)) == 6


def test_edit_page_is_prefilled_with_the_stored_series(client, login, world, db_session):
    _series_begun_two_weeks_ago(world, db_session, utcnow())
    login(world.coordinator)
    page = client.get(plan_url(world)).get_data(as_text=True)
    assert 'value="09:00"' in page and 'value="10:00"' in page and 'value="6"' in page
    assert "vain tulevia tapaamisia" in page


# --- one session ----------------------------------------------------------------------------


def test_cancelling_one_session_marks_it_and_the_public_page_says_so(client, login, world,
                                                                   make, db_session):
    session = make.session_(group=world.group, starts_at=utcnow() + timedelta(days=2))
    db_session.commit()
    login(world.coordinator)
    assert client.get(f"/fi/staff/series/sessions/{session.id}/cancel").status_code == 200
    response = client.post(f"/fi/staff/series/sessions/{session.id}/cancel")
    assert response.status_code == 302
    db_session.refresh(session)
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 1)
    public = client.get(f"/fi/groups/{world.group.id}").get_data(as_text=True)
    assert "Peruttu" in public


def test_extra_session_is_added_outside_the_series(client, login, world, db_session):
    login(world.coordinator)
    day = (local_time(utcnow()) + timedelta(days=10)).date()
    b = world.areas[1]
    response = client.post(f"/fi/staff/series/groups/{world.group.id}/sessions/new", data={
        "day": day.isoformat(), "start_time": "10:00", "end_time": "11:30", "host": b.id,
        "facilitators": [world.facilitators[b.id].id], "topic_fi": "Lisätapaaminen"})
    assert response.status_code == 302
    (extra,) = sessions(db_session)
    assert (extra.host_area_id, local_time(extra.starts_at).time(), extra.topic_fi) == (
        b.id, time(10), "Lisätapaaminen")
    assert service.series_session_ids(world.group) == set()


def test_changing_the_host_takes_facilitators_of_the_new_host(client, login, world, make,
                                                             db_session):
    a, b = world.areas[:2]
    session = make.session_(group=world.group, host=a, facilitators=[world.facilitators[a.id]])
    db_session.commit()
    login(world.coordinator)
    page = client.get(f"/fi/staff/series/sessions/{session.id}/host").get_data(as_text=True)
    assert world.facilitators[b.id].full_name in page  # choices include the other areas' staff
    response = client.post(f"/fi/staff/series/sessions/{session.id}/host",
                           data={"host": b.id, "facilitators": [world.facilitators[b.id].id]})
    assert response.status_code == 302
    db_session.refresh(session)
    assert session.host_area_id == b.id
    assert [u.id for u in session.facilitators] == [world.facilitators[b.id].id]
    assert session.sequence == 1


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize(("changes", "field_id", "key"), [
    ({"end_time": "12:00"}, "end_time-error", ("duration", "end_before_start")),
    ({"count": 0}, "count-error", ("count", "no_meetings")),
    ({"count": "", "until": "2020-01-01"}, "until-error", ("until", "end_before_start")),
    ({"count": ""}, "count-error", ("count", "count_or_until_required")),
    ({"until": "2099-01-01"}, "count-error", ("count", "count_and_until")),
    ({"end_time": "23:59", "start_time": "15:00"}, "end_time-error", ("duration", "bad_duration")),
    ({"count": 201}, "count-error", ("count", "too_many_meetings")),
])
def test_series_problems_show_next_to_their_field_in_the_readers_language(
        app, client, login, world, db_session, lang, changes, field_id, key):
    login(world.coordinator)
    response = client.post(plan_url(world, lang), data=series_form(world, **changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert say(app, lang, MESSAGES[key]) in text_by_id(page, field_id)
    assert 'aria-invalid="true"' in page
    assert db_session.scalar(select(func.count()).select_from(Session)) == 0


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_an_area_twice_in_a_row_is_refused(app, client, login, world, lang):
    login(world.coordinator)
    a, b, _ = world.areas
    data = series_form(world, **{"rotation-0": a.id, "rotation-1": a.id, "rotation-2": b.id})
    page = client.post(plan_url(world, lang), data=data).get_data(as_text=True)
    expected = say(app, lang, MESSAGES[("host_order", "same_area_twice_in_a_row")])
    assert expected in text_by_id(page, "rotation-error")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_an_area_listed_twice_apart_is_refused(app, client, login, world, lang):
    login(world.coordinator)
    a, b, _ = world.areas
    data = series_form(world, **{"rotation-0": a.id, "rotation-1": b.id, "rotation-2": a.id})
    page = client.post(plan_url(world, lang), data=data).get_data(as_text=True)
    # With the wrap-around, A B A has A next to A; either message names the problem.
    error = text_by_id(page, "rotation-error")
    assert say(app, lang, MESSAGES[("host_order", "same_area_twice_in_a_row")]) in error


@pytest.mark.parametrize(("lang", "words"), [("fi", "on jo toinen tapaaminen"),
                                             ("sv", "har redan en annan träff")])
def test_a_facilitator_booked_elsewhere_at_that_time_is_named(client, login, world, make,
                                                             db_session, lang, words):
    a = world.areas[0]
    other_group = make.group(areas=[a], title_fi="Toinen ryhmä", title_sv="Annan grupp")
    first = ascension_day_next_year() - timedelta(days=7)
    busy_from = datetime(first.year, first.month, first.day, 10, 30, tzinfo=UTC)  # 13:30 local
    make.session_(group=other_group, starts_at=busy_from, facilitators=[world.facilitators[a.id]])
    db_session.commit()
    login(world.coordinator)
    page = client.post(plan_url(world, lang), data=series_form(world)).get_data(as_text=True)
    error = text_by_id(page, "facilitators-error")
    assert world.facilitators[a.id].full_name in error and words in error
    assert ("Toinen ryhmä" if lang == "fi" else "Annan grupp") in error
    assert 'name="action" value="save"' not in page  # no saving a double booking


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_extra_session_ending_before_it_starts_is_refused(app, client, login, world, lang):
    login(world.coordinator)
    response = client.post(f"/{lang}/staff/series/groups/{world.group.id}/sessions/new", data={
        "day": "2099-03-03", "start_time": "12:00", "end_time": "11:00",
        "host": world.areas[0].id})
    expected = say(app, lang, MESSAGES[("end_time", "end_before_start")])
    assert expected in text_by_id(response.get_data(as_text=True), "end_time-error")


def test_host_change_refuses_facilitators_of_another_area(app, client, login, world, make,
                                                         db_session):
    a, b = world.areas[:2]
    session = make.session_(group=world.group, host=a)
    db_session.commit()
    login(world.coordinator)
    response = client.post(f"/sv/staff/series/sessions/{session.id}/host",
                           data={"host": b.id, "facilitators": [world.facilitators[a.id].id]})
    expected = say(app, "sv", MESSAGES[("facilitators", "not_of_host_area")])
    assert expected in text_by_id(response.get_data(as_text=True), "facilitators-error")


def test_fewer_meetings_than_already_held_is_refused(app, client, login, world, db_session):
    spec = _series_begun_two_weeks_ago(world, db_session, utcnow())
    login(world.coordinator)
    data = series_form(world, weekday=spec.weekday, first_date=spec.first_date.isoformat(),
                       start_time="09:00", end_time="10:00", count=1, skip_holidays=None)
    page = client.post(plan_url(world), data=data).get_data(as_text=True)
    assert say(app, "fi", MESSAGES[("count", "fewer_than_held")]) in text_by_id(page, "count-error")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_problem_code_has_a_translated_message(app, lang):
    for key, msg in MESSAGES.items():
        english, translated = say(app, "en", msg), say(app, lang, msg)
        assert translated and translated != english, (key, lang)


def test_every_code_plan_series_documents_has_a_message():
    from remote_groups.rules import rotation

    doc = rotation.plan_series.__doc__.split("Codes (field: code):")[1]
    for part in doc.replace("\n", " ").split(";"):
        field, codes = part.split(":", 1)
        for code in codes.replace(".", "").split(","):
            assert (field.strip(), code.strip()) in MESSAGES


# --- access ---------------------------------------------------------------------------------


def _urls(world, session_id):
    gid = world.group.id
    return [("get", "/fi/staff/series/"), ("get", f"/fi/staff/series/groups/{gid}"),
            ("get", f"/fi/staff/series/groups/{gid}/plan"),
            ("post", f"/fi/staff/series/groups/{gid}/plan"),
            ("get", f"/fi/staff/series/groups/{gid}/sessions/new"),
            ("post", f"/fi/staff/series/sessions/{session_id}/cancel"),
            ("get", f"/fi/staff/series/sessions/{session_id}/host")]


def test_a_facilitator_gets_403_everywhere(client, login, world, make, db_session):
    session = make.session_(group=world.group)
    db_session.commit()
    login(world.facilitators[world.areas[0].id])
    for method, url in _urls(world, session.id):
        assert getattr(client, method)(url).status_code == 403, url
    assert session.status == SessionStatus.SCHEDULED


def test_a_coordinator_of_another_area_gets_403_for_this_group(client, login, world, make,
                                                              db_session):
    outsider = make.user(area=make.area(), role=Role.COORDINATOR)
    session = make.session_(group=world.group)
    db_session.commit()
    login(outsider)
    for method, url in _urls(world, session.id)[1:]:
        assert getattr(client, method)(url).status_code == 403, url
    page = client.get("/fi/staff/series/").get_data(as_text=True)
    assert "Yhteinen ryhmä" not in page  # not listed either


def test_an_admin_of_any_area_manages_the_group(client, login, world, make, db_session):
    admin = make.user(area=make.area(), role=Role.ADMIN)
    db_session.commit()
    login(admin)
    assert client.get(plan_url(world)).status_code == 200
    assert "Yhteinen ryhmä" in client.get("/fi/staff/series/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(plan_url(world))
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_tampered_rotation_values_get_a_message_not_an_error_page(client, login, world, make,
                                                                 db_session):
    stranger = make.area()
    db_session.commit()
    login(world.coordinator)
    for value in (stranger.id, "x"):
        response = client.post(plan_url(world), data=series_form(world, **{"rotation-2": value}))
        assert response.status_code == 200
        assert text_by_id(response.get_data(as_text=True), "rotation-error")
    response = client.post("/fi/staff/series/groups/new", data={
        "title_fi": "Ryhmä", "kind": "open", "theme": "exercise", "instruction_language": "fi",
        "rotation-0": world.areas[0].id, "rotation-1": 999999, "rotation-2": "x"})
    assert "Valitse alue listasta." in text_by_id(response.get_data(as_text=True),
                                                   "rotation-error")


def test_manage_page_costs_the_same_queries_for_few_or_many_sessions(client, login, world, make,
                                                                    db_session, count_queries):
    login(world.coordinator)
    a = world.areas[0]

    def queries_with(n):
        for i in range(n):
            make.session_(group=world.group, starts_at=utcnow() + timedelta(days=i + 1),
                          host=a, facilitators=[world.facilitators[a.id]])
        db_session.commit()
        with count_queries() as counter:
            page = client.get(f"/fi/staff/series/groups/{world.group.id}")
        assert page.status_code == 200
        return counter.count

    assert queries_with(2) == queries_with(8)
