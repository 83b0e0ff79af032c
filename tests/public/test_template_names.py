"""Template filters and globals are registered once, in remote_groups/templating.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from remote_groups import templating


@pytest.mark.parametrize(("lang", "date_text"), [
    ("fi", "25.11.2026"), ("sv", "25.11.2026"), ("en", "25.11.2026")])
def test_accessibility_statement_gives_its_review_date_without_a_weekday(
        client, db_session, lang: str, date_text: str) -> None:
    """The date filter of another page used to win here ("keskiviikko 25. marraskuuta");
    a date alone is written the same in every language (../shared/TERMS.md)."""
    html = client.get(f"/{lang}/accessibility").get_data(as_text=True)
    assert date_text in html
    assert not re.search(r"(keskiviikko|onsdag|Wednesday)", html)


def test_a_name_registered_twice_stops_the_app(app: Flask) -> None:
    with pytest.raises(templating.DuplicateTemplateName, match="format_day"):
        templating.register(app, "filters", {"format_day": str})
    with pytest.raises(templating.DuplicateTemplateName, match="url_for"):
        templating.register(app, "globals", {"url_for": str})  # Flask's own
    with pytest.raises(templating.DuplicateTemplateName):
        templating.init_app(app)  # what create_app runs: every name is taken now


def test_no_other_module_registers_template_names() -> None:
    package = Path(__file__).resolve().parents[2] / "remote_groups"
    pattern = re.compile(r"app_template_(filter|global|test)|template_(filter|global|test)\(|"
                         r"jinja_env\.(filters|globals|tests)|add_template_")
    registering = {str(p.relative_to(package)) for p in package.rglob("*.py")
                   if pattern.search(p.read_text(encoding="utf-8"))}
    assert registering == set()
