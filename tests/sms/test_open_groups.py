"""Open groups without signing up: a text reminder by number only; the number is deleted
after the last reminder; every text stops with one tap."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.rules.sms import segments
from remote_groups.sms.models import StopLink, TextSubscription
from remote_groups.sms.service import queue_due_texts

from .conftest import MOBILE, texts


def _subscriptions() -> list[TextSubscription]:
    db.session.expire_all()
    return list(db.session.scalars(select(TextSubscription)))


def test_without_sms_settings_there_is_no_form_and_no_link(client, open_group):
    group, sessions = open_group
    assert client.get(f"/fi/sessions/{sessions[0].id}/text-reminder").status_code == 404
    assert "text-reminder" not in client.get(f"/fi/sessions/{sessions[0].id}/join").get_data(
        as_text=True)
    assert "text-reminder" not in client.get(f"/fi/groups/{group.id}").get_data(as_text=True)


def test_join_and_group_pages_link_to_the_form(client, open_group, sms_on):
    group, sessions = open_group
    join = client.get(f"/sv/sessions/{sessions[0].id}/join").get_data(as_text=True)
    assert f"/sv/sessions/{sessions[0].id}/text-reminder" in join
    page = client.get(f"/fi/groups/{group.id}").get_data(as_text=True)
    assert f"/fi/sessions/{sessions[0].id}/text-reminder?which=next" in page


@pytest.mark.parametrize(("lang", "error"), [("fi", "Tarkista numero, esim. 040 123 4567."),
                                             ("sv", "Kontrollera numret, t.ex. 040 123 4567.")])
def test_a_bad_number_is_refused_in_the_visitors_language(client, open_group, sms_on, lang,
                                                          error):
    _, sessions = open_group
    page = client.post(f"/{lang}/sessions/{sessions[0].id}/text-reminder",
                       data={"mobile": "123", "which": "next"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and error in body and 'value="123"' in body
    assert re.search(r'<input[^>]*checked[^>]*value="next"', body)
    assert _subscriptions() == [] and texts() == []


def test_one_session_reminder_and_the_number_is_deleted_after_it(app, client, open_group,
                                                                 sms_on):
    _, sessions = open_group
    session = sessions[0]
    answer = client.post(f"/sv/sessions/{session.id}/text-reminder",
                         data={"mobile": "040 123 4567", "which": "one"})
    assert answer.status_code == 303
    [subscription] = _subscriptions()
    assert (subscription.mobile, subscription.language, subscription.session_id) == (
        MOBILE, "sv", session.id)
    [confirmation] = texts(kind="sms_subscribed")
    assert confirmation.body_text.startswith("Vi påminner dig")
    assert segments(confirmation.body_text).count == 1
    session.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    with app.test_request_context():
        assert queue_due_texts(session.starts_at - timedelta(hours=23)) == 1
        assert _subscriptions() != []  # the hour-before reminder is still to come
        assert queue_due_texts(session.starts_at - timedelta(minutes=50)) == 1
    db.session.commit()
    reminders = texts(kind="sms_reminder")
    assert reminders[0].body_text.startswith("I morgon kl. ")
    assert reminders[1].body_text.startswith("I dag kl. ")
    assert all(f"/sv/sessions/{session.id}/join" in r.body_text for r in reminders)
    for reminder in reminders:
        assert segments(reminder.body_text).count == 1, reminder.body_text
    assert _subscriptions() == []  # the last reminder is queued: the number is gone
    assert db.session.scalar(select(func.count(StopLink.id))) == 0


def test_next_sessions_up_to_the_limit(app, client, open_group, sms_on, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_OPEN_GROUP_SESSIONS", 2)
    _, sessions = open_group
    client.post(f"/fi/sessions/{sessions[0].id}/text-reminder",
                data={"mobile": "0401234567", "which": "next"})
    [subscription] = _subscriptions()
    assert subscription.session_id is None
    assert subscription.last_starts_at == sessions[1].starts_at
    for session in sessions:
        session.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    with app.test_request_context():
        for session in sessions[:3]:
            queue_due_texts(session.starts_at - timedelta(hours=20))
    assert len(texts(kind="sms_reminder")) == 2  # the third session is beyond the limit


def test_stop_deletes_the_number_and_waiting_texts(app, client, open_group, sms_on):
    _, sessions = open_group
    client.post(f"/fi/sessions/{sessions[0].id}/text-reminder",
                data={"mobile": "0401234567", "which": "next"})
    token = texts(kind="sms_subscribed")[0].body_text.split("/s/")[1].split()[0]
    assert client.get(f"/fi/stop-texts/{token}").status_code == 200
    assert len(_subscriptions()) == 1  # GET changes nothing
    assert client.post(f"/fi/stop-texts/{token}").status_code == 200
    assert _subscriptions() == [] and texts() == []
    assert client.get(f"/s/{token}").status_code == 404  # nothing left to stop


def test_the_form_is_rate_limited(limited_app, open_group, sms_on, monkeypatch):
    monkeypatch.setitem(limited_app.config, "SMS_REMINDER_RATE_LIMIT", "2 per minute")
    for key in ("SMS_PROVIDER", "SMS_API_URL", "SMS_API_USERNAME", "SMS_API_TOKEN",
                "SMS_SENDER"):
        from flask import current_app

        monkeypatch.setitem(limited_app.config, key, current_app.config[key])
    _, sessions = open_group
    client = limited_app.test_client()
    codes = [client.post(f"/fi/sessions/{sessions[0].id}/text-reminder",
                         data={"mobile": "123", "which": "one"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
