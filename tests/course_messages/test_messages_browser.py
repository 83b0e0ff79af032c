"""The staff message form in a real browser, in Finnish and Swedish, by keyboard at
320 px, with axe on the form, its errors, the sent list and the participant's page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.rules.capacity import Status

from ..courses.steps import apply_with_needs
from .conftest import outbox, status_token

pytestmark = pytest.mark.browser

WORDS = {
    "fi": {"link": "Viestit osallistujille", "send": "Lähetä viesti",
           "error": "Kirjoita viesti suomeksi tai ruotsiksi.",
           "sent": "Lähetetty 1 osallistujalle.",
           "section": "Viestit ohjaajilta"},
    "sv": {"link": "Meddelanden till deltagarna", "send": "Skicka meddelandet",
           "error": "Skriv meddelandet på finska eller svenska.",
           "sent": "Skickat till 1 deltagare.",
           "section": "Meddelanden från handledarna"},
}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_facilitator_writes_to_the_participants(page, live_server, course, db_session,
                                                  assert_accessible, browser_sign_in, lang):
    words = WORDS[lang]
    email = apply_with_needs(page, live_server, course.group.id, lang)
    application = db_session.scalar(select(Application).where(Application.email == email))
    application.status = Status.ACCEPTED
    db_session.commit()
    token = status_token(outbox(kind="course_application", recipient=email)[0])

    page.set_viewport_size({"width": 320, "height": 900})
    browser_sign_in(page, course.facilitator, lang)
    page.goto(f"/{lang}/staff/courses/{course.group.id}/participants")
    page.get_by_role("link", name=words["link"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["link"]
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    send = page.get_by_role("button", name=words["send"])
    send.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#subject_fi-error").inner_text().strip() == words["error"]
    assert_accessible(page)

    page.focus("#session")
    page.keyboard.press("ArrowDown")  # the first session
    for selector, text in (("#subject_fi", "Tapaamme klo 10"), ("#body_fi", "Tervetuloa!"),
                           ("#subject_sv", "Vi träffas kl. 10"), ("#body_sv", "Välkommen!")):
        page.focus(selector)
        page.keyboard.type(text)
    send.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert words["sent"] in page.locator("main").inner_text()
    assert "Vi träffas kl. 10" in page.locator("#h-sent + ul").inner_text()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    [mail] = outbox(kind="course_message", recipient=email)
    assert mail.language == lang

    page.goto(f"/{lang}/my/{token}")
    section = page.locator("section.course-messages")
    assert words["section"] in section.inner_text()
    assert ("Vi träffas kl. 10" if lang == "sv" else "Tapaamme klo 10") in section.inner_text()
    assert_accessible(page)
