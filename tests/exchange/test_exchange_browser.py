"""The exchange board and the balance report in a real browser: axe-core (WCAG 2.1 AA) in
Finnish and Swedish, used by keyboard on a 320 px wide screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.exchange.models import ExchangePost
from remote_groups.groups.models import Session

from .conftest import offer_form

pytestmark = pytest.mark.browser

TEXTS = {
    "fi": {"offer": "Tarjoa tapaamisia", "put": "Vie tarjous vaihtotorille",
           "count": "Tapaamisten määrä", "answer": "Vastaa ehdotuksella",
           "send": "Lähetä ehdotus", "agree": "Hyväksy tämä vastaus",
           "make": "Hyväksy ja tee vaihto", "show": "Näytä raportti"},
    "sv": {"offer": "Erbjud träffar", "put": "Lägg erbjudandet på bytestorget",
           "count": "Antal träffar", "answer": "Svara med ett förslag",
           "send": "Skicka förslaget", "agree": "Godkänn det här svaret",
           "make": "Godkänn och gör bytet", "show": "Visa rapporten"},
}


def _narrow(page):
    page.set_viewport_size({"width": 320, "height": 700})


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _press(page, locator):
    """Focus a link or button and press Enter; wait for the page it leads to."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _check(page, assert_accessible):
    assert_accessible(page)
    _no_sideways_scroll(page)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_an_offer_answered_and_agreed_by_keyboard_at_320_px(
        page, browser, live_server, net, db_session, assert_accessible, browser_sign_in, lang):
    t = TEXTS[lang]
    _narrow(page)
    browser_sign_in(page, net.coord_a, lang)
    page.goto(f"/{lang}/staff/exchange/")
    _check(page, assert_accessible)
    _press(page, page.get_by_role("link", name=t["offer"]))
    page.wait_for_url("**/offers/new")
    _check(page, assert_accessible)
    # A mistake first: the page keeps what was typed and says what to fix.
    page.get_by_label(t["count"]).fill("0")
    _press(page, page.get_by_role("button", name=t["put"]))
    assert page.locator("[aria-invalid=true]").count() >= 1
    _check(page, assert_accessible)
    data = offer_form(net)
    for name in ("period_start", "period_end", "when_text", "description_fi"):
        page.locator(f"#{name}").fill(str(data[name]))
    page.get_by_label(t["count"]).fill("4")
    page.locator("#language").select_option("sv")
    _press(page, page.get_by_role("button", name=t["put"]))
    page.wait_for_url("**/staff/exchange/*")
    _check(page, assert_accessible)
    post = db_session.scalars(select(ExchangePost)).one()

    # B answers, in another browser.
    other = browser.new_context(base_url=live_server)
    b_page = other.new_page()
    _narrow(b_page)
    browser_sign_in(b_page, net.coord_b, lang)
    b_page.goto(f"/{lang}/staff/exchange/{post.id}")
    _press(b_page, b_page.get_by_role("link", name=t["answer"]))
    b_page.wait_for_url("**/answer")
    _check(b_page, assert_accessible)
    b_page.locator("#group").select_option(str(net.group_b.id))
    b_page.locator("#first_date").fill((net.today + timedelta(days=35)).isoformat())
    b_page.locator("#start_time").fill("14:00")
    b_page.locator("#end_time").fill("15:30")
    b_page.locator("#count").fill("2")
    _press(b_page, b_page.get_by_role("button", name=t["send"]))
    b_page.wait_for_url(f"**/staff/exchange/{post.id}")
    other.close()

    # A agrees, choosing the facilitator with the space bar.
    page.goto(f"/{lang}/staff/exchange/{post.id}")
    _check(page, assert_accessible)
    _press(page, page.get_by_role("link", name=t["agree"]))
    page.wait_for_url("**/agree")
    _check(page, assert_accessible)
    page.get_by_label("Saga Handledare").focus()
    page.keyboard.press("Space")
    _press(page, page.get_by_role("button", name=t["make"]))
    page.wait_for_url(f"**/staff/exchange/{post.id}")
    _check(page, assert_accessible)
    assert page.locator(".notice").count() >= 1
    db_session.expire_all()
    sessions = db_session.scalars(select(Session).where(Session.group_id == net.group_b.id))
    assert [s.host_area_id for s in sessions] == [net.a.id, net.a.id]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_balance_report_by_keyboard_at_320_px(page, net, db_session, assert_accessible,
                                                  browser_sign_in, lang):
    _narrow(page)
    browser_sign_in(page, net.fac_b, lang)
    page.goto(f"/{lang}/staff/exchange/balance/")
    _check(page, assert_accessible)
    page.locator("#start").fill((net.today - timedelta(days=30)).isoformat())
    page.locator("#end").fill((net.today + timedelta(days=30)).isoformat())
    _press(page, page.get_by_role("button", name=TEXTS[lang]["show"]))
    page.wait_for_url("**start=*")
    _check(page, assert_accessible)
    # A period the wrong way round: the error is next to the field, and the page still passes.
    page.goto(f"/{lang}/staff/exchange/balance/?start=2027-03-31&end=2027-03-01")
    assert page.locator("[aria-invalid=true]").count() == 1
    _check(page, assert_accessible)
