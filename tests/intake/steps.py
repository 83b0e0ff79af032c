"""Browser steps of the intake call, reusable in longer walks (apply → accepted → book
intake → …): each step starts from a URL, works by keyboard alone, and checks what the person
sees. `page` is a Playwright page on the live server; texts are matched in Finnish or
Swedish (`lang`)."""

from __future__ import annotations

from typing import Any

from ..keyboard import tab_to

WORDS = {
    "fi": {"book_link": "Varaa alkukeskustelu", "book_button": "Varaa tämä aika",
           "booked": "Alkukeskustelusi:", "cancel_link": "Peru alkukeskustelu",
           "cancel_button": "Kyllä, peru", "change_link": "Vaihda aika",
           "required": "Osallistujat varaavat alkukeskustelun ennen kurssia",
           "add": "Lisää ajat", "save": "Tallenna"},
    "sv": {"book_link": "Boka ditt inledande samtal", "book_button": "Boka den här tiden",
           "booked": "Ditt inledande samtal:", "cancel_link": "Ställ in det inledande samtalet",
           "cancel_button": "Ja, ställ in", "change_link": "Byt tid",
           "required": "Deltagarna bokar ett inledande samtal före kursen",
           "add": "Lägg till tider", "save": "Spara"},
}


def book_intake(page: Any, status_url: str, lang: str = "fi", choice: int = 0,
                check: Any = None) -> str:
    """From the private status page: open the booking page, choose the `choice`-th free
    time and book it, by keyboard. Returns the chosen time as the page showed it; lands on
    the status page, which then shows the booking. `check(page)` (e.g. axe) runs on each
    page on the way."""
    words = WORDS[lang]
    page.goto(status_url)
    if check:
        check(page)
    tab_to(page, "section.intake a[href$='/intake']")
    assert page.evaluate("document.activeElement.textContent").strip() in (
        words["book_link"], words["change_link"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake")
    if check:
        check(page)
    tab_to(page, "input[name=slot]")  # the first time; arrow keys move within the group
    for _ in range(choice):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    radio = page.locator("input[name=slot]:checked")
    chosen = page.locator(f"label[for='{radio.get_attribute('id')}']").inner_text()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my/*")
    section = page.locator("section.intake")
    assert words["booked"] in section.inner_text()
    assert chosen.split(",")[0].split("–")[0] in section.inner_text()
    if check:
        check(page)
    return chosen


def cancel_intake(page: Any, status_url: str, lang: str = "fi", check: Any = None) -> None:
    """From the status page: cancel the booked intake call, by keyboard."""
    words = WORDS[lang]
    page.goto(status_url)
    tab_to(page, "section.intake a[href$='/intake/cancel']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake/cancel")
    if check:
        check(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my/*")
    assert page.get_by_role("link", name=words["book_link"]).count() == 1


def publish_intake_slots(page: Any, group_id: int, day: str, times: str, lang: str = "fi",
                         check: Any = None) -> None:
    """A signed-in facilitator of the course requires an intake and adds slots on `day`
    (YYYY-MM-DD) at `times` ("9.00, 9.30"), themselves as the facilitator."""
    words = WORDS[lang]
    page.goto(f"/{lang}/staff/courses/{group_id}/intake")
    if check:
        check(page)
    box = page.get_by_label(words["required"])
    if not box.is_checked():
        box.check()
        page.get_by_role("button", name=words["save"], exact=True).click()
        page.wait_for_load_state()
    page.fill("#day", day)
    page.fill("#times", times)
    page.get_by_role("button", name=words["add"]).click()
    page.wait_for_url(f"**/staff/courses/{group_id}/intake")
    if check:
        check(page)
