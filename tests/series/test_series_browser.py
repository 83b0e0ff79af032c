"""A coordinator plans a series in a real browser; the public pages show the right hosts;
the series form and the rotation view pass axe-core in Finnish and Swedish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from remote_groups.db_types import utcnow

from .conftest import ascension_day_next_year

pytestmark = pytest.mark.browser


def test_coordinator_previews_saves_and_public_pages_show_the_hosts(page, world,
                                                                    assert_accessible,
                                                                    browser_sign_in):
    a, b, c = world.areas
    browser_sign_in(page, world.coordinator)
    page.get_by_role("link", name="Ryhmät ja sarjat").click()
    page.get_by_role("link", name="Yhteinen ryhmä").click()
    page.get_by_role("link", name="Suunnittele sarja").click()
    first = ascension_day_next_year() - timedelta(days=7)
    page.get_by_label("Viikonpäivä").select_option("3")
    page.get_by_label("Ensimmäinen päivä").fill(first.isoformat())
    page.get_by_label("Alkaa").fill("13:00")
    page.get_by_label("Päättyy").fill("14:30")
    page.get_by_label("Tapaamisten määrä").fill("3")
    for facilitator in world.facilitators.values():
        page.get_by_label(facilitator.full_name, exact=False).check()
    page.get_by_role("button", name="Näytä esikatselu").click()

    preview = page.get_by_role("table", name="Suunnitellut tapaamiset ja niiden järjestäjät")
    hosts = preview.locator("tbody tr td:last-child").all_inner_texts()
    assert hosts == [a.name_fi, b.name_fi, c.name_fi]
    assert "Helatorstai" in page.locator("#skipped").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Tallenna sarja").click()
    page.wait_for_url(f"**/staff/series/groups/{world.group.id}")
    assert "Sarja on tallennettu." in page.locator(".flashes").inner_text()

    page.goto(f"/fi/groups/{world.group.id}")
    host_lines = page.locator(".sessions .host").all_inner_texts()
    assert [line.split(" · ")[0] for line in host_lines] == [
        f"Järjestäjä: {area.name_fi}" for area in (a, b, c)]
    page.get_by_role("link", name="Mikä alue järjestää minäkin viikkona").click()
    rows = page.locator("table.rotation tbody tr")
    assert rows.count() == 3
    for i in range(3):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[i] == "Järjestäjä" and sum(1 for t in cells if t) == 1


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_series_form_has_no_axe_violations_normal_and_with_errors(page, world, lang,
                                                                  assert_accessible,
                                                                  browser_sign_in):
    browser_sign_in(page, world.coordinator, lang)
    page.goto(f"/{lang}/staff/series/groups/{world.group.id}/plan")
    assert_accessible(page)
    page.locator("#first_date").fill(ascension_day_next_year().isoformat())
    page.locator("#end_time").fill("09:00")
    page.locator("#start_time").fill("10:00")
    page.locator("#count").fill("0")
    page.locator("#rotation-1").select_option(str(world.areas[0].id))
    page.locator("button[value=preview]").click()
    assert page.locator("#end_time-error").is_visible()
    assert page.locator("#count-error").is_visible()
    assert page.locator("#rotation-error").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_rotation_view_and_staff_pages_have_no_axe_violations(page, world, make, db_session,
                                                              lang, assert_accessible,
                                                              browser_sign_in):
    start = utcnow() + timedelta(days=2)
    for i, area in enumerate(world.areas * 2):
        make.session_(group=world.group, starts_at=start + timedelta(weeks=i), host=area)
    db_session.commit()
    page.goto(f"/{lang}/groups/{world.group.id}/rotation")
    assert page.locator("table.rotation caption").is_visible()
    assert_accessible(page)
    browser_sign_in(page, world.coordinator, lang)
    for path in ("", f"groups/{world.group.id}", "groups/new"):
        page.goto(f"/{lang}/staff/series/{path}")
        assert_accessible(page)
