"""The session feedback form in a real browser: keyboard only, and axe-core in fi and sv."""

import pytest
from sqlalchemy import select

from remote_groups.feedback.models import FeedbackAnswer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_feedback_form_has_no_axe_violations(page, open_session, assert_accessible, lang):
    page.goto(f"/{lang}/sessions/{open_session.id}/feedback")
    assert_accessible(page)
    page.get_by_role("button").last.click()  # empty form: the error summary appears
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_feedback_form_works_by_keyboard_alone(page, open_session, db_session):
    page.goto(f"/fi/sessions/{open_session.id}/feedback")
    first_radio = page.locator('input[type="radio"]').first
    first_radio.focus()
    # Arrow keys move within a group of radios; Tab leaves the group for the next statement.
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    group_name = first_radio.get_attribute("name")
    assert page.locator(f'input[name="{group_name}"]:checked').get_attribute("value") == "4"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # first radio of the next statement: 1
    page.get_by_label("Haluatko kertoa vielä jotain?").focus()
    page.keyboard.type("Hyvä tunnelma")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/fi/feedback/thanks")
    assert page.get_by_role("heading", level=1).inner_text() == "Kiitos palautteestasi"
    db_session.expire_all()
    answer = db_session.scalars(select(FeedbackAnswer)).one()
    assert sorted(r.score for r in answer.ratings) == [1, 4]
    assert answer.comment == "Hyvä tunnelma"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_staff_feedback_pages_have_no_axe_violations(page, make, course, db_session,
                                                     assert_accessible, lang, browser_sign_in):
    from remote_groups.people.models import Role

    user = make.user(area=course.areas[0], role=Role.COORDINATOR)
    db_session.commit()
    browser_sign_in(page, user, lang)
    for path in ("staff/feedback/items", "staff/feedback/items/new", "staff/feedback/courses",
                 f"staff/feedback/courses/{course.id}"):
        page.goto(f"/{lang}/{path}")
        assert_accessible(page)


def test_feedback_form_needs_no_sideways_scrolling_on_a_narrow_phone(page, open_session):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/sv/sessions/{open_session.id}/feedback")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Each choice is a large target: the whole label row, at least 44 px high.
    box = page.locator("label.scale-option").first.bounding_box()
    assert box["height"] >= 44
