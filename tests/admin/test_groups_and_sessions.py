"""Groups and single sessions from the web: a group's texts and settings, archiving, a
session moved (same UID, everyone told), its facilitators and topic, a cancellation with a
reason, topics per meeting when planning a series; and the contact line for clients."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.contact import contact_for
from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Decision
from remote_groups.rules.rotation import HELSINKI

EDIT = {"title_fi": "Uusi otsikko", "title_sv": "Ny rubrik", "title_en": "", "summary_fi": "Lyhyt",
        "summary_sv": "Kort", "summary_en": "", "description_fi": "Kuvaus", "description_sv": "",
        "description_en": "", "theme": "exercise", "instruction_language": "both"}


def _local_day(days: int) -> date:
    return (datetime.now(HELSINKI) + timedelta(days=days)).date()


def test_coordinator_edits_a_groups_texts_and_the_public_page_shows_them(
        client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    group = make.group([area])
    db_session.commit()
    login(coordinator)
    empty = client.post(f"/fi/staff/series/groups/{group.id}/edit",
                        data={**EDIT, "title_fi": "", "title_sv": ""}).get_data(True)
    assert "Anna nimi suomeksi tai ruotsiksi." in empty and 'value="Lyhyt"' in empty
    assert client.post(f"/fi/staff/series/groups/{group.id}/edit", data=EDIT).status_code == 302
    assert "Uusi otsikko" in client.get(f"/fi/groups/{group.id}").get_data(True)
    assert "Ny rubrik" in client.get(f"/sv/groups/{group.id}").get_data(True)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "group.change"))
    assert entry.changes["theme"] == ["mental_wellbeing", "exercise"]


def test_a_courses_places_and_dates_are_checked(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    course = make.group([area], kind=GroupKind.CLOSED, capacity=6)
    db_session.commit()
    login(coordinator)
    page = client.post(f"/fi/staff/series/groups/{course.id}/edit", data={
        **EDIT, "capacity": "0", "applications_open": "2026-12-10",
        "applications_close": "2026-12-01"}).get_data(True)
    assert 'id="capacity-error"' in page and 'id="applications_close-error"' in page
    done = client.post(f"/fi/staff/series/groups/{course.id}/edit", data={
        **EDIT, "capacity": "9", "applications_open": "2026-12-01",
        "applications_close": "2026-12-10"})
    assert done.status_code == 302
    db_session.expire_all()
    course = db_session.get(Group, course.id)
    assert course.capacity == 9 and course.kind == GroupKind.CLOSED


def test_archiving_takes_a_group_off_the_public_pages_only(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    group = make.group([area], title_fi="Arkistoitava ryhmä")
    session = make.session_(group, utcnow() + timedelta(days=1))
    db_session.commit()
    assert "Arkistoitava ryhmä" in client.get("/fi/groups").get_data(True)
    login(coordinator)
    client.post(f"/fi/staff/series/groups/{group.id}/archive")
    client.post("/fi/staff/logout")
    assert "Arkistoitava ryhmä" not in client.get("/fi/groups").get_data(True)
    assert "Arkistoitava ryhmä" not in client.get("/fi/").get_data(True)
    assert client.get(f"/fi/groups/{group.id}").status_code == 404
    assert client.get(f"/fi/sessions/{session.id}/join").status_code == 404
    login(coordinator)
    assert "Arkistoitava ryhmä" in client.get(f"/fi/staff/series/groups/{group.id}").get_data(
        True)
    client.post(f"/fi/staff/series/groups/{group.id}/archive", data={"restore": "1"})
    assert client.get(f"/fi/groups/{group.id}").status_code == 200


def _course_with_participant(make, db_session, area, start, facilitators):
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4)
    session = make.session_(course, start, host=area, facilitators=facilitators)
    db_session.commit()
    applied = courses.submit_application(course, courses.ApplicantDetails(
        name="Pirkko Osallistuja", email="pirkko@example.fi", phone="", home_area_id=area.id,
        language="sv", motivation="Haluan mukaan.", support_needs=""), utcnow())
    db_session.commit()
    courses.decide_application(course.id, applied.application.id, Decision.ACCEPT, "",
                               facilitators[0], utcnow())
    db_session.commit()
    return course, session


def test_moving_a_session_keeps_its_uid_and_tells_everyone(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    staying, leaving, joining = (make.user(area, email=f"{n}@example.fi")
                                 for n in ("jaa", "lahtee", "tulee"))
    start = datetime.combine(_local_day(5), time(13), tzinfo=HELSINKI)
    _course, session = _course_with_participant(make, db_session, area, start,
                                               [staying, leaving])
    uid, sequence = session.uid, session.sequence
    before = {m.id for m in db_session.scalars(select(OutboxMessage))}
    login(coordinator)
    day = _local_day(6)
    response = client.post(f"/fi/staff/series/sessions/{session.id}/edit", data={
        "day": day.isoformat(), "start_time": "15:00", "end_time": "16:30",
        "facilitators": [str(staying.id), str(joining.id)], "topic_fi": "Liikunta",
        "topic_sv": "Motion", "topic_en": ""})
    assert response.status_code == 302
    db_session.expire_all()
    moved = db_session.get(Session, session.id)
    assert moved.uid == uid and moved.sequence == sequence + 1
    assert moved.starts_at == datetime.combine(day, time(15), tzinfo=HELSINKI)
    assert (moved.topic_fi, moved.topic_sv) == ("Liikunta", "Motion")
    sent = {m.recipient: m for m in db_session.scalars(select(OutboxMessage))
            if m.id not in before}
    # One calendar entry per person (issue 14): a person's first message about the entry is
    # an invitation, one taken off a session that goes on is told they were removed.
    assert {r: m.kind for r, m in sent.items()} == {
        "jaa@example.fi": "update", "tulee@example.fi": "invite", "pirkko@example.fi": "update",
        "lahtee@example.fi": "removed"}
    earlier = [m for m in db_session.scalars(select(OutboxMessage)) if m.id in before and m.ics]
    for recipient, message in sent.items():
        for previous in (m for m in earlier if m.recipient == recipient):
            assert _uid(message.ics) == _uid(previous.ics), recipient  # the same entry
            assert _sequence(message.ics) > _sequence(previous.ics), recipient
    assert "DTSTART;TZID=Europe/Helsinki:" + day.strftime("%Y%m%d") + "T150000" in sent[
        "pirkko@example.fi"].ics
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "session.change"))
    assert entry.session_id == session.id and entry.actor_id == coordinator.id
    assert set(entry.changes) >= {"starts_at", "ends_at", "facilitators", "topic_fi"}
    assert "Tapaamista muutettu" in client.get(f"/fi/staff/sessions/{session.id}").get_data(True)


def test_a_move_into_a_double_booking_or_the_past_is_refused(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    busy = make.user(area, first_name="Kiireinen")
    group = make.group([area])
    start = datetime.combine(_local_day(3), time(10), tzinfo=HELSINKI)
    session = make.session_(group, start, host=area, facilitators=[busy])
    make.session_(make.group([area]), start + timedelta(days=1), host=area, facilitators=[busy])
    db_session.commit()
    login(coordinator)
    form = {"day": _local_day(4).isoformat(), "start_time": "10:30", "end_time": "11:00",
            "facilitators": [str(busy.id)], "topic_fi": "", "topic_sv": "", "topic_en": ""}
    clash = client.post(f"/fi/staff/series/sessions/{session.id}/edit", data=form)
    assert "Kiireinen" in clash.get_data(True) and 'id="facilitators-error"' in clash.get_data(True)
    past = client.post(f"/fi/staff/series/sessions/{session.id}/edit",
                       data={**form, "day": _local_day(-2).isoformat()}).get_data(True)
    assert "Valitse tuleva aika." in past
    db_session.expire_all()
    assert db_session.get(Session, session.id).starts_at == start


def test_a_cancellation_reason_reaches_participants(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    facilitator = make.user(area)
    group = make.group([area], title_fi="Avoin ryhmä")
    session = make.session_(group, utcnow() + timedelta(days=2), host=area,
                            facilitators=[facilitator])
    db_session.commit()
    login(coordinator)
    client.post(f"/fi/staff/series/sessions/{session.id}/cancel",
                data={"reason": "Ohjaaja on sairas."})
    client.post("/fi/staff/logout")
    assert "Syy: Ohjaaja on sairas." in client.get(f"/fi/sessions/{session.id}/join").get_data(
        True)
    assert "Syy: Ohjaaja on sairas." in client.get(f"/fi/groups/{group.id}").get_data(True)
    mail = db_session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "cancel"))
    assert "Syy: Ohjaaja on sairas." in mail.body_text


def test_topics_per_meeting_when_planning_a_series(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    group = make.group([area])
    db_session.commit()
    login(coordinator)
    first = _local_day(10)
    form = {"rotation-0": str(area.id), "weekday": str(first.weekday()),
            "first_date": first.isoformat(), "start_time": "13:00", "end_time": "14:30",
            "interval_weeks": "1", "count": "3", "until": "", "skip_holidays": "",
            "topics_fi": "Ravinto\n\nLepo", "topics_sv": "Kost\n\nVila", "topics_en": "",
            "action": "preview"}
    preview = client.post(f"/fi/staff/series/groups/{group.id}/plan", data=form)
    previewed = _hidden(preview.get_data(True), "previewed")
    saved = client.post(f"/fi/staff/series/groups/{group.id}/plan",
                        data={**form, "action": "save", "previewed": previewed})
    assert saved.status_code == 302
    sessions = db_session.scalars(select(Session).where(Session.group_id == group.id)
                                  .order_by(Session.starts_at)).all()
    assert [(s.topic_fi, s.topic_sv) for s in sessions] == [
        ("Ravinto", "Kost"), ("", ""), ("Lepo", "Vila")]
    again = client.get(f"/fi/staff/series/groups/{group.id}/plan").get_data(True)
    assert "Ravinto\n\nLepo" in again


def _hidden(page: str, name: str) -> str:
    import re

    found = re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', page)
    assert found, page[:3000]
    return found.group(1)


def test_contact_line_group_first_then_areas_in_rotation_order(client, make, db_session):
    quiet = make.area()
    helpful = make.area(contact_phone="09 123 4567", contact_hours_fi="ma–pe klo 9–15",
                        contact_hours_sv="mån–fre kl. 9–15", contact_email="apu@example.fi")
    group = make.group([quiet, helpful], kind=GroupKind.CLOSED, capacity=5,
                       applications_open_at=utcnow() - timedelta(days=1),
                       applications_close_at=utcnow() + timedelta(days=5))
    session = make.session_(group, utcnow() + timedelta(days=2))
    db_session.commit()
    assert contact_for(group, "sv").hours == "mån–fre kl. 9–15"
    assert contact_for(group, "en").hours == "ma–pe klo 9–15"  # nearest language given
    for path in (f"/fi/groups/{group.id}", f"/fi/sessions/{session.id}/join",
                 f"/fi/courses/{group.id}/apply"):
        page = client.get(path).get_data(True)
        assert 'href="tel:091234567"' in page and "ma–pe klo 9–15" in page, path
    group.contact_phone, group.contact_email = "+358 40 111 2222", ""
    db_session.commit()
    assert contact_for(group, "fi").phone == "+358 40 111 2222"
    assert contact_for(group, "fi").source == "group"
    applied = courses.submit_application(group, courses.ApplicantDetails(
        name="Anna Hakija", email="anna@example.fi", phone="", home_area_id=quiet.id,
        language="fi", motivation="", support_needs=""), utcnow())
    db_session.commit()
    mail = db_session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == "anna@example.fi"))
    assert "+358 40 111 2222" in mail.body_text and 'href="tel:+358401112222"' in mail.body_html
    assert applied.application is not None


def test_a_course_cannot_shrink_below_its_participants(client, make, login, db_session):
    area = make.area()
    coordinator = make.user(area, Role.COORDINATOR)
    facilitator = make.user(area)
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4)
    db_session.commit()
    for name in ("eka", "toka"):
        applied = courses.submit_application(course, courses.ApplicantDetails(
            name=name, email=f"{name}@example.fi", phone="", home_area_id=area.id,
            language="fi", motivation="", support_needs=""), utcnow())
        db_session.commit()
        courses.decide_application(course.id, applied.application.id, Decision.ACCEPT, "",
                                   facilitator, utcnow())
        db_session.commit()
    login(coordinator)
    dates = {"applications_open": "2026-12-01", "applications_close": "2026-12-10"}
    page = client.post(f"/fi/staff/series/groups/{course.id}/edit",
                       data={**EDIT, **dates, "capacity": "1"}).get_data(True)
    assert "Kurssilla on jo 2 osallistujaa." in page and 'id="capacity-error"' in page
    assert client.post(f"/fi/staff/series/groups/{course.id}/edit",
                       data={**EDIT, **dates, "capacity": "2"}).status_code == 302


def _uid(ics: str) -> str:
    return next(line for line in ics.splitlines() if line.startswith("UID:"))


def _sequence(ics: str) -> int:
    return max(int(line.split(":", 1)[1]) for line in ics.splitlines()
               if line.startswith("SEQUENCE:"))
