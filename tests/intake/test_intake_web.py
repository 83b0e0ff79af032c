"""Intake calls through the web (test client) on SQLite or PostgreSQL (DATABASE_URL):
staff publish slots, participants book, rebook and cancel through their private link, staff
book for them and mark the call held; invitations and data care."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from remote_groups.audit import AuditEntry
from remote_groups.db_types import utcnow
from remote_groups.intake.models import IntakeBooking, IntakeSlot
from remote_groups.people.models import Role

from .conftest import accept, calendar_of, intake_mails, publish


def _slots(db_session, course):
    return list(db_session.scalars(select(IntakeSlot).where(IntakeSlot.group_id == course.group.id)
                                   .order_by(IntakeSlot.starts_at)))


def _day(course, days=5):
    return (utcnow() + timedelta(days=days)).date().isoformat()


# --- staff: settings and slots ------------------------------------------------------------------

def test_staff_require_an_intake_and_add_several_slots_at_once(client, login, course, db_session):
    login(course.facilitator)
    page = client.get(f"/fi/staff/courses/{course.group.id}/intake")
    assert page.status_code == 200 and "Lisää ajat" in page.get_data(as_text=True)
    answer = client.post(f"/fi/staff/courses/{course.group.id}/intake/required",
                         data={"intake_required": "y"})
    assert answer.status_code == 303
    db_session.refresh(course.group)
    assert course.group.intake_required is True
    answer = client.post(f"/fi/staff/courses/{course.group.id}/intake/slots", data={
        "facilitator": str(course.facilitator.id), "day": _day(course),
        "times": "9.00, 9.30 10:15", "minutes": "20"})
    assert answer.status_code == 303
    slots = _slots(db_session, course)
    assert [s.minutes for s in slots] == [20, 20, 20]
    assert len({s.room_name for s in slots}) == 3  # a room of its own each
    page = client.get(f"/fi/staff/courses/{course.group.id}/intake").get_data(as_text=True)
    assert "klo 9.00–9.20" in page and "klo 10.15–10.35" in page
    actions = set(db_session.scalars(select(AuditEntry.action)))
    assert {"intake.required", "intake.slots_add"} <= actions


def test_a_slot_that_clashes_with_the_facilitators_session_or_slot_is_refused(
        client, login, course, make, db_session):
    login(course.facilitator)
    session = course.sessions[0]  # 14 days ahead
    local = session.starts_at + timedelta(hours=2)  # Helsinki clock of the session's start
    answer = client.post(f"/fi/staff/courses/{course.group.id}/intake/slots", data={
        "facilitator": str(course.facilitator.id),
        "day": session.starts_at.date().isoformat(),
        "times": f"{local:%H.%M}", "minutes": "30"})
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Mitään ei lisätty" in page
    assert f'value="{local:%H.%M}"' in page  # nothing typed is lost
    assert _slots(db_session, course) == []
    # Another course's slot at the same time is the same person's time too.
    other = make.group(course.areas, kind=course.group.kind, capacity=3)
    db_session.commit()
    publish(course, days=4, count=1)
    db_session.commit()
    [taken] = _slots(db_session, course)
    local = taken.starts_at + timedelta(hours=2)
    answer = client.post(f"/fi/staff/courses/{other.id}/intake/slots", data={
        "facilitator": str(course.facilitator.id), "day": taken.starts_at.date().isoformat(),
        "times": f"{local:%H.%M}", "minutes": "45"})
    assert answer.status_code == 409
    assert db_session.scalar(select(func.count()).select_from(IntakeSlot)) == 1
    # Back to back is fine, and overlapping each other in one form is not.
    end = taken.ends_at + timedelta(hours=2)
    ok = client.post(f"/fi/staff/courses/{other.id}/intake/slots", data={
        "facilitator": str(course.facilitator.id), "day": taken.starts_at.date().isoformat(),
        "times": f"{end:%H.%M}", "minutes": "30"})
    assert ok.status_code == 303


def test_bad_input_gives_messages_next_to_the_fields_never_a_500(client, login, course):
    login(course.facilitator)
    url = f"/sv/staff/courses/{course.group.id}/intake/slots"
    for data in ({"facilitator": "x", "day": "", "times": "", "minutes": "30"},
                 {"facilitator": str(course.facilitator.id), "day": "9999-01-01",
                  "times": "25.00", "minutes": "30"},
                 {"facilitator": "999999", "day": _day(course), "times": "9.00",
                  "minutes": "30"},
                 {"facilitator": str(course.facilitator.id), "day": "2001-01-01",
                  "times": "9.00", "minutes": "30"},
                 {"facilitator": str(course.facilitator.id), "day": _day(course),
                  "times": "9.00", "minutes": "abc"}):
        answer = client.post(url, data=data)
        assert answer.status_code == 400, data
        page = answer.get_data(as_text=True)
        assert 'class="error"' in page
    assert "Skriv in datumet." in client.post(url, data={"times": "9"}).get_data(as_text=True)


def test_staff_of_other_areas_and_clients_cannot_open_the_staff_page(client, login, course):
    assert client.get(f"/fi/staff/courses/{course.group.id}/intake").status_code in (302, 401)
    login(course.outsider)
    assert client.get(f"/fi/staff/courses/{course.group.id}/intake").status_code == 403
    assert client.post(f"/fi/staff/courses/{course.group.id}/intake/required",
                       data={"intake_required": "y"}).status_code == 403


# --- the participant ------------------------------------------------------------------------------

def test_a_participant_books_rebooks_and_cancels_through_the_status_link(
        client, intake, db_session, jitsi):
    person = accept(intake, "osallistuja@example.com")
    db_session.commit()
    status = client.get(person.status_url).get_data(as_text=True)
    assert "Alkukeskustelu" in status and "Varaa alkukeskustelu" in status
    page = client.get(f"{person.status_url}/intake")
    assert page.status_code == 200
    first, second, _third = _slots(db_session, intake)
    answer = client.post(f"{person.status_url}/intake", data={"slot": str(first.id)})
    assert answer.status_code == 303
    status = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Alkukeskustelusi:" in status and "klo 10.00–10.30" in status

    [to_person] = intake_mails(recipient="osallistuja@example.com")
    [to_facilitator] = intake_mails(recipient=intake.facilitator.email)
    method, event = calendar_of(to_person)
    assert method == "REQUEST" and int(event["SEQUENCE"]) == 0
    uid = str(event["UID"])
    assert str(calendar_of(to_facilitator)[1]["UID"]) == uid
    conferences = event.get("CONFERENCE")
    conferences = conferences if isinstance(conferences, list) else [conferences]
    assert any(str(c).startswith(f"{jitsi}/{first.room_name}?lang=fi") for c in conferences)
    # The participant's copy lists them and the facilitator, nobody else.
    attendees = event.get("ATTENDEE")
    attendees = {str(a).lower() for a in (attendees if isinstance(attendees, list)
                                          else [attendees])}
    assert attendees == {"mailto:osallistuja@example.com"}
    assert "Alkukeskustelu" in to_person.subject

    # Rebook: same UID, higher SEQUENCE, an update.
    answer = client.post(f"{person.status_url}/intake", data={"slot": str(second.id)})
    assert answer.status_code == 303
    update = intake_mails(recipient="osallistuja@example.com")[-1]
    method, event = calendar_of(update)
    assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("REQUEST", uid, 1)
    assert update.kind == "intake_update"
    assert db_session.scalar(select(IntakeBooking.slot_id)) == second.id

    # Cancel: a CANCEL to both, the slot is free again.
    assert client.get(f"{person.status_url}/intake/cancel").status_code == 200
    answer = client.post(f"{person.status_url}/intake/cancel")
    assert answer.status_code == 303
    for who in ("osallistuja@example.com", intake.facilitator.email):
        method, event = calendar_of(intake_mails(recipient=who)[-1])
        assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("CANCEL", uid, 2)
        assert str(event["STATUS"]) == "CANCELLED"
    assert db_session.scalar(select(func.count()).select_from(IntakeBooking)) == 0


def test_a_taken_slot_is_refused_with_a_clear_message(client, intake, db_session, jitsi):
    first = accept(intake, "eka@example.com")
    second = accept(intake, "toka@example.com", lang="sv")
    db_session.commit()
    slot = _slots(db_session, intake)[0]
    assert client.post(f"{first.status_url}/intake", data={"slot": str(slot.id)}
                       ).status_code == 303
    answer = client.post(f"{second.status_url}/intake", data={"slot": str(slot.id)})
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Någon annan bokade just den här tiden. Välj en annan tid." in page
    assert 'class="error"' in page
    # Nonsense and a slot of nothing: messages, not errors.
    assert client.post(f"{second.status_url}/intake", data={"slot": "x"}).status_code == 400
    assert client.post(f"{second.status_url}/intake", data={"slot": "99999"}
                       ).status_code == 409


def test_the_intake_pages_exist_only_for_accepted_participants_of_a_course_with_intake(
        client, course, db_session):
    person = accept(course, "ei@example.com")
    db_session.commit()
    assert client.get(f"{person.status_url}/intake").status_code == 404
    assert "Alkukeskustelu" not in client.get(person.status_url).get_data(as_text=True)
    assert client.get("/fi/my/not-a-token/intake").status_code == 404


# --- staff: bookings ---------------------------------------------------------------------------

def test_staff_book_for_a_participant_mark_it_held_and_see_it_in_the_list(
        client, login, intake, db_session, jitsi):
    person = accept(intake, "puhelin@example.com", name="Pirkko Puhelin")
    db_session.commit()
    login(intake.facilitator)
    slot = _slots(db_session, intake)[1]
    participants = client.get(f"/fi/staff/courses/{intake.group.id}/participants"
                              ).get_data(as_text=True)
    assert "Alkukeskustelut" in participants and "Ei varattu" in participants
    answer = client.post(f"/fi/staff/courses/{intake.group.id}/intake/slots/{slot.id}/book",
                         data={"application": str(person.application.id)})
    assert answer.status_code == 303
    booking = db_session.scalar(select(IntakeBooking))
    assert booking.booked_by_id == intake.facilitator.id
    assert {m.recipient for m in intake_mails()} == {"puhelin@example.com",
                                                    intake.facilitator.email}
    participants = client.get(f"/fi/staff/courses/{intake.group.id}/participants"
                              ).get_data(as_text=True)
    assert "Varattu: " in participants
    answer = client.post(
        f"/fi/staff/courses/{intake.group.id}/intake/bookings/{booking.id}/done",
        data={"done": "y"})
    assert answer.status_code == 303
    db_session.refresh(booking)
    assert booking.done_at is not None
    participants = client.get(f"/fi/staff/courses/{intake.group.id}/participants"
                              ).get_data(as_text=True)
    assert "Pidetty " in participants
    # Held: the participant can no longer move it.
    other = _slots(db_session, intake)[2]
    answer = client.post(f"{person.status_url}/intake", data={"slot": str(other.id)})
    assert "Alkukeskustelusi on pidetty. Kiitos!" in answer.get_data(as_text=True)
    assert db_session.scalar(select(IntakeBooking.slot_id)) == slot.id
    assert "intake.book" in set(db_session.scalars(select(AuditEntry.action)))
    # A booked slot cannot be removed; a free one can.
    assert client.post(f"/fi/staff/courses/{intake.group.id}/intake/slots/{slot.id}/delete"
                       ).status_code == 303
    assert db_session.get(IntakeSlot, slot.id) is not None
    client.post(f"/fi/staff/courses/{intake.group.id}/intake/slots/{other.id}/delete")
    db_session.expire_all()
    assert db_session.get(IntakeSlot, other.id) is None


def test_staff_cancel_a_booking(client, login, intake, db_session, jitsi):
    person = accept(intake, "peru@example.com")
    db_session.commit()
    slot = _slots(db_session, intake)[0]
    client.post(f"{person.status_url}/intake", data={"slot": str(slot.id)})
    booking = db_session.scalar(select(IntakeBooking))
    login(intake.facilitator)
    answer = client.post(
        f"/fi/staff/courses/{intake.group.id}/intake/bookings/{booking.id}/cancel")
    assert answer.status_code == 303
    assert db_session.scalar(select(func.count()).select_from(IntakeBooking)) == 0
    assert intake_mails(recipient="peru@example.com")[-1].kind == "intake_cancel"


# --- data care ---------------------------------------------------------------------------------

def test_export_and_erase_include_the_intake_booking(client, login, intake, make, db_session,
                                                     jitsi):
    person = accept(intake, "tiedot@example.com")
    db_session.commit()
    slot = _slots(db_session, intake)[0]
    client.post(f"{person.status_url}/intake", data={"slot": str(slot.id)})
    admin = make.user(intake.areas[0], role=Role.ADMIN, email="admin@example.com")
    db_session.commit()
    login(admin)
    exported = client.post("/fi/staff/courses/data-requests",
                           data={"email": "tiedot@example.com", "action": "export"})
    [entry] = json.loads(exported.get_data(as_text=True))["applications"]
    assert entry["intake_call"]["starts_at"] == slot.starts_at.isoformat()
    answer = client.post("/fi/staff/courses/data-requests",
                         data={"email": "tiedot@example.com", "action": "erase"})
    assert answer.status_code == 303
    assert db_session.scalar(select(func.count()).select_from(IntakeBooking)) == 0
    # The facilitator's calendar loses the call.
    assert intake_mails(recipient=intake.facilitator.email)[-1].kind == "intake_cancel"


def test_retention_purge_removes_the_booking(app, client, intake, db_session, jitsi):
    person = accept(intake, "vanha@example.com")
    db_session.commit()
    slot = _slots(db_session, intake)[0]
    client.post(f"{person.status_url}/intake", data={"slot": str(slot.id)})
    for s in intake.sessions:
        s.starts_at = utcnow() - timedelta(days=40)
        s.ends_at = s.starts_at + timedelta(hours=2)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "purge"])
    assert result.exit_code == 0, result.output
    assert db_session.scalar(select(func.count()).select_from(IntakeBooking)) == 0


def test_withdrawing_cancels_the_intake_call_and_frees_the_time(client, login, intake,
                                                               db_session, jitsi):
    person = accept(intake, "lahtija@example.com", name="Lauri Lähtijä")
    db_session.commit()
    slot = _slots(db_session, intake)[0]
    client.post(f"{person.status_url}/intake", data={"slot": str(slot.id)})
    assert client.post(f"{person.status_url}/withdraw").status_code == 303
    assert db_session.scalar(select(func.count()).select_from(IntakeBooking)) == 0
    for who in ("lahtija@example.com", intake.facilitator.email):
        method, event = calendar_of(intake_mails(recipient=who)[-1])
        assert method == "CANCEL" and int(event["SEQUENCE"]) == 1
    login(intake.facilitator)
    page = client.get(f"/fi/staff/courses/{intake.group.id}/intake").get_data(as_text=True)
    assert "Lauri Lähtijä" not in page


def test_staff_moving_a_participant_to_the_waiting_list_cancels_their_call(
        client, login, intake, db_session, jitsi):
    person = accept(intake, "jonoon@example.com")
    db_session.commit()
    slot = _slots(db_session, intake)[0]
    client.post(f"{person.status_url}/intake", data={"slot": str(slot.id)})
    login(intake.facilitator)
    answer = client.post(f"/fi/staff/courses/{intake.group.id}/applications/"
                         f"{person.application.id}/decision", data={"decision": "waitlist"})
    assert answer.status_code == 303
    assert db_session.scalar(select(func.count()).select_from(IntakeBooking)) == 0
    assert intake_mails(recipient="jonoon@example.com")[-1].kind == "intake_cancel"
