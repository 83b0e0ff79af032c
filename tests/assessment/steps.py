"""Browser steps of the self-assessment, reusable in longer walks (apply → accepted → intake →
start → end → report). Each takes a Playwright page whose base URL is the live server.

The answers are given by keyboard: Space checks a statement's first number, the arrow keys
move along the numbers, Tab goes to the next statement and finally to the send button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _open_from_status_page(page: Any, status_url: str, phase: str) -> None:
    page.goto(status_url)
    link = page.locator(f'main a[href$="/assessment/{phase}"]')
    assert link.count() == 1, f"the status page offers no {phase} self-assessment"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/assessment/{phase}")


def _answer_by_keyboard(page: Any, values: Sequence[int]) -> None:
    groups = page.locator("main fieldset.rating")
    assert groups.count() == len(values), (groups.count(), values)
    first = groups.first.locator('input[type="radio"]').first
    low = int(first.get_attribute("value"))
    first.focus()
    for value in values:
        page.keyboard.press("Space")  # the lowest number of this statement
        for _ in range(value - low):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")  # the next statement, after the last the send button
    assert page.evaluate("document.activeElement.type") == "submit"
    for n, value in enumerate(values):
        checked = groups.nth(n).locator("input:checked")
        assert checked.get_attribute("value") == str(value)
    page.keyboard.press("Enter")


def answer(page: Any, status_url: str, phase: str, values: Sequence[int]) -> None:
    """From the private status page, answer one phase ("start" or "end") with `values` in
    the order of the statements, and come back to the status page."""
    _open_from_status_page(page, status_url, phase)
    _answer_by_keyboard(page, values)
    page.wait_for_url(f"**{status_url.split('://', 1)[-1].split('/', 1)[-1]}")
    assert page.locator(f'main a[href$="/assessment/{phase}"]').count() == 0


def answer_start(page: Any, status_url: str, values: Sequence[int]) -> None:
    answer(page, status_url, "start", values)


def answer_end(page: Any, status_url: str, values: Sequence[int]) -> None:
    answer(page, status_url, "end", values)


def open_report(page: Any, group_id: int, lang: str = "fi") -> dict[str, list[str]]:
    """A signed-in coordinator or facilitator opens the course's self-assessment report from
    the course's participant list. Returns the table: statement -> [pairs, start, end,
    change] as shown (or [pairs, "hidden" text])."""
    page.goto(f"/{lang}/staff/courses/{group_id}/participants")
    page.locator(f'main a[href$="/staff/assessment/courses/{group_id}/report"]').click()
    page.wait_for_url(f"**/staff/assessment/courses/{group_id}/report")
    rows: dict[str, list[str]] = {}
    for row in page.locator("main table tbody tr").all():
        rows[row.locator("th").inner_text().strip()] = [
            cell.inner_text().strip() for cell in row.locator("td").all()]
    return rows
