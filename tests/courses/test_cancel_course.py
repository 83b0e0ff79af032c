"""Cancelling a whole course from the staff pages: a confirmation page with an optional
reason, then one cancellation per person (STATUS:CANCELLED, with the reason), an audit
entry, and nothing lost or cancelled when the input is wrong or the CSRF token is missing."""

from __future__ import annotations

import re

from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.people.models import Role

from .conftest import form_data, outbox
from .test_review import _application, _decide


def _url(course, lang="fi"):
    return f"/{lang}/staff/courses/{course.group.id}/cancel"


def _accepted(client, course, login, db_session, email="kurssilainen@example.com", lang="fi"):
    client.post(f"/{lang}/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], email=email, language=lang))
    login(course.facilitator)
    assert _decide(client, course, _application(db_session, email), "accept").status_code == 303
    client.post("/fi/staff/logout")


def _coordinator(make, course, db_session, area=0):
    user = make.user(course.areas[area], Role.COORDINATOR, email=f"koord{area}@example.com")
    db_session.commit()
    return user


def _statuses(db_session, course):
    db_session.expire_all()
    return {s.status.value for s in course.group.sessions}


def test_the_page_asks_first_and_the_post_cancels_with_one_mail_each(
        client, course, login, db_session, make):
    _accepted(client, course, login, db_session, lang="sv", email="sv@example.com")
    coordinator = _coordinator(make, course, db_session, area=1)  # the co-running area
    login(coordinator)
    page = client.get(_url(course))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Peru haettava kurssi" in html and "Tätä ei voi kumota." in html
    assert _statuses(db_session, course) == {"scheduled"}  # the page itself changes nothing
    before = len(outbox())

    response = client.post(_url(course), data={"reason": "Ohjaaja on sairastunut."})
    assert response.status_code == 303
    assert _statuses(db_session, course) == {"cancelled"}
    sent = outbox()[before:]
    # One message for the whole course (not one per session) to the person who holds it.
    [mail] = [m for m in sent if m.recipient == "sv@example.com"]
    assert mail.ics_method == "CANCEL" and "STATUS:CANCELLED" in mail.ics
    assert "RECURRENCE-ID" not in mail.ics
    assert mail.language == "sv" and "inställd" in mail.body_text.lower()
    assert "Ohjaaja on sairastunut." in mail.body_text  # the staff's reason, as written
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "course.cancel"))
    assert entry is not None and entry.actor_id == coordinator.id
    assert entry.subject_id == course.group.id
    assert entry.changes["reason"] == ["", "Ohjaaja on sairastunut."]
    # Once more: nothing left to cancel, no second round of mail.
    again = client.get(_url(course)).get_data(as_text=True)
    assert "Kurssilla ei ole tulevia tapaamisia." in again
    assert client.post(_url(course), data={"reason": ""}).status_code == 200
    assert len(outbox()) == before + len(sent)


def test_a_reason_over_the_limit_is_told_next_to_the_field_and_kept(
        client, course, login, db_session, make):
    login(_coordinator(make, course, db_session))
    long_reason = "Pitkä syy. " * 40
    response = client.post(_url(course, "sv"), data={"reason": long_reason})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="error" id="reason-error">(.*?)</p>', html, re.S)
    assert error is not None and "300" in error.group(1)
    assert 'aria-describedby="' in html and "reason-error" in html
    assert long_reason.strip() in html  # nothing the coordinator wrote is lost
    assert _statuses(db_session, course) == {"scheduled"}


def test_facilitators_may_not_cancel_a_course(client, course, login, db_session):
    login(course.facilitator)
    assert client.get(_url(course)).status_code == 403
    assert client.post(_url(course), data={"reason": ""}).status_code == 403
    assert _statuses(db_session, course) == {"scheduled"}


def test_without_the_csrf_token_nothing_is_cancelled(
        client, course, login, db_session, make, app, monkeypatch):
    login(_coordinator(make, course, db_session))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    response = client.post(_url(course), data={"reason": "Ei tokenia."})
    assert response.status_code in (200, 400)
    assert _statuses(db_session, course) == {"scheduled"}
    assert client.get(_url(course)).status_code == 200
    assert 'name="csrf_token"' in client.get(_url(course)).get_data(as_text=True)


def test_the_courses_list_offers_the_cancel_link_to_coordinators_only(
        client, course, login, db_session, make):
    login(course.facilitator)
    assert _url(course) not in client.get("/fi/staff/courses/").get_data(as_text=True)
    client.post("/fi/staff/logout")
    login(_coordinator(make, course, db_session))
    assert _url(course) in client.get("/fi/staff/courses/").get_data(as_text=True)
