"""Needs and the name consent on a course application: the form, encryption at rest, the
facilitators' pages, the data-care export and erasure, and the personal join link."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import select, text

from remote_groups.courses import service
from remote_groups.courses.models import Application, ApplicationChange
from remote_groups.db_types import utcnow
from remote_groups.people.models import Role

from ..conftest import JITSI
from .conftest import form_data, outbox, status_token

NEEDS = {"interpreter": "arabia", "sign_language": "fss", "plain_language": "y",
         "assistant": "y", "support_needs": "Tarvitsen taukoja.", "show_name": "yes"}


def _apply(client, course, email="tarve@example.com", lang="fi", **fields):
    response = client.post(f"/{lang}/courses/{course.group.id}/apply",
                           data=form_data(course.areas[0], email=email, language=lang,
                                          **fields))
    assert response.status_code == 303, response.get_data(as_text=True)
    return status_token(outbox(kind="course_application", recipient=email)[-1])


def _application(db_session, email):
    db_session.expire_all()
    return db_session.scalar(select(Application).where(Application.email == email))


def test_needs_are_stored_encrypted_and_shown_to_the_facilitators(
        client, course, login, db_session):
    _apply(client, course, **NEEDS)
    application = _application(db_session, "tarve@example.com")
    assert application.show_name is True
    assert json.loads(application.needs) == {"interpreter": "arabia", "sign_language": "fss",
                                             "plain_language": True, "assistant": True}
    assert application.support_needs == "Tarvitsen taukoja."
    raw = db_session.execute(text("SELECT needs, support_needs FROM course_applications")).one()
    assert "arabia" not in raw.needs and raw.needs.startswith("gAAAA")  # a Fernet token
    assert "taukoja" not in raw.support_needs

    login(course.facilitator)
    page = client.get(f"/fi/staff/courses/{course.group.id}/applications").get_data(as_text=True)
    for label in ("Tulkki: arabia", "Suomenruotsalainen viittomakieli",
                  "Selkokielinen materiaali", "Tulee avustajan kanssa",
                  "Muuta: Tarvitsen taukoja.", "Nimi näkyy videohuoneessa"):
        assert label in page, label
    sv = client.get(f"/sv/staff/courses/{course.group.id}/applications").get_data(as_text=True)
    assert "Finlandssvenskt teckenspråk" in sv and "Material på lättläst språk" in sv

    client.post(f"/fi/staff/courses/{course.group.id}/applications/{application.id}/decision",
                data={"decision": "accept"})
    people = client.get(f"/fi/staff/courses/{course.group.id}/participants")
    body = people.get_data(as_text=True)
    assert "<th scope=\"col\">Tarpeet</th>" in body
    assert "Tulkki: arabia; Suomenruotsalainen viittomakieli" in body
    assert "<th scope=\"col\">Nimi näkyy videohuoneessa</th>" in body
    rows = list(csv.reader(io.StringIO(client.get(
        f"/fi/staff/courses/{course.group.id}/participants.csv").get_data(as_text=True)
        .lstrip("\ufeff")), delimiter=";"))
    assert rows[0][-1] == "name_shown_in_video_room" and rows[1][-1] == "yes"
    # The needs are health data: not in the spreadsheet.
    assert "arabia" not in json.dumps(rows) and "taukoja" not in json.dumps(rows)


def test_without_needs_the_review_page_says_none_and_the_name_is_not_shown(
        client, course, login, db_session):
    _apply(client, course, support_needs=None)
    application = _application(db_session, "tarve@example.com")
    assert application.needs == "" and application.show_name is False
    login(course.facilitator)
    page = client.get(f"/sv/staff/courses/{course.group.id}/applications").get_data(as_text=True)
    assert "Inga angivna" in page


def test_a_mistake_keeps_every_need_and_shows_the_error_next_to_the_field(
        client, course, db_session):
    data = form_data(course.areas[0], **{**NEEDS, "interpreter": "x" * 61})
    response = client.post(f"/sv/courses/{course.group.id}/apply", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="interpreter-error"' in page and "Skriv högst 60 tecken." in page
    assert 'value="fss" checked' in page or re.search(r'checked[^>]*value="fss"', page)
    assert re.search(r'id="plain_language"[^>]*checked|checked[^>]*id="plain_language"', page)
    assert re.search(r'id="assistant"[^>]*checked|checked[^>]*id="assistant"', page)
    assert "Tarvitsen taukoja." in page
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', page)
    assert db_session.scalar(select(Application)) is None


@pytest.mark.parametrize("field, value", [("sign_language", "klingon"),
                                          ("show_name", "maybe")])
def test_a_tampered_choice_is_an_error_not_a_crash(client, course, db_session, field, value):
    data = form_data(course.areas[0], **{**NEEDS, field: value})
    response = client.post(f"/fi/courses/{course.group.id}/apply", data=data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db_session.scalar(select(Application)) is None


def test_the_applicant_sees_and_changes_their_needs_on_the_status_page(
        client, course, db_session):
    token = _apply(client, course, **NEEDS)
    page = client.get(f"/fi/my/{token}").get_data(as_text=True)
    assert 'value="arabia"' in page
    assert re.search(r'checked[^>]*value="fss"|value="fss"[^>]*checked', page)
    changed = {**form_data(course.areas[0]), "interpreter": "", "sign_language": "",
               "support_needs": "", "show_name": "no"}
    changed.pop("consent")
    response = client.post(f"/fi/my/{token}", data=changed)
    assert response.status_code == 303
    application = _application(db_session, "tarve@example.com")
    assert application.needs == "" and application.show_name is False


def test_details_sent_again_carry_the_needs_and_old_pending_changes_still_apply(
        client, course, db_session):
    _apply(client, course)
    _apply(client, course, **NEEDS)  # same address: waits for confirmation
    change = db_session.scalar(select(ApplicationChange))
    assert json.loads(change.details)["show_name"] is True
    # A change saved aside before the needs form existed has no needs keys: still valid.
    old = json.loads(change.details)
    for key in ("needs", "show_name"):
        old.pop(key)
    change.details = json.dumps(old)
    db_session.commit()
    assert service.confirm_change(change, utcnow()) is not None
    db_session.commit()
    application = _application(db_session, "tarve@example.com")
    assert application.needs == "" and application.show_name is False


def test_export_has_the_needs_and_erasure_blanks_them(client, course, make, login, db_session):
    _apply(client, course, email="pyytaja@example.com", **NEEDS)
    admin = make.user(course.areas[0], role=Role.ADMIN, email="admin@example.com")
    db_session.commit()
    login(admin)
    response = client.post("/fi/staff/courses/data-requests",
                           data={"email": "pyytaja@example.com", "action": "export"})
    [item] = json.loads(response.data)["applications"]
    assert item["needs"] == {"interpreter": "arabia", "sign_language": "fss",
                             "plain_language": True, "assistant": True}
    assert item["name_shown_in_video_room"] is True
    assert item["support_needs"] == "Tarvitsen taukoja."
    client.post("/fi/staff/courses/data-requests",
                data={"email": "pyytaja@example.com", "action": "erase"})
    row = db_session.execute(text(
        "SELECT needs, support_needs, show_name FROM course_applications")).one()
    assert row.needs == "" and row.support_needs == "" and not row.show_name


def _room_name(client, course, login, db_session, make, jitsi, lang, **fields):
    """Apply, get accepted, open the personal join page of a session on now: the display
    name prefilled in the room link (None when none is)."""
    now_on = make.session_(course.group, starts_at=utcnow() - timedelta(minutes=5),
                           host=course.areas[0])
    db_session.commit()
    email = f"huone-{lang}@example.com"
    token = _apply(client, course, email=email, lang=lang, name="Maija Meikäläinen", **fields)
    login(course.facilitator)
    application = _application(db_session, email)
    client.post(f"/fi/staff/courses/{course.group.id}/applications/{application.id}/decision",
                data={"decision": "accept"})
    page = client.get(f"/{lang}/my/{token}/sessions/{now_on.id}/join").get_data(as_text=True)
    [link] = re.findall(rf'href="({re.escape(jitsi)}/[^"]+)"', page)
    link = html.unescape(link)
    values = dict(part.split("=", 1) for part in link.split("#", 1)[1].split("&"))
    name = values.get("userInfo.displayName")
    return json.loads(unquote(name)) if name else None, link


@pytest.mark.parametrize("lang, neutral", [("fi", "Osallistuja"), ("sv", "Deltagare")])
def test_without_consent_the_room_shows_a_neutral_name(
        client, course, login, db_session, make, jitsi, lang, neutral):
    name, link = _room_name(client, course, login, db_session, make, jitsi, lang,
                            show_name="no")
    assert name == neutral
    assert link.startswith(f"{JITSI}/") and "Maija" not in unquote(link)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_with_consent_the_room_shows_the_first_name(
        client, course, login, db_session, make, jitsi, lang):
    name, _link = _room_name(client, course, login, db_session, make, jitsi, lang,
                             show_name="yes")
    assert name == "Maija"
