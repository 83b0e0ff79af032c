"""Messages to a course's participants through the web: one mail per person in their own
language with Reply-To the area's contact address, the status page, the staff page, the
audit log, access, validation, and data care (export and erasure of receipts)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from remote_groups.audit import AuditEntry
from remote_groups.course_messages.models import CourseMessage, MessageReceipt
from remote_groups.people.models import Role

from .conftest import CONTACT, outbox

BOTH = {"session": "0", "subject_fi": "Tapaamme tänään klo 10",
        "body_fi": "Tervetuloa!\nMuista vesipullo.", "subject_sv": "Vi träffas i dag kl. 10",
        "body_sv": "Välkommen!\nKom ihåg vattenflaskan."}


def _url(course):
    return f"/fi/staff/courses/{course.group.id}/messages"


def test_each_participant_gets_one_mail_in_their_language_with_reply_to(
        client, accepted, login, db_session):
    course = accepted.course
    login(course.facilitator)
    response = client.post(_url(course), data=BOTH)
    assert response.status_code == 303
    mails = outbox(kind="course_message")
    assert sorted(m.recipient for m in mails) == [
        "osallistuja-en@example.com", "osallistuja-fi@example.com", "osallistuja-sv@example.com"]
    by_lang = {m.language: m for m in mails}
    assert by_lang["fi"].subject == "Mielen hyvinvoinnin kurssi: Tapaamme tänään klo 10"
    assert "Muista vesipullo." in by_lang["fi"].body_text
    assert by_lang["sv"].subject == "Kurs i psykiskt välmående: Vi träffas i dag kl. 10"
    assert "Kom ihåg vattenflaskan." in by_lang["sv"].body_text
    assert "vesipullo" not in by_lang["sv"].body_text
    # English readers get the Finnish version, in an English frame.
    assert by_lang["en"].subject == "Mental wellbeing course: Tapaamme tänään klo 10"
    assert "You can answer by replying to this e-mail." in by_lang["en"].body_text
    assert all(m.reply_to == CONTACT for m in mails)
    assert "odottaa@example.com" not in {m.recipient for m in mails}

    message = db_session.scalar(select(CourseMessage))
    assert message.recipient_count == 3 and message.author_id == course.facilitator.id
    assert db_session.scalar(select(func.count()).select_from(MessageReceipt)) == 3
    [entry] = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "course.message"))
    assert entry.subject_id == course.group.id and entry.actor_id == course.facilitator.id
    assert entry.changes["recipients"] == [0, 3]
    assert "example.com" not in json.dumps(entry.changes)  # no personal data in the log

    page = client.get(_url(course)).get_data(as_text=True)
    assert "Tapaamme tänään klo 10" in page and "Vi träffas i dag kl. 10" in page


def test_a_message_written_only_in_finnish_reaches_swedish_readers_in_finnish(
        client, accepted, login):
    login(accepted.course.facilitator)
    client.post(_url(accepted.course), data={"session": "0", "subject_fi": "Muutos",
                                             "body_fi": "Tila vaihtuu.", "subject_sv": "",
                                             "body_sv": ""})
    [sv] = outbox(kind="course_message", recipient="osallistuja-sv@example.com")
    assert sv.subject.endswith(": Muutos") and "Tila vaihtuu." in sv.body_text
    assert "Du kan svara" in sv.body_text  # the frame is still Swedish


def test_only_swedish_reaches_finnish_readers_in_swedish(client, accepted, login):
    login(accepted.course.facilitator)
    client.post(_url(accepted.course), data={"session": "0", "subject_sv": "Ändring",
                                             "body_sv": "Ny plats."})
    [fi] = outbox(kind="course_message", recipient="osallistuja-fi@example.com")
    assert fi.subject.endswith(": Ändring") and "Ny plats." in fi.body_text


def test_the_messages_show_on_the_status_page_newest_first_with_their_session(
        client, accepted, login):
    course = accepted.course
    login(course.facilitator)
    client.post(_url(course), data={**BOTH, "subject_fi": "Ensimmäinen",
                                    "subject_sv": "Första"})
    session = course.sessions[1]
    client.post(_url(course), data={**BOTH, "session": str(session.id),
                                    "subject_fi": "Toinen", "subject_sv": "Andra"})
    fi = client.get(f"/fi/my/{accepted.tokens['fi']}").get_data(as_text=True)
    assert "Viestit ohjaajilta" in fi
    assert fi.index("Toinen") < fi.index("Ensimmäinen")
    assert "Koskee tapaamista:" in fi and "Andra" not in fi
    sv = client.get(f"/sv/my/{accepted.tokens['sv']}").get_data(as_text=True)
    assert "Meddelanden från handledarna" in sv and sv.index("Andra") < sv.index("Första")
    assert "Vattenflaskan".lower() in sv.lower()


def test_a_session_message_names_the_session_in_the_mail(client, accepted, login):
    course = accepted.course
    login(course.facilitator)
    client.post(_url(course), data={**BOTH, "session": str(course.sessions[0].id)})
    [sv] = outbox(kind="course_message", recipient="osallistuja-sv@example.com")
    assert "Gäller träffen:" in sv.body_text


@pytest.mark.parametrize("data, field, message", [
    ({"session": "0"}, "subject_fi", "Kirjoita viesti suomeksi tai ruotsiksi."),
    ({"session": "0", "subject_fi": "Otsikko"}, "body_fi", "Kirjoita viesti."),
    ({"session": "0", "body_sv": "Text"}, "subject_sv", "Kirjoita otsikko."),
    ({"session": "0", "subject_fi": "x" * 151, "body_fi": "y"}, "subject_fi",
     "Kirjoita enintään 150 merkkiä."),
    ({"session": "999999", "subject_fi": "Otsikko", "body_fi": "Viesti"}, "session",
     "Valitse koko kurssi tai yksi tapaaminen."),
    ({"session": "abc", "subject_fi": "Otsikko", "body_fi": "Viesti"}, "session",
     "Valitse koko kurssi tai yksi tapaaminen."),
])
def test_mistakes_show_next_to_the_field_and_keep_the_text(
        client, accepted, login, data, field, message):
    login(accepted.course.facilitator)
    response = client.post(_url(accepted.course), data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    for value in data.values():
        if value not in ("0", "999999", "abc"):
            assert value in page
    assert outbox(kind="course_message") == []


def test_nothing_is_sent_before_anyone_is_accepted(client, course, login, db_session):
    login(course.facilitator)
    response = client.post(_url(course), data=BOTH, follow_redirects=True)
    assert "Ketään ei ole vielä hyväksytty" in response.get_data(as_text=True)
    assert db_session.scalar(select(CourseMessage)) is None


def test_only_staff_of_a_co_running_area_may_write(
        app, client, accepted, login, make, db_session):
    course = accepted.course
    assert app.test_client().get(_url(course)).status_code == 302  # to the sign-in page
    login(course.outsider)
    assert client.get(_url(course)).status_code == 403
    assert client.post(_url(course), data=BOTH).status_code == 403
    coordinator = make.user(course.areas[1], role=Role.COORDINATOR, email="koord@example.com")
    db_session.commit()
    login(coordinator)
    assert client.get(_url(course)).status_code == 200
    assert outbox(kind="course_message") == []


def test_the_participant_list_links_to_the_messages(client, accepted, login):
    course = accepted.course
    login(course.facilitator)
    page = client.get(f"/fi/staff/courses/{course.group.id}/participants").get_data(as_text=True)
    assert f'href="{_url(course)}">Viestit osallistujille</a>' in page


def test_export_has_the_messages_received_and_erasure_forgets_them(
        client, accepted, login, make, db_session):
    course = accepted.course
    login(course.facilitator)
    client.post(_url(course), data=BOTH)
    admin = make.user(course.areas[0], role=Role.ADMIN, email="admin@example.com")
    db_session.commit()
    login(admin)
    response = client.post("/fi/staff/courses/data-requests",
                           data={"email": "osallistuja-sv@example.com", "action": "export"})
    [item] = json.loads(response.data)["applications"]
    [received] = item["messages_received"]
    assert received["subject"] == "Vi träffas i dag kl. 10" and received["language"] == "sv"
    client.post("/fi/staff/courses/data-requests",
                data={"email": "osallistuja-sv@example.com", "action": "erase"})
    sv_id = accepted.people["sv"].id
    assert db_session.scalar(select(func.count()).select_from(MessageReceipt).where(
        MessageReceipt.application_id == sv_id)) == 0
    # The others still have theirs, and the course's message stays for them.
    assert db_session.scalar(select(func.count()).select_from(MessageReceipt)) == 2
    assert db_session.scalar(select(CourseMessage)) is not None


def test_the_retention_purge_removes_the_receipts(app, client, accepted, login, db_session):
    from datetime import timedelta

    from remote_groups.db_types import utcnow

    course = accepted.course
    login(course.facilitator)
    client.post(_url(course), data=BOTH)
    for s in course.sessions:
        s.starts_at = utcnow() - timedelta(days=60)
        s.ends_at = s.starts_at + timedelta(hours=2)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "purge"])
    assert "Anonymised 4" in result.output, result.output
    assert db_session.scalar(select(func.count()).select_from(MessageReceipt)) == 0
