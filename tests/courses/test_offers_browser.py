"""An offer expiring and passing to the next person, in a real browser, fi and sv: the first
on the waiting list lets the offer lapse (its deadline set in the past in the database, then
the periodic step runs), the next person opens their link from the offer mail and accepts by
keyboard alone on a 320 px wide screen. axe-core finds nothing on any page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.courses import service
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.offers.models import OfferStatus, SeatOffer
from remote_groups.rules.capacity import Status

from ..keyboard import tab_to
from .conftest import outbox, status_token

pytestmark = pytest.mark.browser

WORDS = {
    "fi": {"heading": "Sinulle tarjotaan paikkaa", "accept": "Ota paikka vastaan",
           "expired": "Tarjotun paikan määräaika meni umpeen",
           "accepted": "Hyväksytty kurssille"},
    "sv": {"heading": "Vi erbjuder dig en plats", "accept": "Acceptera platsen",
           "expired": "Platsen som erbjöds har gått ut", "accepted": "Antagen till kursen"},
}



def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_an_offer_lapses_and_the_next_person_accepts_by_keyboard_at_320_px(
        app, page, course, assert_accessible, db_session, lang):
    group = course.group
    group.capacity = 1
    now = utcnow()
    tokens = {}
    for n, name in enumerate(("mukana", "eka", "toka")):
        details = service.ApplicantDetails(
            name=f"Testi {name}", email=f"{name}-{lang}@example.com", phone="",
            home_area_id=course.areas[0].id, language=lang, motivation="Haluan mukaan.",
            support_needs="")
        submitted = service.submit_application(group, details, now + timedelta(seconds=n))
        submitted.application.status = Status.ACCEPTED if n == 0 else Status.WAITING
        tokens[name] = submitted.status_token
    db_session.commit()

    page.set_viewport_size({"width": 320, "height": 740})
    # The participant withdraws: the first waiting gets the offer.
    page.goto(f"/{lang}/my/{tokens['mukana']}/withdraw")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/my/{tokens['mukana']}")
    first = status_token(outbox(kind="course_offer", recipient=f"eka-{lang}@example.com")[0])
    page.goto(f"/{lang}/my/{first}")
    assert page.locator("#h-offer").inner_text() == WORDS[lang]["heading"]
    assert_accessible(page)
    _no_sideways_scroll(page)

    # Set the clock: the offer's deadline is past; the periodic step passes it on.
    db.session.expire_all()
    offer = db.session.scalar(select(SeatOffer).where(SeatOffer.status == OfferStatus.OPEN))
    offer.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["offers", "expire"])
    assert result.output.startswith("expired 1, offered 1"), result.output
    page.reload()
    assert page.locator("#h-offer").inner_text() == WORDS[lang]["expired"]
    assert page.locator("form[action$='/offer/accept']").count() == 0
    assert_accessible(page)

    # The next person opens the link in their offer mail and accepts by keyboard alone.
    [mail] = outbox(kind="course_offer", recipient=f"toka-{lang}@example.com")
    assert mail.language == lang
    second = status_token(mail)
    page.goto(f"/{lang}/my/{second}")
    assert page.locator("#h-offer").inner_text() == WORDS[lang]["heading"]
    assert_accessible(page)
    _no_sideways_scroll(page)
    tab_to(page, "form[action$='/offer/accept'] button")
    assert page.evaluate("document.activeElement.textContent.trim()") == WORDS[lang]["accept"]
    with page.expect_navigation():  # the answer redirects back to the same page
        page.keyboard.press("Enter")
    assert WORDS[lang]["accepted"] in page.locator("#h-status").inner_text()
    assert page.locator("#h-offer").count() == 0
    assert_accessible(page)
    _no_sideways_scroll(page)
    db.session.expire_all()
    accepted = db.session.scalar(select(Application).where(
        Application.email == f"toka-{lang}@example.com"))
    assert accepted.status == Status.ACCEPTED
    assert len(outbox(kind="invite", recipient=f"toka-{lang}@example.com")) == 1
