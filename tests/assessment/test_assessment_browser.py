"""Self-assessment in a real browser: a participant answers at the start and at the end by
keyboard on a 320 px phone, a coordinator sees the change; axe-core finds nothing in fi
and sv on any of the pages."""

from __future__ import annotations

import pytest

from remote_groups.assessment.service import store, use_preset
from remote_groups.db_types import utcnow
from remote_groups.rules.assessment import Phase

from .conftest import participant, shift_to_end
from .steps import answer_end, answer_start, open_report

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_start_and_end_by_keyboard_then_the_report(page, course, db_session, assert_accessible,
                                                   browser_sign_in, lang):
    items = [i.id for i in use_preset(course.group, "wellbeing").items]
    # Four others answered both times: every statement 2 at the start, 3 at the end.
    for n in range(4):
        other, _token = participant(db_session, course, 10 + n)
        store(other.id, course.group.id, Phase.START, dict.fromkeys(items, 2), utcnow())
        store(other.id, course.group.id, Phase.END, dict.fromkeys(items, 3), utcnow())
    _me, token = participant(db_session, course, 1, lang=lang)
    db_session.commit()
    status_url = f"/{lang}/my/{token}"

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(status_url)
    assert_accessible(page)
    page.goto(f"{status_url}/assessment/start")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.locator("label.scale-option").first.bounding_box()["height"] >= 44
    assert_accessible(page)
    page.locator("main button[type=submit]").click()  # nothing chosen: errors by each item
    assert page.locator(".error-summary").is_visible()
    assert page.locator("fieldset.has-error").count() == len(items)
    assert_accessible(page)

    answer_start(page, status_url, [1, 2, 3, 4, 5])
    assert_accessible(page)
    shift_to_end(course, db_session)
    answer_end(page, status_url, [3, 3, 3, 5, 5])

    browser_sign_in(page, course.coordinator, lang)
    page.set_viewport_size({"width": 1024, "height": 800})
    rows = open_report(page, course.group.id, lang)
    assert_accessible(page)
    first, second, third, fourth, fifth = rows.values()
    # Item 1: starts 2,2,2,2,1 (1,8), ends 3 × 5 (3,0): changes 1,1,1,1,2 -> 1,2
    assert first == ["5", "1,8", "3", "+1,2"]
    assert second == ["5", "2", "3", "+1"]  # start 2 -> end 3 for everyone
    assert third == ["5", "2,2", "3", "+0,8"]  # (1*4 + 0) / 5
    assert fourth == ["5", "2,4", "3,4", "+1"]  # 4 -> 5 and four times 2 -> 3
    assert fifth == ["5", "2,6", "3,4", "+0,8"]  # 5 -> 5 and four times 2 -> 3


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_staff_pages_have_no_axe_violations(page, course, db_session, assert_accessible,
                                            browser_sign_in, lang):
    scale = use_preset(course.group, "work_ability")
    item = scale.items[0]
    shift_to_end(course, db_session)
    browser_sign_in(page, course.coordinator, lang)
    base = f"/{lang}/staff/assessment/courses/{course.group.id}"
    for path in (base, f"{base}/items/new", f"{base}/items/{item.id}", f"{base}/report"):
        page.goto(path)
        assert_accessible(page)
    page.goto(f"{base}/items/new")
    page.locator("main button[type=submit]").click()  # empty: errors next to the fields
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.goto(f"/{lang}/staff/reports/?group={course.group.id}")
    assert_accessible(page)
    page.context.clear_cookies()
    browser_sign_in(page, course.facilitators[0], lang)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/{lang}/staff/feedback/courses/{course.group.id}/facilitators")
    assert page.locator('input[type="radio"]').count() == 20
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)
    page.locator('input[name="item-1"][value="4"]').focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Lähetä palaute" if lang == "fi" else "Skicka respons"
                     ).press("Enter")
    page.wait_for_url("**/facilitators")
    assert page.locator('input[type="radio"]').count() == 0
    assert_accessible(page)
