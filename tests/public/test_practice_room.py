"""The practice room (issue 20): a public page where anyone tries camera, microphone and
connection in a Jitsi room of its own, with the pre-join screen on, step-by-step help with
pictures for a phone and a computer, and the phone way in; linked from the join pages and
from a client's first invitation (not from updates)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind

from .conftest import MUC

ROOM = "etaryhmatharjoitushuone"


def _room_link(html: str) -> str:
    match = re.search(r'<a class="button button-big" id="practice-link" href="([^"]+)"', html)
    assert match, "no practice room link"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("lang,heading,computer,phone", [
    ("fi", "Harjoitushuone", "Tietokoneella", "Puhelimella tai tabletilla"),
    ("sv", "Övningsrum", "På en dator", "På en telefon eller surfplatta"),
])
def test_the_page_opens_its_own_room_on_the_prejoin_screen_in_the_page_language(
        client, jitsi, lang, heading, computer, phone):
    response = client.get(f"/{lang}/practice")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # a public page
    html = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html and computer in html and phone in html
    link = urlsplit(_room_link(html))
    assert f"{link.scheme}://{link.netloc}" == jitsi and link.path == f"/{ROOM}"
    assert parse_qs(link.query) == {"lang": [lang]}
    assert "config.prejoinConfig.enabled=true" in link.fragment
    assert "config.prejoinPageEnabled=true" in link.fragment
    assert "jwt" not in link.query  # a guest, never a moderator
    # Every picture is ours, served here, and has a text alternative in the page language.
    pictures = re.findall(r'<img class="practice-picture" src="([^"]+)"[^>]*alt="([^"]+)"', html)
    assert len(pictures) == 3
    for src, alt in pictures:
        assert src.startswith("/static/practice/") and len(alt) > 20
        served = client.get(src)
        assert served.status_code == 200 and served.mimetype == "image/svg+xml"
        assert b"<svg" in served.data and b"<script" not in served.data
        served.close()
    assert "#" in html and ("PIN-koodi" in html or "PIN-koden" in html)


def test_the_room_is_configurable(client, jitsi, app, monkeypatch):
    monkeypatch.setitem(app.config, "PRACTICE_ROOM", "kokeilehuonettatassa2026")
    html = client.get("/fi/practice").get_data(as_text=True)
    assert urlsplit(_room_link(html)).path == "/kokeilehuonettatassa2026"


def test_with_dial_in_the_page_gives_the_practice_rooms_own_number_and_pin(
        client, dialin):
    dialin.expect_request("/phoneNumberList").respond_with_json(
        [{"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 4245 0000"}])
    dialin.expect_request("/conferenceMapper",
                          query_string={"conference": f"{ROOM}@{MUC}"}) \
        .respond_with_json({"id": 987654321, "conference": f"{ROOM}@{MUC}"})
    html = client.get("/sv/practice").get_data(as_text=True)
    assert "987 654 321" in html and "+358 9 4245 0000" in html
    assert 'href="tel:+358942450000,,987654321%23"' in html


def test_without_dial_in_the_page_still_explains_the_phone_way(client, jitsi):
    html = client.get("/fi/practice").get_data(as_text=True)
    assert "Liity puhelimella" in html and "Soita numeroon." in html
    assert "tel:" not in html


def test_the_open_group_join_page_links_the_practice_room(client, jitsi, on_now):
    for lang in ("fi", "sv"):
        html = client.get(f"/{lang}/sessions/{on_now.id}/join").get_data(as_text=True)
        assert f'href="/{lang}/practice"' in html


def test_the_course_join_page_and_the_first_invitation_link_the_practice_room(
        client, jitsi, make, db_session, login):
    from sqlalchemy import select

    from remote_groups.courses import service
    from remote_groups.courses.models import Application
    from remote_groups.mail.models import OutboxMessage

    area = make.area(code="harjoitus", name_fi="Harjoitusalue", name_sv="Övningsområde")
    now = utcnow()
    group = make.group([area], kind=GroupKind.CLOSED, capacity=3, title_fi="Kurssi",
                       title_sv="Kurs", applications_open_at=now - timedelta(days=1),
                       applications_close_at=now + timedelta(days=3))
    facilitator = make.user(area, email="harjoitusohjaaja@example.com")
    session = make.session_(group, starts_at=now + timedelta(days=5), host=area,
                            facilitators=[facilitator])
    details = service.ApplicantDetails(
        name="Harri", email="harri@example.com", phone="", home_area_id=area.id,
        language="sv", motivation="Jag vill vara med.", support_needs="")
    token = service.submit_application(group, details, now).status_token
    db_session.commit()
    login(facilitator)
    application = db_session.scalar(select(Application))
    client.post(f"/fi/staff/courses/{group.id}/applications/{application.id}/decision",
                data={"decision": "accept"})
    [invite] = db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "invite", OutboxMessage.recipient == "harri@example.com"))
    practice = "https://etaryhmat.example.fi/sv/practice"
    assert practice in invite.body_text and practice in invite.body_html
    assert practice in invite.ics.replace("\r\n ", "")  # the calendar entry too
    # The personal join page links it.
    html = client.get(f"/sv/my/{token}/sessions/{session.id}/join").get_data(as_text=True)
    assert 'href="/sv/practice"' in html
    # An update of the entry does not repeat it; the facilitators' invitations never had it.
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    from remote_groups.calendar import invites
    before = invites.remember_before(session)
    session.bump_sequence()
    invites.queue_session_changed(session, before=before)
    db_session.commit()
    updates = list(db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "update", OutboxMessage.recipient == "harri@example.com")))
    assert updates and all(practice not in m.body_text for m in updates)
    chair = db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "harjoitusohjaaja@example.com")).all()
    assert chair and all("/practice" not in m.body_text for m in chair)
