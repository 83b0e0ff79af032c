"""The library and the upload form in Chromium: axe-core (WCAG 2.1 AA) in Finnish and
Swedish, and an upload by keyboard alone on a 320 px wide screen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from remote_groups.groups.models import Theme
from remote_groups.materials import service
from remote_groups.materials.models import Material, MaterialLanguage

from .conftest import HTML, PDF

pytestmark = pytest.mark.browser


def _some_materials(world, db_session):
    for n in range(3):
        service.add_link(service.Details(
            title_fi=f"Ohje {n}", title_sv=f"Råd {n}", description_fi="Kuvaus",
            description_sv="Beskrivning", theme=Theme.EXERCISE, language=MaterialLanguage.BOTH,
            url=f"https://example.org/{n}"), world.facilitator)
    db_session.commit()


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_library_and_upload_form_have_no_axe_violations(
        page, world, db_session, assert_accessible, browser_sign_in, lang, tmp_path):
    _some_materials(world, db_session)
    browser_sign_in(page, world.facilitator, lang)
    page.goto(f"/{lang}/staff/materials/?q=ohje&theme=exercise")
    assert page.locator(".material-list li").count() == 3
    assert_accessible(page)
    page.goto(f"/{lang}/staff/materials/new")
    assert_accessible(page)
    # Refused (a disguised HTML file): the messages next to the fields pass too.
    disguised = tmp_path / "ohje.pdf"
    disguised.write_bytes(HTML)
    page.fill("#title_fi", "Naamioitu")
    page.set_input_files("#file", str(disguised))
    page.locator("main form button[type=submit]").click()
    assert page.locator("#file-error").is_visible()
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#title_fi") == "Naamioitu"
    assert_accessible(page)
    material = db_session.scalar(select(Material))
    page.goto(f"/{lang}/staff/materials/{material.id}")
    assert_accessible(page)


def test_upload_by_keyboard_on_a_narrow_phone(page, world, db_session, browser_sign_in,
                                              tmp_path):
    page.set_viewport_size({"width": 320, "height": 700})
    browser_sign_in(page, world.facilitator, "sv")
    page.goto("/sv/staff/materials/")
    _no_sideways_scrolling(page)
    # From the library to the form by keyboard: the "add" link is reached with Tab.
    page.locator("main a.button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sv/staff/materials/new")
    _no_sideways_scrolling(page)
    page.locator("#title_fi").focus()
    page.keyboard.type("Venyttelyohje")
    page.keyboard.press("Tab")
    page.keyboard.type("Stretchingråd")
    page.keyboard.press("Tab")
    page.keyboard.type("Kuusi liikettä.")
    page.keyboard.press("Tab")
    page.keyboard.type("Sex rörelser.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "theme"
    page.keyboard.press("ArrowDown")  # the first theme
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "language"
    for _ in range(4):
        page.keyboard.press("ArrowDown")  # Finnish and Swedish
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "url"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "file"
    # The file dialog is the system's own; the chosen file is given to the focused input.
    pdf = tmp_path / "stretching.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("#file", str(pdf))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sv/staff/materials/\d+$"))
    _no_sideways_scrolling(page)
    db_session.expire_all()
    material = db_session.scalar(select(Material))
    assert material.title_sv == "Stretchingråd" and material.language == MaterialLanguage.BOTH
    assert material.theme == Theme.NUTRITION and material.content_type == "application/pdf"
