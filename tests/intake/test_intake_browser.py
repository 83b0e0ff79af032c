"""Booking an intake call in a real browser, by keyboard alone, 320 px wide, in Finnish and
Swedish, with axe (WCAG 2.1 AA) on every page; and a facilitator publishing the slots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.intake.models import IntakeBooking, IntakeSlot

from .conftest import accept
from .steps import book_intake, cancel_intake, publish_intake_slots

pytestmark = pytest.mark.browser


def _overflow(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_participant_books_and_cancels_by_keyboard_at_320_px(page, intake, db_session, lang,
                                                               assert_accessible, jitsi):
    person = accept(intake, f"selain-{lang}@example.com", lang=lang)
    db_session.commit()
    page.set_viewport_size({"width": 320, "height": 700})

    def check(p):
        assert_accessible(p)
        assert _overflow(p) <= 0, p.url

    chosen = book_intake(page, person.status_url, lang, choice=1, check=check)
    db.session.expire_all()
    booking = db.session.scalar(select(IntakeBooking))
    slots = list(db.session.scalars(select(IntakeSlot).order_by(IntakeSlot.starts_at)))
    assert booking.slot_id == slots[1].id and booking.application_id == person.application.id
    assert chosen.endswith(intake.facilitator.first_name)  # "<when>, <facilitator>"
    cancel_intake(page, person.status_url, lang, check=check)
    db.session.expire_all()
    assert db.session.scalar(select(IntakeBooking)) is None


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_facilitator_publishes_slots_in_the_browser(page, course, db_session, lang,
                                                      assert_accessible, browser_sign_in):
    browser_sign_in(page, course.facilitator, lang)
    page.set_viewport_size({"width": 320, "height": 700})
    day = (utcnow() + timedelta(days=5)).date().isoformat()
    publish_intake_slots(page, course.group.id, day, "9.00, 9.30, 10.00", lang,
                         check=assert_accessible)
    assert _overflow(page) <= 0
    db.session.expire_all()
    assert db.session.get(type(course.group), course.group.id).intake_required
    assert len(list(db.session.scalars(select(IntakeSlot)))) == 3
    # A mistake: the error is next to the field and what was typed stays.
    page.fill("#times", "kello yhdeksän")
    page.fill("#day", day)
    page.locator("#times").press("Enter")
    page.wait_for_load_state()
    assert page.locator("#times-error").is_visible()
    assert page.locator("#times").input_value() == "kello yhdeksän"
    assert_accessible(page)
