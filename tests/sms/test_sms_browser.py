"""The reminder choice (the application form and the status page) and the open-group
text-reminder form in a real browser, in Finnish and Swedish: axe finds nothing, everything
works by keyboard alone, and nothing scrolls sideways at 320 px, with the error messages
showing too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.extensions import db
from remote_groups.sms.models import ReminderWay, TextChoice, TextSubscription

from ..keyboard import tab_to
from .conftest import MOBILE

pytestmark = pytest.mark.browser

WORDS = {
    "fi": {"not_mobile": "Tämä ei ole matkapuhelinnumero.",
           "invalid": "Tarkista numero, esim. 040 123 4567.",
           "chosen": "Muistutamme sinua tekstiviestillä ja sähköpostilla.",
           "ordered": "Muistutus tilattu", "thanks": "Kiitos hakemuksestasi"},
    "sv": {"not_mobile": "Det här är inte ett mobilnummer.",
           "invalid": "Kontrollera numret, t.ex. 040 123 4567.",
           "chosen": "Vi påminner dig med sms och per e-post.",
           "ordered": "Påminnelsen är beställd", "thanks": "Tack för din ansökan"},
}


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_reminder_choice_by_keyboard_at_320_px(page, participant, sms_on, assert_accessible,
                                                   lang, db_session):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/{lang}/my/{participant.token}")
    assert_accessible(page)
    tab_to(page, "a[href$='/reminders']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/my/*/reminders")
    assert_accessible(page)
    _no_sideways_scrolling(page)

    # "Both": the third choice. Tab into the group, then arrow keys move the choice.
    tab_to(page, "input[name=way]")
    while not page.evaluate("document.activeElement.value === 'both'"):
        page.keyboard.press("ArrowDown")
    tab_to(page, "#mobile")
    page.keyboard.type("09 123 4567")  # a landline: refused, kept in the field
    page.keyboard.press("Enter")
    page.wait_for_selector("#mobile-error")
    assert WORDS[lang]["not_mobile"] in page.locator("#mobile-error").inner_text()
    assert page.locator("#mobile").get_attribute("aria-invalid") == "true"
    assert page.locator("#mobile").input_value() == "09 123 4567"
    assert page.locator("input[name=way][value=both]").is_checked()
    assert_accessible(page)
    _no_sideways_scrolling(page)

    page.locator("#mobile").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("040 123 4567")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/my/{participant.token}")
    assert WORDS[lang]["chosen"] in page.locator("#h-reminders + p").inner_text()
    assert_accessible(page)
    db.session.expire_all()
    choice = db.session.scalar(select(TextChoice))
    assert choice is not None and choice.mobile == MOBILE and choice.texts


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_choosing_texts_on_the_application_form_by_keyboard_at_320_px(
        page, course, sms_on, assert_accessible, lang, db_session):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/{lang}/courses/{course.group.id}/apply")
    assert page.locator("input[name=way][value=none]").is_checked()
    assert page.locator("input[name=wants_reminders]").count() == 0
    assert_accessible(page)
    _no_sideways_scrolling(page)
    # The fields before the choice, as a person would type them.
    page.fill("#name", "Selain Testaaja")
    page.fill("#email", f"tekstit-{lang}@example.com")
    page.select_option("#home_area", str(course.areas[0].id))
    page.select_option("#language", lang)
    page.fill("#motivation", "Haluaisin tavata muita.")

    # Texts only: the first choice. Tab into the group, then arrow keys move the choice.
    tab_to(page, "input[name=way]")
    while not page.evaluate("document.activeElement.value === 'sms'"):
        page.keyboard.press("ArrowDown")
    tab_to(page, "#mobile")
    page.keyboard.type("09 123 4567")  # a landline: refused, kept in the field
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#mobile-error")
    assert WORDS[lang]["not_mobile"] in page.locator("#mobile-error").inner_text()
    assert page.locator("#mobile").get_attribute("aria-invalid") == "true"
    assert page.locator("#mobile").input_value() == "09 123 4567"
    assert page.locator("input[name=way][value=sms]").is_checked()
    assert page.locator("#name").input_value() == "Selain Testaaja"
    assert page.locator("#motivation").input_value() == "Haluaisin tavata muita."
    assert page.locator("#consent").is_checked()
    assert_accessible(page)
    _no_sideways_scrolling(page)

    page.locator("#mobile").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("040 123 4567")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/courses/{course.group.id}/applied")
    assert page.get_by_role("heading", level=1).inner_text() == WORDS[lang]["thanks"]
    assert_accessible(page)
    db.session.expire_all()
    application = db.session.scalar(select(Application))
    choice = db.session.scalar(select(TextChoice))
    assert application is not None and choice is not None
    assert choice.application_id == application.id and application.language == lang
    assert (choice.mobile, choice.texts, choice.chosen_way) == (MOBILE, True, ReminderWay.SMS)
    assert application.wants_reminders is False


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_open_group_reminder_form_by_keyboard_at_320_px(page, open_group, sms_on,
                                                            assert_accessible, lang,
                                                            db_session):
    _, sessions = open_group
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/{lang}/sessions/{sessions[0].id}/join")
    tab_to(page, "a[href*='/text-reminder']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/sessions/{sessions[0].id}/text-reminder")
    assert_accessible(page)
    _no_sideways_scrolling(page)

    tab_to(page, "#mobile")
    page.keyboard.type("12345")
    page.keyboard.press("Enter")
    page.wait_for_selector("#mobile-error")
    assert WORDS[lang]["invalid"] in page.locator("#mobile-error").inner_text()
    assert_accessible(page)
    _no_sideways_scrolling(page)

    page.locator("#mobile").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("+358 40 123 4567")
    tab_to(page, "input[name=which]")
    page.keyboard.press("ArrowDown")  # the next sessions
    assert page.locator("input[name=which][value=next]").is_checked()
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/sessions/{sessions[0].id}/text-reminder/done")
    assert page.get_by_role("heading", level=1).inner_text() == WORDS[lang]["ordered"]
    assert_accessible(page)
    db.session.expire_all()
    subscription = db.session.scalar(select(TextSubscription))
    assert subscription is not None and subscription.session_id is None
    assert subscription.language == lang
