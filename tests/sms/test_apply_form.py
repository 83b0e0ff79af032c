"""The reminder choice on the application form itself (issue 20): offered only with text
messages configured, a bad number refused next to the field with nothing lost, the choice
and its time stored with the application (also when details sent again are confirmed), and
the acceptance then sent by text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.sms.models import ReminderWay, TextChoice

from ..courses.conftest import form_data, outbox
from .conftest import MOBILE, texts

ERRORS = {
    "fi": {"not_mobile": "Tämä ei ole matkapuhelinnumero.",
           "invalid": "Tarkista numero, esim. 040 123 4567.",
           "missing": "Kirjoita matkapuhelinnumerosi tekstiviestejä varten."},
    "sv": {"not_mobile": "Det här är inte ett mobilnummer.",
           "invalid": "Kontrollera numret, t.ex. 040 123 4567.",
           "missing": "Skriv ditt mobilnummer för sms."},
}
CONFIRM_LINK = re.compile(r"https?://\S+?(/(?:fi|sv|en)/courses/confirm/\S+)")


def _url(course, lang: str = "fi") -> str:
    return f"/{lang}/courses/{course.group.id}/apply"


def _applications() -> list[Application]:
    db.session.expire_all()
    return list(db.session.scalars(select(Application).order_by(Application.id)))


def _choice(application: Application) -> TextChoice | None:
    db.session.expire_all()
    return db.session.scalar(select(TextChoice).where(
        TextChoice.application_id == application.id))


def test_without_sms_settings_the_form_is_as_before(client, course):
    page = client.get(_url(course)).get_data(as_text=True)
    assert 'name="wants_reminders"' in page
    assert 'name="way"' not in page and 'name="mobile"' not in page
    answer = client.post(_url(course), data=form_data(course.areas[0], wants_reminders="y",
                                                      way="sms", mobile="040 123 4567"))
    assert answer.status_code == 303
    [application] = _applications()
    assert application.wants_reminders is True
    assert _choice(application) is None and texts() == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_with_sms_the_form_offers_the_choice_instead_of_the_box(client, course, sms_on, lang):
    page = client.get(_url(course, lang)).get_data(as_text=True)
    assert 'name="wants_reminders"' not in page
    for way in ("sms", "email", "both", "none"):
        assert f'value="{way}"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="none"|<input[^>]*value="none"[^>]*checked',
                     page), "no reminders is chosen at first, as the unticked box was"
    assert 'id="mobile"' in page and 'autocomplete="tel"' in page
    words = {"fi": "Tekstiviestillä", "sv": "Med sms"}[lang]
    assert words in page


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_bad_number_is_refused_next_to_the_field_and_nothing_is_lost(client, course, sms_on,
                                                                        lang):
    for number, error in (("09 123 4567", "not_mobile"), ("12ab", "invalid"), ("", "missing")):
        data = form_data(course.areas[0], language=lang, way="both", mobile=number,
                         interpreter="arabia")
        page = client.post(_url(course, lang), data=data)
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        assert 'id="mobile-error"' in body
        assert ERRORS[lang][error] in body
        assert 'href="#mobile"' in body  # in the error summary too
        for kept in ("Testi Hakija", "hakija@example.com", "040 000 0000", "arabia",
                     "Haluan oppia jaksamaan paremmin arjessa.",
                     "Tarvitsen taukoja ja tekstityksen."):
            assert kept in body
        if number:
            assert f'value="{number}"' in body
        assert re.search(r'<input[^>]*checked[^>]*value="both"|<input[^>]*value="both"[^>]*checked',
                         body)
    assert _applications() == [] and texts() == []


def test_a_number_is_not_needed_without_texts(client, course, sms_on):
    answer = client.post(_url(course), data=form_data(course.areas[0], way="email",
                                                      mobile="12ab"))
    assert answer.status_code == 303
    [application] = _applications()
    choice = _choice(application)
    assert choice is not None
    assert (choice.texts, choice.mobile, choice.chosen_way) == (False, "", ReminderWay.EMAIL)
    assert application.wants_reminders is True
    assert texts() == []


@pytest.mark.parametrize(("way", "mails"), [("sms", False), ("both", True)])
def test_choosing_texts_on_the_form_stores_the_number_and_the_time(client, course, sms_on,
                                                                   way, mails):
    before = utcnow()
    answer = client.post(_url(course, "sv"), data=form_data(
        course.areas[0], language="sv", way=way, mobile="040 123 4567"))
    assert answer.status_code == 303
    [application] = _applications()
    assert application.wants_reminders is mails
    choice = _choice(application)
    assert choice is not None
    assert (choice.mobile, choice.texts, choice.chosen_way) == (MOBILE, True, ReminderWay(way))
    assert before - timedelta(seconds=1) <= choice.chosen_at <= utcnow()
    # The number is confirmed by a first text with its stop link, in the person's language.
    [first] = texts(kind="sms_consent")
    assert first.recipient == MOBILE and first.language == "sv" and "/s/" in first.body_text
    assert outbox(kind="course_application")  # the mail with the private link as before


def test_the_acceptance_goes_by_text_to_who_chose_texts_on_the_form(client, course, sms_on,
                                                                    make, login):
    client.post(_url(course, "sv"), data=form_data(course.areas[0], language="sv", way="sms",
                                                   mobile="+358 40 123 4567"))
    client.post(_url(course), data=form_data(course.areas[0], email="posti@example.com",
                                             way="email"))
    texter, mailer = _applications()
    login(course.facilitator)
    base = f"/fi/staff/courses/{course.group.id}/applications"
    for application in (texter, mailer):
        answer = client.post(f"{base}/{application.id}/decision", data={"decision": "accept"})
        assert answer.status_code in (302, 303)
    [accepted] = texts(kind="sms_accepted")
    assert accepted.recipient == MOBILE and accepted.language == "sv"
    assert "Kurs i psykiskt välmående" in accepted.body_text
    # Both were told by e-mail too; only the one who chose texts got a text.
    assert {m.recipient for m in outbox(kind="course_decision")} == {
        "hakija@example.com", "posti@example.com"}


def test_details_sent_again_carry_the_choice_until_their_owner_confirms(client, course,
                                                                        sms_on):
    client.post(_url(course), data=form_data(course.areas[0], way="email"))
    [application] = _applications()
    again = client.post(_url(course), data=form_data(course.areas[0], way="both",
                                                     mobile="040 123 4567"))
    assert again.status_code == 303
    choice = _choice(application)
    assert choice is not None and choice.chosen_way == ReminderWay.EMAIL and not choice.mobile
    assert texts() == []  # nothing to the number before the address's owner confirms
    [mail] = outbox(kind="course_change")
    match = CONFIRM_LINK.search(mail.body_text)
    assert match
    assert client.post(match.group(1)).status_code == 303
    choice = _choice(application)
    assert choice is not None
    assert (choice.mobile, choice.texts, choice.chosen_way) == (MOBILE, True, ReminderWay.BOTH)
    assert _applications()[0].wants_reminders is True
    assert [t.recipient for t in texts(kind="sms_consent")] == [MOBILE]


def test_texts_switched_off_before_confirming_keep_the_e_mail_choice(client, course, sms_on,
                                                                     app, monkeypatch):
    client.post(_url(course), data=form_data(course.areas[0], way="none"))
    client.post(_url(course), data=form_data(course.areas[0], way="both",
                                             mobile="040 123 4567"))
    [mail] = outbox(kind="course_change")
    match = CONFIRM_LINK.search(mail.body_text)
    assert match
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "")
    assert client.post(match.group(1)).status_code == 303
    [application] = _applications()
    assert application.wants_reminders is True
    choice = _choice(application)
    assert choice is not None and choice.chosen_way == ReminderWay.NONE and not choice.texts
    assert texts() == []



@pytest.mark.parametrize("way", ["bogus", "", "SMS"])
def test_a_forged_choice_is_refused_without_a_500(client, course, sms_on, way):
    page = client.post(_url(course), data=form_data(course.areas[0], way=way,
                                                    mobile="040 123 4567"))
    assert page.status_code in (200, 400)
    assert _applications() == [] and texts() == []


def test_with_texts_the_status_page_leaves_the_choice_to_the_reminders_page(
        client, participant, sms_on):
    """One place for the reminder choice: the details form has no e-mail reminders box of
    its own, and saving details keeps the choice made on the reminders page."""
    status_url = f"/fi/my/{participant.token}"
    answer = client.post(f"{status_url}/reminders", data={"way": "both", "mobile": MOBILE})
    assert answer.status_code in (302, 303)
    page = client.get(status_url).get_data(as_text=True)
    assert 'name="wants_reminders"' not in page
    assert f'href="{status_url}/reminders"' in page
    details = form_data(participant.course.areas[0], email=None, name="Uusi Nimi")
    details.pop("wants_reminders", None)
    assert client.post(status_url, data=details).status_code == 303
    [application] = _applications()
    assert application.name == "Uusi Nimi"
    assert application.wants_reminders is True
    choice = _choice(application)
    assert choice is not None and choice.chosen_way == ReminderWay.BOTH and choice.texts
