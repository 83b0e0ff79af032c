"""Links that leave the app (mails, invites, feeds) open the page they name, on PUBLIC_BASE_URL.

Each link is built outside any request, as the mail worker and the CLI build them, and then
routed back through the app's URL map: a route moved to another URL, or an endpoint renamed,
while a mail still formats the old path, fails here instead of in someone's inbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask, has_request_context

from remote_groups.calendar.invites import public_join_url
from remote_groups.calendar.views import group_feed_links
from remote_groups.courses import service as courses
from remote_groups.courses.models import Application
from remote_groups.feedback.service import course_survey_url
from remote_groups.groups.models import Group, Session
from remote_groups.links import external_url

BASE = "https://etaryhmat.example.fi"
TOKEN = "T0k3n_-abcdefghijklmnopqrstuvwxyz0123456789"


def _route(app: Flask, url: str) -> tuple[str, dict[str, object]]:
    """The endpoint and values the app would answer `url` with."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE
    endpoint, values = app.url_map.bind(parts.netloc).match(parts.path, query_args=parts.query)
    return str(endpoint), dict(values)


LINKS: dict[str, tuple[Callable[[], str], str, dict[str, object]]] = {
    "session join page (invites, reminders, feeds)": (
        lambda: public_join_url(Session(id=41), "sv"),
        "public.join", {"lang": "sv", "session_id": 41}),
    "course-end survey": (
        lambda: course_survey_url(TOKEN, "fi"),
        "feedback.course_feedback", {"lang": "fi", "token": TOKEN}),
    "application status": (
        lambda: courses.status_url(Application(language="en"), TOKEN),
        "courses.status", {"lang": "en", "token": TOKEN}),
    "personal join page": (
        lambda: courses.personal_join_url(Application(language="sv", join_key=TOKEN),
                                          Session(id=7)),
        "courses.join", {"lang": "sv", "token": TOKEN, "session_id": 7}),
    "group feed": (
        lambda: group_feed_links(Group(id=12))["https"],
        "calendar.group_feed", {"lang": "fi", "group_id": 12}),
    "swap request": (
        lambda: external_url("swaps.detail", lang="sv", request_id=3),
        "swaps.detail", {"lang": "sv", "request_id": 3}),
    "password reset": (
        lambda: external_url("staff.reset_password", lang="fi", token=TOKEN),
        "staff.reset_password", {"lang": "fi", "token": TOKEN}),
}


@pytest.mark.parametrize("name", LINKS)
def test_a_link_in_a_mail_opens_the_page_it_names(app: Flask, name: str) -> None:
    build, endpoint, values = LINKS[name]
    with app.app_context():  # as in the mail worker: an app, no request
        assert not has_request_context()
        assert _route(app, build()) == (endpoint, values)


def test_links_keep_a_base_url_path_and_take_extra_values_as_the_query(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://sote.example.fi/ryhmat")
    with app.app_context():
        link = external_url("public.join", lang="fi", session_id=5, from_mail=1)
    assert link == (
        "https://sote.example.fi/ryhmat/fi/sessions/5/join?from_mail=1")


def test_inside_a_request_the_link_ignores_the_requests_host(app: Flask) -> None:
    with app.test_request_context("/fi/", headers={"Host": "forged.example"}):
        assert external_url("public.join", lang="fi", session_id=5) == (
            f"{BASE}/fi/sessions/5/join")


def test_no_feature_formats_an_absolute_link_by_hand() -> None:
    """Every link that leaves the app goes through `external_url`; the base URL is read
    nowhere else (the feeds' fingerprint only includes it, so a change refetches them)."""
    package = Path(__file__).resolve().parents[2] / "remote_groups"
    readers = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"PUBLIC_BASE_URL", path.read_text(encoding="utf-8"))
    }
    assert readers == {"links.py", "config.py", "calendar/views.py"}
