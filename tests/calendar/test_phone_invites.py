"""The phone way in, inside the invitation and the mail: CONFERENCE;FEATURE=PHONE with a
tel: URI that dials the PIN, the number and the PIN (in groups of three) in words; and when
the dial-in API is down, the mail says where the number will be shown and the next update
carries it. The dial-in API is served on loopback (pytest-httpserver)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from remote_groups.calendar import invites
from remote_groups.db_types import utcnow
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.reminders import queue_due_reminders

from ..conftest import MUC
from .test_mail_flows import _ical_js_many, _libical_errors, worker  # noqa: F401 (fixture)


def _api_up(httpserver, session):
    httpserver.expect_request("/phoneNumberList").respond_with_json(
        [{"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 4245 1234"}])
    httpserver.expect_request("/conferenceMapper").respond_with_json(
        {"id": 987654321, "conference": f"{session.room_name}@{MUC}"})


def _rows(db_session):
    return list(db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _phone_conferences(row):
    event = icalendar.Calendar.from_ical(row.ics).walk("VEVENT")[0]
    found = event.get("CONFERENCE") or []
    found = found if isinstance(found, list) else [found]
    return [str(c) for c in found if c.params.get("FEATURE") == "PHONE"]


def test_the_invitation_carries_the_phone_number_and_pin(make, db_session, dialin, app):
    area = make.area()
    facilitator = make.user(area=area, language="fi")
    session = make.session_(group=make.group(areas=[area]), host=area,
                            facilitators=[facilitator], starts_at=utcnow() + timedelta(days=3))
    _api_up(dialin, session)
    invites.queue_session_created(session)
    db_session.commit()
    [row] = _rows(db_session)
    assert _phone_conferences(row) == ["tel:+358942451234,,987654321%23"]
    assert "+358 9 4245 1234" in row.body_text and "987 654 321" in row.body_text
    description = str(icalendar.Calendar.from_ical(row.ics).walk("VEVENT")[0]["DESCRIPTION"])
    assert "+358 9 4245 1234" in description and "987 654 321" in description
    # libical's iTIP check passes, and ical.js reads the phone way in.
    assert _libical_errors([row.ics]) == [[]]
    (view,) = _ical_js_many([row.ics])
    assert {"uri": "tel:+358942451234,,987654321%23", "feature": "PHONE"} in (
        view["events"][0]["conferences"])


def test_when_the_dial_in_api_is_down_the_mail_says_where_and_the_next_update_has_it(
        make, db_session, dialin, app):
    area = make.area()
    facilitator = make.user(area=area, language="sv")
    session = make.session_(group=make.group(areas=[area]), host=area,
                            facilitators=[facilitator], starts_at=utcnow() + timedelta(days=3))
    dialin.expect_request("/phoneNumberList").respond_with_data("down", status=503)
    dialin.expect_request("/conferenceMapper").respond_with_data("down", status=503)
    invites.queue_session_created(session)
    db_session.commit()
    [first] = _rows(db_session)
    assert _phone_conferences(first) == []
    assert "Telefonnumret och PIN-koden visas på samma sida" in first.body_text

    dialin.clear()
    app.extensions.pop("remote_groups.video", None)  # the API answers again
    _api_up(dialin, session)
    before = invites.remember_before(session)
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.bump_sequence()
    invites.queue_session_changed(session, before=before)
    db_session.commit()
    update = _rows(db_session)[-1]
    assert _phone_conferences(update) == ["tel:+358942451234,,987654321%23"]
    assert "987 654 321" in update.body_text


# --- reminders: the phone way in a day and an hour before --------------------------------------


def _planned_session(make, language: str, hours_ahead: float):
    """A session planned a week ago that starts ``hours_ahead`` from now, with one
    facilitator (facilitators are always reminded)."""
    area = make.area()
    facilitator = make.user(area=area, language=language)
    session = make.session_(group=make.group(areas=[area]), host=area,
                            facilitators=[facilitator],
                            starts_at=utcnow() + timedelta(hours=hours_ahead),
                            created_at=utcnow() - timedelta(days=7))
    return session, facilitator


@pytest.mark.parametrize(("hours_ahead", "opening"), [(20, "huomenna"), (0.5, "tunnin")])
def test_the_reminder_gives_the_number_and_the_pin_in_groups_of_three(
        make, db_session, dialin, worker, hours_ahead, opening):  # noqa: F811
    session, facilitator = _planned_session(make, "fi", hours_ahead)
    _api_up(dialin, session)
    assert queue_due_reminders(utcnow()) == 1
    [mail] = worker()
    assert mail.recipient == facilitator.email
    assert opening in mail.text
    assert "Tai soita numeroon +358 9 4245 1234" in mail.text
    assert "987 654 321" in mail.text and "987654321" not in mail.text
    [row] = _rows(db_session)
    assert "987 654 321" in row.body_html


def test_when_the_dial_in_api_is_down_the_reminder_says_where_the_number_is_shown(
        make, db_session, dialin, worker):  # noqa: F811
    session, facilitator = _planned_session(make, "sv", 20)
    dialin.expect_request("/phoneNumberList").respond_with_data("down", status=503)
    dialin.expect_request("/conferenceMapper").respond_with_data("down", status=503)
    assert queue_due_reminders(utcnow()) == 1
    [mail] = worker()
    assert mail.recipient == facilitator.email
    assert "Telefonnumret och PIN-koden visas på samma sida." in mail.text
    # A reminder is no calendar update: it promises no "next update".
    assert "uppdatering" not in mail.text
    assert f"/staff/sessions/{session.id}" in mail.text


def test_without_dial_in_the_reminder_says_nothing_of_a_phone_number(
        make, db_session, app, worker, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "JITSI_DIALIN_NUMBERS_URL", "")
    monkeypatch.setitem(app.config, "JITSI_DIALIN_CONFCODE_URL", "")
    app.extensions.pop("remote_groups.video", None)
    _planned_session(make, "fi", 20)
    assert queue_due_reminders(utcnow()) == 1
    [mail] = worker()
    assert "PIN" not in mail.text
