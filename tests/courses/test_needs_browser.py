"""Applying with needs by keyboard at 320 px, in Finnish and Swedish, with axe on every
page: the form with its errors, the thank-you page and the status page."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from remote_groups.courses.models import Application

from .conftest import outbox, status_token
from .steps import WORDS, apply_with_needs

pytestmark = pytest.mark.browser

ERROR = {"fi": "Kirjoita nimesi.", "sv": "Skriv ditt namn."}


def _fits(page) -> None:
    """No horizontal scrolling at 320 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_apply_with_needs_by_keyboard_at_320_px(page, live_server, course, assert_accessible,
                                                 db_session, lang):
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"/{lang}/courses/{course.group.id}/apply")
    assert_accessible(page)
    _fits(page)
    # Sent empty by keyboard: the summary gets the focus, errors sit next to the fields.
    page.get_by_role("button", name=WORDS[lang]["send"]).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # autofocus moves the focus once the page has loaded, a moment after the navigation.
    page.wait_for_function("document.activeElement?.id === 'error-summary'")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#name-error").inner_text().strip() == ERROR[lang]
    assert_accessible(page)
    _fits(page)

    email = apply_with_needs(page, live_server, course.group.id, lang, show_name=True)
    assert_accessible(page)
    db_session.expire_all()
    application = db_session.scalar(select(Application).where(Application.email == email))
    assert json.loads(application.needs) == {"interpreter": "arabia", "sign_language": "fss",
                                             "plain_language": True, "assistant": True}
    assert application.support_needs == "Tarvitsen taukoja."
    assert application.show_name is True and application.language == lang

    token = status_token(outbox(kind="course_application", recipient=email)[0])
    page.goto(f"/{lang}/my/{token}")
    assert page.locator("#interpreter").input_value() == "arabia"
    assert page.locator("#sign_language-2").is_checked()
    assert page.locator("#show_name-1").is_checked()
    assert_accessible(page)
    _fits(page)
