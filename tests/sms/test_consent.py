"""A course participant's reminder choice through the private link, text reminders for it,
consent withdrawn, and the number erased and exported with the application."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.mail.models import OutboxStatus
from remote_groups.sms.models import ReminderWay, StopLink, TextChoice
from remote_groups.sms.service import queue_due_texts

from ..conftest import MUC
from .conftest import MOBILE, texts

ERRORS = {
    "fi": {"not_mobile": "Tämä ei ole matkapuhelinnumero.",
           "invalid": "Tarkista numero, esim. 040 123 4567.",
           "missing": "Kirjoita matkapuhelinnumerosi tekstiviestejä varten."},
    "sv": {"not_mobile": "Det här är inte ett mobilnummer.",
           "invalid": "Kontrollera numret, t.ex. 040 123 4567.",
           "missing": "Skriv ditt mobilnummer för sms."},
}


def _choice(application) -> TextChoice | None:
    db.session.expire_all()
    return db.session.scalar(select(TextChoice).where(
        TextChoice.application_id == application.id))


def test_without_sms_settings_nothing_is_offered(client, participant):
    page = client.get(f"/fi/my/{participant.token}")
    assert page.status_code == 200
    assert "/reminders" not in page.get_data(as_text=True)
    assert client.get(f"/fi/my/{participant.token}/reminders").status_code == 404


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_bad_number_gets_a_clear_message_next_to_the_field(client, participant, sms_on, lang):
    url = f"/{lang}/my/{participant.token}/reminders"
    for number, error in (("09 123 4567", "not_mobile"), ("12ab", "invalid"), ("", "missing")):
        page = client.post(url, data={"way": "sms", "mobile": number})
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        assert 'id="mobile-error"' in body
        assert ERRORS[lang][error] in body
        assert f'value="{number}"' in body or not number  # nothing lost
    assert _choice(participant.application) is None
    assert texts() == []


def test_choosing_texts_stores_the_number_and_the_time(client, participant, sms_on):
    status = client.get(f"/fi/my/{participant.token}").get_data(as_text=True)
    assert f'<a href="/fi/my/{participant.token}/reminders">' in status
    before = utcnow()
    answer = client.post(f"/fi/my/{participant.token}/reminders",
                         data={"way": "both", "mobile": "040 123 4567"})
    assert answer.status_code == 303
    choice = _choice(participant.application)
    assert choice is not None
    assert (choice.mobile, choice.texts, choice.chosen_way) == (MOBILE, True, ReminderWay.BOTH)
    assert choice.chosen_at >= before - timedelta(seconds=1)
    assert participant.application.wants_reminders is True
    # A first text confirms the choice and carries its stop link.
    [first] = texts(kind="sms_consent")
    assert first.recipient == MOBILE and "/s/" in first.body_text
    page = client.get(f"/fi/my/{participant.token}").get_data(as_text=True)
    assert "+35840 ••• 567" in page and MOBILE not in page


def _remind_day_before(participant) -> int:
    session = participant.course.sessions[0]
    session.created_at = session.starts_at - timedelta(days=30)
    db.session.commit()
    return queue_due_texts(session.starts_at - timedelta(hours=20))


def test_a_text_reminder_the_day_before_with_join_page_and_dial_in(
        app, client, participant, sms_on, dialin, db_session):
    session = participant.course.sessions[0]
    dialin.expect_request("/phoneNumberList").respond_with_json(
        [{"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 4245 1234"}])
    dialin.expect_request("/conferenceMapper").respond_with_json(
        {"id": 987654321, "conference": f"{session.room_name}@{MUC}"})
    client.post(f"/fi/my/{participant.token}/reminders", data={"way": "sms",
                                                               "mobile": "0401234567"})
    with app.test_request_context():
        assert _remind_day_before(participant) == 1
        assert _remind_day_before(participant) == 0  # once only
    [reminder] = texts(kind="sms_reminder")
    text = reminder.body_text
    assert text.startswith("Huomenna klo ")
    assert ": Mielen hyvinvoinnin kurssi. Liity: " in text
    assert "/fi/my/" in text and f"/sessions/{session.id}/join" in text
    assert "+358 9 4245 1234" in text and "987 654 321#" in text
    assert "/s/" in text and db.session.scalar(select(StopLink.id)) is not None
    assert participant.application.wants_reminders is False  # texts only, no e-mail


def test_consent_withdrawn_means_no_text(app, client, participant, sms_on):
    url = f"/fi/my/{participant.token}/reminders"
    client.post(url, data={"way": "sms", "mobile": "0401234567"})
    assert [t.status for t in texts()] == [OutboxStatus.PENDING]
    client.post(url, data={"way": "email", "mobile": ""})
    choice = _choice(participant.application)
    assert choice is not None and (choice.texts, choice.mobile) == (False, "")
    assert choice.chosen_way == ReminderWay.EMAIL
    assert texts() == []  # the waiting confirmation is not sent either
    with app.test_request_context():
        assert _remind_day_before(participant) == 0


def test_the_stop_link_switches_texts_off_by_one_button(app, client, participant, sms_on):
    client.post(f"/fi/my/{participant.token}/reminders",
                data={"way": "both", "mobile": "0401234567"})
    link = texts(kind="sms_consent")[0].body_text.split("/s/")[1].split()[0]
    short = client.get(f"/s/{link}")
    assert short.status_code == 303 and short.headers["Location"].endswith(
        f"/fi/stop-texts/{link}")
    page = client.get(f"/fi/stop-texts/{link}")
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    assert _choice(participant.application).texts is True  # opening changed nothing
    done = client.post(f"/fi/stop-texts/{link}")
    assert done.status_code == 200
    choice = _choice(participant.application)
    assert (choice.texts, choice.mobile, choice.chosen_way) == (False, "", ReminderWay.EMAIL)
    assert participant.application.wants_reminders is True  # e-mail stays as chosen
    assert texts() == []
    assert client.get("/s/not-a-real-token").status_code == 404


def test_retention_deletes_the_number_and_export_includes_it(app, client, participant, sms_on):
    client.post(f"/fi/my/{participant.token}/reminders",
                data={"way": "sms", "mobile": "0401234567"})
    with app.test_request_context():
        exported = courses.export_person("osallistuja@example.com")
    [entry] = exported["applications"]
    assert entry["text_messages"]["mobile"] == MOBILE
    assert entry["text_messages"]["reminders_by"] == "sms"
    application = participant.application
    group = participant.course.group
    for session in participant.course.sessions:
        session.starts_at -= timedelta(days=400)
        session.ends_at -= timedelta(days=400)
    db.session.commit()
    with app.test_request_context():
        assert courses.purge_expired(utcnow(), retention_days=30) >= 1
    db.session.commit()
    assert _choice(application) is None
    assert db.session.scalar(select(StopLink.id)) is None
    assert texts() == []  # the waiting text to the number is gone too
    assert group.id
