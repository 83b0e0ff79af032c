"""The reports page in a real browser: axe-core in Finnish and Swedish, charts named."""

import pytest

from remote_groups.people.models import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_reports_page_has_no_axe_violations(page, make, dataset, db_session, assert_accessible,
                                            lang, browser_sign_in):
    user = make.user(area=dataset.a, role=Role.COORDINATOR)
    db_session.commit()
    browser_sign_in(page, user, lang)
    page.goto(f"/{lang}/staff/reports/?start=2026-03-01&end=2026-03-31")
    assert page.locator("svg[role=img]").count() == 4
    assert_accessible(page)
    # With a filter error showing, too.
    page.goto(f"/{lang}/staff/reports/?start=2026-03-31&end=2026-03-01")
    assert page.locator("[aria-invalid=true]").count() == 1
    assert_accessible(page)


def test_each_chart_is_named_by_its_title_for_screen_readers(page, make, dataset, db_session,
                                                             browser_sign_in):
    user = make.user(area=dataset.a, role=Role.COORDINATOR)
    db_session.commit()
    browser_sign_in(page, user, "fi")
    page.goto("/fi/staff/reports/")
    chart = page.get_by_role("img", name="Suomeksi ja ruotsiksi tarjotut tunnit")
    assert chart.count() == 1
    assert "Alue A – suomi" in chart.inner_html()


def test_filter_form_works_by_keyboard(page, make, dataset, db_session, browser_sign_in):
    user = make.user(area=dataset.a, role=Role.COORDINATOR)
    db_session.commit()
    browser_sign_in(page, user, "fi")
    page.goto("/fi/staff/reports/")
    page.get_by_label("Ryhmä").focus()
    page.keyboard.press("ArrowDown")  # the first group after "All groups"
    page.get_by_role("button", name="Näytä raportti").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**group=*")
    assert "group=" in page.url


def test_reports_page_reflows_at_320_px(page, make, dataset, db_session, browser_sign_in):
    user = make.user(area=dataset.a, role=Role.COORDINATOR)
    db_session.commit()
    browser_sign_in(page, user, "sv")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/sv/staff/reports/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
