"""A form that comes back with problems: the title says "Virhe:"/"Fel:", and a list of the
problems, in the order of the fields and linked to them, is focused at the top of the form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ERROR = {"fi": "Virhe: ", "sv": "Fel: "}


def summary_links(page):
    return page.locator("#error-summary a")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_course_application_with_problems_lists_them_in_field_order_and_focuses_the_list(
        page, world, lang, assert_accessible):
    page.goto(f"/{lang}/courses/{world.course.id}/apply")
    assert not page.title().startswith(ERROR[lang])
    page.fill("#phone", "040 123 4567")  # typed text is kept
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith(ERROR[lang])
    targets = [a.get_attribute("href") for a in summary_links(page).all()]
    assert targets == ["#name", "#email", "#home_area", "#motivation", "#consent"]
    assert summary_links(page).first.inner_text() == page.locator("#name-error").inner_text()
    assert page.locator("#phone").input_value() == "040 123 4567"
    assert_accessible(page)

    # The summary is the first stop after it: Tab reaches the first link, Enter goes to the field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#name")).to_be_focused()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_staff_sign_in_with_a_wrong_password_says_so_in_the_title_and_the_summary(
        page, world, lang):
    page.goto(f"/{lang}/staff/login")
    page.fill("#email", world.coordinator.email)
    page.fill("#password", "not the password")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith(ERROR[lang])
    assert [a.get_attribute("href") for a in summary_links(page).all()] == ["#password"]


def test_feedback_with_nothing_chosen_links_to_the_first_statement(page, world, db_session):
    from remote_groups.feedback.models import FeedbackItem

    db_session.add(FeedbackItem(text_fi="Sain tukea.", text_sv="Jag fick stöd.",
                                text_en="I got support.", in_session_survey=True, position=1))
    db_session.commit()
    page.goto(f"/fi/sessions/{world.ended.id}/feedback")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith("Virhe: ")
    href = summary_links(page).first.get_attribute("href")
    assert page.locator(href).get_attribute("type") == "radio"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_series_form_lists_each_problem_linked_to_its_field(page, world, lang,
                                                             assert_accessible, browser_sign_in):
    browser_sign_in(page, world.coordinator, lang)
    page.goto(f"/{lang}/staff/series/groups/{world.group.id}/plan")
    page.locator("#first_date").fill((date.today() + timedelta(days=30)).isoformat())
    page.locator("#start_time").fill("10:00")
    page.locator("#end_time").fill("09:00")
    page.locator("#count").fill("0")
    page.locator("button[value=preview]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith(ERROR[lang])
    targets = [a.get_attribute("href") for a in summary_links(page).all()]
    assert "#end_time" in targets and "#count" in targets
    assert targets.index("#end_time") < targets.index("#count")
    assert_accessible(page)
