"""The admin's outbox page in a real browser: axe-core finds no WCAG 2.1 AA problem, and
the retry button works by keyboard."""

from __future__ import annotations

import pytest

from remote_groups.mail.models import OutboxStatus
from remote_groups.mail.outbox import Message, enqueue
from remote_groups.people.models import Role

pytestmark = pytest.mark.browser


def test_outbox_page_is_accessible_and_retry_works_by_keyboard(page, make, db_session,
                                                               assert_accessible,
                                                               browser_sign_in):
    admin = make.user(role=Role.ADMIN, email="admin@area.invalid")
    row = enqueue(Message(kind="invite", recipient="pirkko.osallistuja@mail.invalid",
                          language="fi", subject="Kutsu", body_text="Hei!"))
    row.status, row.attempts = OutboxStatus.FAILED, 8
    row.last_error = "SMTPDataError 550 5.1.1 <address> unknown user, a very long reply text"
    db_session.commit()
    browser_sign_in(page, admin)

    page.goto("/fi/staff/outbox/")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.get_by_role("button", name="Yritä nyt uudelleen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#count-failed").inner_text() == "0"
    assert page.locator("#count-pending").inner_text() == "1"
    assert_accessible(page)
