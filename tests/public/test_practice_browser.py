"""The practice room in a real browser, fi and sv: axe-core finds nothing, the pictures load,
nothing scrolls sideways at 320 px, and the room opens by keyboard alone from a join page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ..keyboard import tab_to

pytestmark = pytest.mark.browser

WORDS = {"fi": ("Kokeile kameraa ja mikrofonia etukäteen harjoitushuoneessa",
                "Harjoitushuone", "Avaa harjoitushuone"),
         "sv": ("Prova kameran och mikrofonen i förväg i övningsrummet", "Övningsrum",
                "Öppna övningsrummet")}



@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_from_a_join_page_to_the_practice_room_by_keyboard_at_320_px(
        page, on_now, jitsi, assert_accessible, db_session, lang):
    db_session.commit()  # the live server answers from its own connection
    link_text, heading, button = WORDS[lang]
    rooms: list[str] = []
    page.route(f"{jitsi}/**", lambda route: (rooms.append(route.request.url), route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><html lang='en'><title>Jitsi</title></html>")))
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(f"/{lang}/sessions/{on_now.id}/join")
    tab_to(page, f'a[href="/{lang}/practice"]')
    assert page.evaluate("document.activeElement.textContent.trim()") == link_text
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/practice")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pictures = page.locator("img.practice-picture")
    assert pictures.count() == 3
    for n in range(3):
        picture = pictures.nth(n)
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
        assert picture.bounding_box()["width"] <= 320
        assert picture.get_attribute("alt")
    tab_to(page, "#practice-link")
    assert page.evaluate("document.activeElement.textContent.trim()") == button
    page.keyboard.press("Enter")
    page.wait_for_url(f"{jitsi}/**")
    target = urlsplit(rooms[-1])
    assert target.path == "/etaryhmatharjoitushuone" and target.query == f"lang={lang}"
