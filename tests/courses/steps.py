"""Browser steps shared by the walks through a course's journey.

Each step drives a Playwright page by keyboard only (focus, type, Space, arrow keys,
Enter), as a person without a mouse would, and leaves the page where the next step
can go on."""

from __future__ import annotations

from typing import Any

# The buttons and headings the steps press and wait for, per language.
WORDS = {
    "fi": {"send": "Lähetä hakemus", "thanks": "Kiitos hakemuksestasi"},
    "sv": {"send": "Skicka ansökan", "thanks": "Tack för din ansökan"},
    "en": {"send": "Send application", "thanks": "Thank you for your application"},
}


def apply_with_needs(page: Any, base_url: str, group_id: int, lang: str, *,
                     email: str | None = None, name: str = "Näppäimistö Käyttäjä",
                     interpreter: str = "arabia", show_name: bool = False) -> str:
    """Apply to course `group_id` by keyboard, with needs: an interpreter for
    `interpreter`, Finland-Swedish sign language, plain-language material, an assistant
    and an "other" need; the name shown in the video room only when `show_name`. Ends on
    the "thank you" page. Returns the e-mail address used (the private link is mailed
    there: `tests/courses/conftest.status_token`)."""
    email = email or f"naytto-{lang}@example.com"
    page.goto(f"{base_url}/{lang}/courses/{group_id}/apply")
    keyboard = page.keyboard

    def type_into(selector: str, text: str) -> None:
        page.focus(selector)
        keyboard.press("ControlOrMeta+a")
        keyboard.type(text)

    type_into("#name", name)
    type_into("#email", email)
    page.focus("#home_area")
    keyboard.press("ArrowDown")  # the first county after "Choose…"
    page.focus("#language")
    keyboard.type({"fi": "Suomi", "sv": "Svenska", "en": "English"}[lang])
    type_into("#motivation", "Haluan oppia jaksamaan paremmin.")
    type_into("#interpreter", interpreter)
    page.focus("#sign_language-0")  # "Not needed", checked
    keyboard.press("ArrowDown")  # Finnish sign language
    keyboard.press("ArrowDown")  # Finland-Swedish sign language
    for box in ("#plain_language", "#assistant"):
        page.focus(box)
        keyboard.press("Space")
    type_into("#support_needs", "Tarvitsen taukoja.")
    if show_name:
        page.focus("#show_name-0")  # "No", checked
        keyboard.press("ArrowDown")
    page.focus("#consent")
    keyboard.press("Space")
    page.get_by_role("button", name=WORDS[lang]["send"]).focus()
    keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/courses/{group_id}/applied")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == WORDS[lang]["thanks"], heading
    return email
