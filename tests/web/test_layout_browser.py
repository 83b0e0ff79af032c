"""The base layout in a real browser: keyboard, narrow screens, zoom, axe-core."""

from datetime import timedelta

import pytest

from remote_groups.db_types import utcnow

pytestmark = pytest.mark.browser


@pytest.fixture
def content(make, db_session):
    area = make.area(languages="fi,sv")
    group = make.group(areas=[area], title_fi="Avoin ryhmä", title_sv="Öppen grupp")
    make.session_(group=group, starts_at=utcnow() - timedelta(minutes=5),
                  facilitators=[make.user(area=area)])
    make.session_(group=group, starts_at=utcnow() + timedelta(days=3))
    db_session.commit()
    return group


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_front_and_group_pages_have_no_axe_violations(page, content, assert_accessible, lang):
    page.goto(f"/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    page.goto(f"/{lang}/groups/{content.id}")
    assert_accessible(page)
    page.goto(f"/{lang}/staff/login")
    assert_accessible(page)


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_content(page, content):
    page.goto("/fi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Siirry sisältöön"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [320, 640])
def test_no_horizontal_scrolling_on_a_narrow_phone_or_at_200_percent_zoom(page, content, width):
    # 200 % zoom of a 1280 px window is a 640 px CSS viewport; 320 px is WCAG's reflow width.
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/fi/groups/{content.id}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_language_switcher_works_by_keyboard(page, content):
    page.goto(f"/fi/groups/{content.id}")
    page.get_by_role("link", name="På svenska").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv/groups/{content.id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Öppen grupp"


def test_no_request_leaves_the_site(page, content, live_server):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(live_server) else outside.append(r.url))
    page.goto("/fi/")
    page.goto(f"/sv/groups/{content.id}")
    assert outside == []
