"""Facilitators review applications: access, decisions, seats, mails, invites, CSV."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from remote_groups.calendar import invites
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.rules.capacity import Status

from .conftest import form_data, outbox, status_token


def _apply(client, course, email, lang="fi", name="Testi Hakija", area=0):
    client.post(f"/{lang}/courses/{course.group.id}/apply",
                data=form_data(course.areas[area], email=email, language=lang, name=name))
    mail = outbox(kind="course_application", recipient=email)[-1]
    return status_token(mail)


def _application(db_session, email):
    db_session.expire_all()
    return db_session.scalar(select(Application).where(Application.email == email))


def _decide(client, course, application, decision, message="", lang="fi"):
    return client.post(
        f"/{lang}/staff/courses/{course.group.id}/applications/{application.id}/decision",
        data={"decision": decision, "message": message})


def test_only_staff_of_a_co_running_area_see_the_applications(client, course, login):
    url = f"/fi/staff/courses/{course.group.id}/applications"
    assert client.get(url).status_code == 302  # to sign-in
    login(course.outsider)
    assert client.get(url).status_code == 403


def test_the_list_filters_by_status_area_and_language(client, course, login, db_session):
    _apply(client, course, "eka@example.com", name="Eka Hakija")
    _apply(client, course, "toka@example.com", lang="sv", name="Toka Hakija", area=1)
    login(course.facilitator)
    url = f"/fi/staff/courses/{course.group.id}/applications"
    everyone = client.get(url).get_data(as_text=True)
    assert "Eka Hakija" in everyone and "Toka Hakija" in everyone
    assert "Haluan oppia jaksamaan" in everyone  # decrypted for the facilitators
    swedish = client.get(url + "?language=sv").get_data(as_text=True)
    assert "Toka Hakija" in swedish and "Eka Hakija" not in swedish
    north = client.get(url + f"?area={course.areas[1].id}").get_data(as_text=True)
    assert "Toka Hakija" in north and "Eka Hakija" not in north
    accepted = client.get(url + "?status=accepted").get_data(as_text=True)
    assert "Eka Hakija" not in accepted


def test_acceptance_sends_the_decision_and_one_invitation_in_the_applicants_language(
        client, course, login, db_session):
    _apply(client, course, "sv@example.com", lang="sv")
    login(course.facilitator)
    application = _application(db_session, "sv@example.com")
    response = _decide(client, course, application, "accept", message="Välkommen med!")
    assert response.status_code == 303
    assert _application(db_session, "sv@example.com").status == Status.ACCEPTED
    [decision] = outbox(kind="course_decision")
    assert decision.language == "sv" and decision.subject.startswith("Du har en plats på kursen")
    assert "Välkommen med!" in decision.body_text
    # One invitation for the whole course: a recurring entry, not one mail per session.
    [message] = outbox(kind="invite", recipient="sv@example.com")
    assert message.ics_method == "REQUEST" and "METHOD:REQUEST" in message.ics
    assert message.language == "sv"
    assert "Kurs i psykiskt välmående" in message.ics
    unfolded = message.ics.replace("\r\n ", "")
    assert re.search(r"RRULE:FREQ=WEEKLY;UNTIL=\d{8}T\d{6}Z;INTERVAL=1\r\n", unfolded)
    assert re.search(r"/sv/my/[A-Za-z0-9_\-]{40,}/join", unfolded)  # the personal link
    for session in course.sessions:
        assert f"/sv/sessions/{session.id}/join" not in unfolded  # no public link


def test_the_personal_join_link_opens_the_room_shortly_before_the_start(
        client, course, login, db_session, make):
    soon = make.session_(course.group, starts_at=utcnow() + timedelta(minutes=5),
                         host=course.areas[0])
    db_session.commit()
    _apply(client, course, "liity@example.com")
    login(course.facilitator)
    _decide(client, course, _application(db_session, "liity@example.com"), "accept")
    [invite] = outbox(kind="invite", recipient="liity@example.com")
    entry_link = re.search(r"https://etaryhmat\.example\.fi(/fi/my/\S+?/join)",
                           invite.body_text).group(1)
    # The entry's link opens the personal join page of the next session.
    redirect = client.get(entry_link)
    assert redirect.status_code == 303
    link = redirect.headers["Location"].replace("https://etaryhmat.example.fi", "")
    assert link.endswith(f"/sessions/{soon.id}/join")
    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert f"https://meet.jit.si/{soon.room_name}?lang=fi" in html
    assert "jwt=" not in html  # a guest link
    later = client.get(link.replace(f"/sessions/{soon.id}/", f"/sessions/{course.sessions[0].id}/"))
    assert "Videohuone avautuu" in later.get_data(as_text=True)


def test_a_pending_applicant_cannot_join(client, course):
    token = _apply(client, course, "odottaa@example.com")
    assert client.get(f"/fi/my/{token}/sessions/{course.sessions[0].id}/join").status_code == 403


def test_the_last_seat_cannot_be_given_twice(client, course, login, db_session):
    for n in range(3):
        _apply(client, course, f"h{n}@example.com")
    login(course.facilitator)
    people = [_application(db_session, f"h{n}@example.com") for n in range(3)]
    assert _decide(client, course, people[0], "accept").status_code == 303
    assert _decide(client, course, people[1], "accept").status_code == 303
    full = _decide(client, course, people[2], "accept")
    assert full.status_code == 409 and "Kurssi on täynnä" in full.get_data(as_text=True)
    assert _application(db_session, "h2@example.com").status == Status.PENDING
    assert outbox(kind="invite", recipient="h2@example.com") == []


def test_a_decline_says_so_kindly_and_sends_no_invites(client, course, login, db_session):
    _apply(client, course, "ei@example.com")
    login(course.facilitator)
    _decide(client, course, _application(db_session, "ei@example.com"), "decline")
    [mail] = outbox(kind="course_decision")
    assert "Kiitos hakemuksestasi" in mail.body_text
    assert outbox(kind="invite") == []


def test_withdrawal_offers_the_seat_to_the_first_on_the_waiting_list(
        client, course, login, db_session):
    tokens = {n: _apply(client, course, f"w{n}@example.com") for n in range(4)}
    login(course.facilitator)
    people = {n: _application(db_session, f"w{n}@example.com") for n in range(4)}
    _decide(client, course, people[0], "accept")
    _decide(client, course, people[1], "accept")
    _decide(client, course, people[3], "waitlist")  # applied later but waitlisted first
    _decide(client, course, people[2], "waitlist")
    client.post(f"/fi/my/{tokens[0]}/withdraw")
    assert _application(db_session, "w0@example.com").status == Status.WITHDRAWN
    # The seat is offered (issue 18), not given: first come, with a deadline.
    assert _application(db_session, "w2@example.com").status == Status.WAITING
    [offer] = outbox(kind="course_offer", recipient="w2@example.com")
    assert outbox(kind="course_offer", recipient="w3@example.com") == []
    [cancel] = outbox(kind="left", recipient="w0@example.com")  # one CANCEL for the course
    assert "METHOD:CANCEL" in cancel.ics and "STATUS:" not in cancel.ics  # the course goes on
    client.post(f"/fi/my/{status_token(offer)}/offer/accept")
    assert _application(db_session, "w2@example.com").status == Status.ACCEPTED
    assert len(outbox(kind="invite", recipient="w2@example.com")) == 1
    [promoted] = [m for m in outbox(kind="course_decision", recipient="w2@example.com")
                  if "vapautui" in m.subject]
    assert "Sinulle vapautui paikka" in promoted.subject


def test_later_session_changes_reach_accepted_participants(client, course, login, db_session):
    _apply(client, course, "mukana@example.com", lang="sv")
    _apply(client, course, "odottaa@example.com")
    login(course.facilitator)
    _decide(client, course, _application(db_session, "mukana@example.com"), "accept")
    session = course.sessions[0]
    recipients = invites.participant_recipients(session)
    assert [r.email for r in recipients] == ["mukana@example.com"]
    assert recipients[0].language == "sv" and not recipients[0].chair
    assert "/sv/my/" in recipients[0].join_url
    # The invitation carries the personal course link, which opens this same join page.
    first = outbox(kind="invite", recipient="mukana@example.com")[0]
    assert recipients[0].entry_url in first.ics.replace("\r\n ", "")
    opened = client.get(recipients[0].entry_url.replace("https://etaryhmat.example.fi", ""))
    assert opened.headers["Location"].endswith(
        recipients[0].join_url.replace("https://etaryhmat.example.fi", ""))


def test_participants_csv_opens_in_excel_and_leaves_out_health_texts(
        client, course, login, db_session):
    _apply(client, course, "aino@example.com", name="Äijä Öhman")
    login(course.facilitator)
    _decide(client, course, _application(db_session, "aino@example.com"), "accept")
    response = client.get(f"/fi/staff/courses/{course.group.id}/participants.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    body = response.data.decode("utf-8-sig")
    assert "Äijä Öhman" in body and "aino@example.com" in body
    assert "jaksamaan" not in body and "taukoja" not in body


def test_staff_can_revoke_the_links_and_send_a_new_one(client, course, login, db_session):
    token = _apply(client, course, "linkki@example.com")
    login(course.facilitator)
    application = _application(db_session, "linkki@example.com")
    url = f"/fi/staff/courses/{course.group.id}/applications/{application.id}/link"
    client.post(url, data={"action": "revoke"})
    assert client.get(f"/fi/my/{token}").status_code == 404
    client.post(url, data={"action": "resend"})
    new = outbox(kind="course_link")[-1]
    assert new.recipient == "linkki@example.com"
    assert client.get(f"/fi/my/{status_token(new)}").status_code == 200


def test_staff_see_the_courses_their_area_co_runs_with_counts(client, course, login, make,
                                                              db_session):
    make.group([course.outsider.area], kind=course.group.kind, title_fi="Toisen alueen kurssi")
    db_session.commit()
    _apply(client, course, "laske@example.com")
    login(course.facilitator)
    page = client.get("/fi/staff/courses/").get_data(as_text=True)
    assert "Mielen hyvinvoinnin kurssi" in page and "Toisen alueen kurssi" not in page
    assert "Odottaa päätöstä: 1" in page
    assert "Haettavat kurssit ja hakemukset" in client.get("/fi/staff/").get_data(as_text=True)


def test_a_new_link_after_revoking_updates_the_participants_calendar_links(
        client, course, login, db_session):
    _apply(client, course, "uusi@example.com")
    login(course.facilitator)
    application = _application(db_session, "uusi@example.com")
    _decide(client, course, application, "accept")
    old_join = re.search(r"https://etaryhmat\.example\.fi(/fi/my/\S+?/join)",
                         outbox(kind="invite")[0].body_text).group(1)
    url = f"/fi/staff/courses/{course.group.id}/applications/{application.id}/link"
    client.post(url, data={"action": "revoke"})
    assert client.get(old_join).status_code == 404
    client.post(url, data={"action": "resend"})
    [update] = outbox(kind="update", recipient="uusi@example.com")
    new_join = re.search(r"https://etaryhmat\.example\.fi(/fi/my/\S+?/join)",
                         update.body_text).group(1)
    assert new_join != old_join
    assert client.get(new_join, follow_redirects=True).status_code == 200


def test_only_participants_who_asked_for_reminders_get_them(client, course, login, db_session,
                                                            make):
    from remote_groups.mail.reminders import queue_due_reminders

    tomorrow = make.session_(course.group, starts_at=utcnow() + timedelta(hours=20),
                             host=course.areas[0])
    tomorrow.created_at = utcnow() - timedelta(days=7)
    db_session.commit()
    client.post(f"/sv/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], email="muistuta@example.com", language="sv",
                               wants_reminders="y"))
    _apply(client, course, "eimuistutusta@example.com")
    login(course.facilitator)
    for email in ("muistuta@example.com", "eimuistutusta@example.com"):
        _decide(client, course, _application(db_session, email), "accept")
    queue_due_reminders(utcnow())
    db_session.commit()
    reminded = {m.recipient for m in outbox() if m.kind.startswith("reminder")}
    assert "muistuta@example.com" in reminded
    assert "eimuistutusta@example.com" not in reminded


def test_the_waiting_list_mail_says_full_only_when_the_course_is(client, course, login,
                                                                 db_session):
    for n in range(4):
        _apply(client, course, f"v{n}@example.com", lang="sv" if n % 2 else "fi")
    login(course.facilitator)
    people = {n: _application(db_session, f"v{n}@example.com") for n in range(4)}
    _decide(client, course, people[0], "waitlist")  # both seats still free
    _decide(client, course, people[1], "waitlist")
    [seats_free_fi] = outbox(kind="course_decision", recipient="v0@example.com")
    [seats_free_sv] = outbox(kind="course_decision", recipient="v1@example.com")
    assert "täynnä" not in seats_free_fi.body_text and "full" not in seats_free_fi.body_text
    assert "Olet kurssin varasijalla" in seats_free_fi.body_text
    assert "full" not in seats_free_sv.body_text and "Du står på kursens reservlista" in (
        seats_free_sv.body_text)
    _decide(client, course, people[2], "accept")
    _decide(client, course, people[3], "accept")  # both seats taken now
    _apply(client, course, "v4@example.com")
    _decide(client, course, _application(db_session, "v4@example.com"), "waitlist")
    [full] = outbox(kind="course_decision", recipient="v4@example.com")
    assert "Kurssi on nyt täynnä, ja olet varasijalla" in full.body_text
