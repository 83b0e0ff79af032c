"""Junk in every form field and query argument of every route, as an admin and anonymously:
the answer may be a refusal, an error message or a redirect, but never a server error.

The routes come from `app.url_map`, so a route added later is fuzzed without anyone
remembering to; the field names come from the forms on the page itself (and a few names the
views read straight from the request)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind, Theme
from remote_groups.materials import service as materials
from remote_groups.materials.models import MaterialLanguage
from remote_groups.materials.rules import PDF
from remote_groups.people import security
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Decision

JUNK = [
    "",
    "x" * 5_000,
    "²",  # a digit to str.isdigit(), not to int()
    "a\x00b",
    "-1",
    "99999999999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "ä😀\u202e<script>",
]
# Names the views read from the request directly, not through a form.
EXTRA_NAMES = ["decision", "action", "session_id", "note", "status", "area", "language",
               "group", "start", "end", "page", "theme", "next", "score", "comment", "target",
               "q"]
SKIP = {"static", "staff.logout"}


@dataclass
class World:
    ids: dict[str, dict[str, Any]]  # "open" / "course" -> URL arguments


@pytest.fixture
def world(make: Any, db_session: Any) -> World:
    home = make.area(code="home")
    partner = make.area(code="partner")
    admin = make.user(home, Role.ADMIN, email="paakayttaja@example.com")
    helper = make.user(home)
    other = make.user(partner)
    now = utcnow()
    group = make.group([home, partner])
    ended = make.session_(group, now - timedelta(hours=2), host=home, facilitators=[helper])
    coming = make.session_(group, now + timedelta(days=7), host=partner, facilitators=[other])
    course = make.group([home, partner], kind=GroupKind.CLOSED, capacity=4,
                        intake_required=True)
    course_session = make.session_(course, now + timedelta(days=3), host=home,
                                   facilitators=[helper])
    db_session.commit()
    from remote_groups.swaps import service as swaps

    swap = swaps.propose_exchange(other, coming, ended).request or swaps.ask_cover(
        other, coming, None).request
    submitted = courses.submit_application(course, courses.ApplicantDetails(
        name="Testi Hakija", email="hakija@example.com", phone="", home_area_id=home.id,
        language="fi", motivation="", support_needs=""), now)
    db_session.commit()
    application = submitted.application
    courses.decide_application(course.id, application.id, Decision.ACCEPT, "", admin, now)
    reset = security.issue_reset_token(helper)
    from remote_groups.exchange.models import ExchangePost, ExchangeReply, PostKind

    post = ExchangePost(kind=PostKind.OFFER, area_id=home.id, language="sv",
                        theme=group.theme, session_count=3, period_start=now.date(),
                        period_end=now.date() + timedelta(days=60))
    reply = ExchangeReply(post=post, area_id=partner.id, group_id=group.id,
                          first_date=now.date() + timedelta(days=7), count=2)
    db_session.add_all([post, reply])
    material = materials.add_file(materials.Details(
        title_fi="Ohje", title_sv="", description_fi="", description_sv="",
        theme=Theme.REST, language=MaterialLanguage.FI), b"%PDF-1.4\n%%EOF\n", PDF, helper)
    attachment = materials.attach(material, helper, group=course)
    assert attachment is not None
    db_session.commit()
    common = {"post_id": post.id, "reply_id": reply.id,
              "request_id": swap.id if swap else 1, "message_id": 1, "item_id": 1,
              "application_id": application.id, "key": "sessions-by-area", "lang": "fi",
              "area_id": partner.id, "user_id": other.id, "rest": "junk/path",
              "slot_id": 1, "booking_id": 1,
              "material_id": material.id, "attachment_id": attachment.id}
    return World(ids={
        "open": {**common, "group_id": group.id, "session_id": ended.id,
                 "token": reset},
        "course": {**common, "group_id": course.id, "session_id": course_session.id,
                   "token": submitted.status_token},
    })


def _routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method))
    return sorted(set(found))


def _names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))


def _urls(app: Any, endpoint: str, world: World) -> list[str]:
    from flask import url_for

    urls = []
    with app.test_request_context():
        for ids in world.ids.values():
            rule = next(r for r in app.url_map.iter_rules(endpoint))
            args = {name: ids[name] for name in rule.arguments}
            urls.append(url_for(endpoint, **args))
    return sorted(set(urls))


def _sign_in(client: Any, email: str) -> None:
    response = client.post("/fi/staff/login", data={
        "email": email, "password": "correct horse battery"})
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_junk_never_gives_a_server_error(app, world, db_session, who):
    client = app.test_client()
    if who == "admin":
        _sign_in(client, "paakayttaja@example.com")
    failures: list[str] = []
    for endpoint, method in _routes(app):
        for url in _urls(app, endpoint, world):
            failures += _fuzz(client, method, url)
    assert not failures, "\n".join(failures)


def _fuzz(client: Any, method: str, url: str) -> list[str]:
    failures = []
    page = client.get(url)
    names = sorted(_names(page.get_data(as_text=True)) | set(EXTRA_NAMES))
    for junk in JUNK:
        values: dict[str, Any] = {name: junk for name in names}
        if method == "GET":
            response = client.get(url, query_string=values)
        else:
            response = client.post(url, data=values)
        if response.status_code >= 500:
            failures.append(f"{method} {url} with {junk[:20]!r}: {response.status_code}")
    if method == "POST":
        # Several values for one name, and a body that is not a form at all.
        many = client.post(url, data={name: ["1", "²", ""] for name in names})
        raw = client.post(url, data=b"\xff\xfe{", content_type="application/json")
        failures += [f"{method} {url} ({kind}): {r.status_code}"
                     for kind, r in (("many", many), ("raw", raw)) if r.status_code >= 500]
    return failures
