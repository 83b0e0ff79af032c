"""The client's whole path in a real browser (Debian's Chromium) with axe-core: front page →
group → join page → into the Jitsi room, by mouse and by keyboard alone, at 320 px wide.

No external network exists: the Jitsi deployment is an invented host whose requests the
browser hands to `page.route`, which records where the client was sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from remote_groups.groups.models import GroupKind, SessionStatus

from ..keyboard import tab_to

pytestmark = pytest.mark.browser

JOIN_BUTTON = {"fi": "Liity videotapaamiseen", "sv": "Gå med i videoträffen"}
JOIN_NOW = {"fi": "Liity nyt", "sv": "Gå med nu"}
TITLE = {"fi": "Liikettä arkeen", "sv": "Rörelse i vardagen"}


@pytest.fixture
def scene(make, db_session, on_now):
    """The session on now, one tomorrow, a cancelled one and a closed course; committed so
    the live server (another thread) sees them."""
    group = on_now.group
    group.description_fi = "Liikumme yhdessä kotona."
    group.description_sv = "Vi rör på oss hemma tillsammans."
    soon = datetime.now(UTC) + timedelta(days=1)
    tomorrow = make.session_(group=group, starts_at=soon)
    cancelled = make.session_(group=group, starts_at=soon + timedelta(days=7),
                              status=SessionStatus.CANCELLED)
    course = make.group(kind=GroupKind.CLOSED, title_fi="Kurssi", title_sv="Kurs")
    closed = make.session_(group=course, starts_at=soon - timedelta(days=1, minutes=5))
    db_session.commit()
    return {"now": on_now, "tomorrow": tomorrow, "cancelled": cancelled, "closed": closed}


@pytest.fixture
def jitsi_room(page, jitsi):
    """Requests to the Jitsi deployment are answered by the test and remembered."""
    visited: list[str] = []

    def answer(route):
        visited.append(route.request.url)
        route.fulfill(status=200, content_type="text/html",
                      body="<!doctype html><html lang='en'><title>Jitsi</title></html>")

    page.route(f"{jitsi}/**", answer)
    return visited


def _went_to_room(visited, session, lang, page) -> None:
    assert len(visited) == 1
    target = urlsplit(visited[0])
    assert target.path == f"/{session.room_name}"
    assert parse_qs(target.query) == {"lang": [lang]}
    assert "config.prejoinConfig.enabled=true" in page.url  # the fragment stays in the browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_front_page_to_group_to_join_to_the_room(page, scene, jitsi_room, join_count,
                                                 assert_accessible, lang) -> None:
    session = scene["now"]
    page.goto(f"/{lang}/")
    assert_accessible(page)
    page.locator("#h-now").locator("..").get_by_role("link", name=TITLE[lang], exact=True).click()
    page.wait_for_url(f"**/{lang}/groups/{session.group.id}")
    assert_accessible(page)
    page.get_by_role("link", name=JOIN_NOW[lang]).first.click()
    page.wait_for_url(f"**/{lang}/sessions/{session.id}/join")
    assert_accessible(page)
    page.get_by_label({"fi": "Nimi, jonka muut näkevät", "sv": "Namn som andra ser"}[lang],
                      exact=False).fill("Testi Käyttäjä")
    page.get_by_role("button", name=JOIN_BUTTON[lang]).click()
    page.wait_for_url("https://meet.example.invalid/**")
    _went_to_room(jitsi_room, session, lang, page)
    assert "userInfo.displayName=%22Testi%20K%5Cu00e4ytt%5Cu00e4j%5Cu00e4%22" in page.url
    assert join_count(session) == 1



def test_the_whole_path_by_keyboard_alone(page, scene, jitsi, join_count) -> None:
    session = scene["now"]
    # Chromium does not hand a redirect to `page.route` when Enter (not a click) submitted
    # the form, so here the test stands between the browser and the app: it lets the app
    # answer the form, records where the app sends the browser, and shows a stand-in page.
    jitsi_room: list[str] = []

    def answer(route):
        response = route.fetch(max_redirects=0)
        assert response.status == 303
        jitsi_room.append(response.headers["location"])
        route.fulfill(status=200, content_type="text/html",
                      body="<!doctype html><html lang='en'><title>Jitsi</title></html>")

    page.route("**/join/video", answer)
    page.goto("/sv/")
    tab_to(page, f'#main a[href="/sv/groups/{session.group.id}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv/groups/{session.group.id}")
    tab_to(page, f'#main a[href="/sv/sessions/{session.id}/join"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv/sessions/{session.id}/join")
    tab_to(page, "#display_name")
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == JOIN_BUTTON["sv"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv/sessions/{session.id}/join/video")
    assert len(jitsi_room) == 1
    target = urlsplit(jitsi_room[0])
    assert f"{target.scheme}://{target.netloc}" == jitsi
    assert target.path == f"/{session.room_name}" and parse_qs(target.query) == {"lang": ["sv"]}
    assert 'userInfo.displayName=%22Kim%22' in target.fragment
    assert join_count(session) == 1


def test_the_filter_form_works_by_keyboard_and_keeps_the_choice(page, scene) -> None:
    page.goto("/fi/")
    assert not page.locator("#f-theme").is_visible()  # folded, so "on now" comes first
    tab_to(page, "summary.filters-heading")
    page.keyboard.press("Enter")  # unfold
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-theme"
    page.keyboard.press("Tab")  # language
    page.keyboard.press("Tab")  # area
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Näytä"
    page.select_option("#f-theme", "nutrition")
    page.focus("#f-area")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fi/?theme=nutrition**")
    assert page.get_by_text("Valintojasi vastaavia tapaamisia ei löytynyt.").is_visible()
    assert page.locator("#f-theme").input_value() == "nutrition"


def _pages(scene) -> list[str]:
    s = scene
    return [
        "/", "/?theme=nutrition", f"/groups/{s['now'].group.id}",
        f"/sessions/{s['now'].id}/join", f"/sessions/{s['tomorrow'].id}/join",
        f"/sessions/{s['cancelled'].id}/join", f"/sessions/{s['closed'].id}/join",
        "/accessibility", "/privacy", "/groups",
    ]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_public_page_has_no_axe_violations(page, scene, jitsi, assert_accessible,
                                                 lang) -> None:
    for path in _pages(scene):
        page.goto(f"/{lang}{path}")
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)


def test_join_page_with_phone_numbers_has_no_axe_violations(page, scene, dialin,
                                                            assert_accessible) -> None:
    session = scene["now"]
    dialin.expect_request("/phoneNumberList").respond_with_json(
        [{"countryCode": "fi", "tollFree": True, "formattedNumber": "+358 800 000 000"}])
    dialin.expect_request("/conferenceMapper").respond_with_json({"id": 123456789})
    page.goto(f"/sv/sessions/{session.id}/join")
    assert page.get_by_text("123 456 789").is_visible()
    assert page.get_by_role("link", name="+358 800 000 000").get_attribute("href") == \
        "tel:+358800000000,,123456789%23"
    assert_accessible(page)


def test_320_px_wide_no_sideways_scrolling_and_big_targets(page, scene, jitsi) -> None:
    page.set_viewport_size({"width": 320, "height": 700})
    for path in _pages(scene):
        page.goto(f"/fi{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
        small = page.evaluate("""() => [...document.querySelectorAll(
              'main .button, main .action-link, main button, main select, main input,'
              + ' .site-footer a, .phone-numbers a')]
            .filter(e => e.getBoundingClientRect().height < 44)
            .map(e => e.outerHTML.slice(0, 80))""")
        assert small == [], (path, small)
    page.goto(f"/fi/sessions/{scene['now'].id}/join")
    box = page.get_by_role("button", name=JOIN_BUTTON["fi"]).bounding_box()
    assert box["height"] >= 60 and box["width"] >= 260  # the one big thing on the page
