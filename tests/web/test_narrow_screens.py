"""Pages read on a 320 px phone (WCAG 1.4.10 reflow) without scrolling sideways."""

from __future__ import annotations

import pytest

from .conftest import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_group_sessions_table_scrolls_inside_itself_not_the_page(page, world, lang,
                                                                     browser_sign_in):
    # The table's hidden link texts ("Change host: <date>") once widened the page by 300 px.
    page.set_viewport_size({"width": 320, "height": 640})
    browser_sign_in(page, world.coordinator, lang)
    page.goto(f"/{lang}/staff/series/groups/{world.group.id}")
    assert page.locator("table").count() == 1
    assert horizontal_overflow(page) <= 0
    assert page.locator("table caption").evaluate("c => getComputedStyle(c).textAlign") == "left"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_links_standing_alone_and_table_actions_are_44_px_targets(page, world, lang,
                                                                 assert_accessible,
                                                                 browser_sign_in):
    page.set_viewport_size({"width": 320, "height": 640})

    def height(locator) -> float:
        return locator.bounding_box()["height"]

    page.goto(f"/{lang}/staff/login")
    assert height(page.locator("main .link-line a")) >= 44  # "Forgot your password?"
    page.goto(f"/{lang}/sessions/{world.ended.id}/join")
    next_sessions = page.locator(f"main a[href$='/groups/{world.group.id}']")
    assert next_sessions.count() >= 1 and height(next_sessions.first) >= 44
    assert_accessible(page)

    browser_sign_in(page, world.coordinator, lang)  # lands on the staff home page
    own_links = page.locator("main .link-list a")
    assert own_links.count() >= 2  # swaps, change your password
    assert all(height(own_links.nth(i)) >= 44 for i in range(own_links.count()))
    page.goto(f"/{lang}/staff/series/groups/{world.group.id}")
    actions = page.locator("td.table-actions a")
    assert actions.count() >= 2  # change host and cancel for the upcoming session
    assert all(height(actions.nth(i)) >= 44 for i in range(actions.count()))
    assert height(page.locator("main .link-line a").first) >= 44  # back to all groups
    assert horizontal_overflow(page) <= 0


def test_report_charts_give_way_to_their_tables_on_a_phone(page, world, browser_sign_in):
    browser_sign_in(page, world.coordinator)
    page.goto("/fi/staff/reports/")
    charts = page.locator("svg.chart")
    assert charts.count() >= 1 and charts.first.is_visible()
    page.set_viewport_size({"width": 320, "height": 640})
    assert not charts.first.is_visible()
    assert page.locator("table.report-table").first.is_visible()
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_reports_and_group_list_pass_axe_on_a_phone(page, world, lang, assert_accessible,
                                                    browser_sign_in):
    # A table that scrolls sideways must take keyboard focus (it has no links), and the
    # group list right under the h1 has h2s, not h3s.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/{lang}/groups")
    assert page.locator("main h2.group-title").count() >= 1
    assert page.locator("main h3").count() == 0
    assert_accessible(page)
    browser_sign_in(page, world.coordinator, lang)
    page.goto(f"/{lang}/staff/reports/")
    scrollers = page.locator(".table-scroll[tabindex='0'][role=region]")
    assert scrollers.count() >= 1
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_rotation_table_scrolls_by_keyboard_on_a_phone(page, world, lang, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/{lang}/groups/{world.group.id}/rotation")
    scroller = page.locator(".table-scroll")
    assert scroller.get_attribute("tabindex") == "0"
    scroller.focus()
    page.keyboard.press("ArrowRight")
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)


def test_language_links_and_main_links_are_visibly_two_groups_on_a_phone(page, world):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/fi/")
    languages = page.locator("nav.languages").bounding_box()
    main_nav = page.locator("nav.main-nav")
    assert main_nav.bounding_box()["y"] >= languages["y"] + languages["height"]
    assert main_nav.evaluate("n => parseFloat(getComputedStyle(n).borderTopWidth)") >= 1
