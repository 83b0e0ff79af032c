"""Fixtures for text messages: the 46elks API on loopback (pytest-httpserver), worker
settings that send texts there, a course with an accepted participant, an open group."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from remote_groups.courses import service as courses
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.groups.models import Group, Session
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.worker import WorkerSettings
from remote_groups.rules.capacity import Status
from remote_groups.sms.provider import sender_from_config

from ..courses.conftest import Course, course  # noqa: F401 - the course fixture, reused

USERNAME, PASSWORD = "u0123456789abcdef", "elks-api-password"
SENDER = "Etaryhmat"
HOOK_SECRET = "hook-secret-0123456789"
MOBILE = "+358401234567"


def basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()


@pytest.fixture
def sms_on(app: Flask, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """Text messages configured, the provider's API base on loopback."""
    for key, value in {
        "SMS_PROVIDER": "46elks", "SMS_API_URL": httpserver.url_for("/a1"),
        "SMS_API_USERNAME": USERNAME, "SMS_API_TOKEN": PASSWORD, "SMS_SENDER": SENDER,
        "SMS_TIMEOUT": 0.5, "SMS_WEBHOOK_SECRET": HOOK_SECRET,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return httpserver


@pytest.fixture
def settings(app: Flask, sms_on: HTTPServer) -> WorkerSettings:
    with app.test_request_context():
        sender = sender_from_config(app.config)
    return WorkerSettings(smtp_host="127.0.0.1", smtp_port=9, smtp_timeout=1.0,
                          max_attempts=4, max_permanent_attempts=2, sms=sender)


@dataclass
class Participant:
    application: Application
    token: str
    course: Course


@pytest.fixture
def participant(course: Course, db_session: Any) -> Participant:  # noqa: F811
    details = courses.ApplicantDetails(
        name="Testi Osallistuja", email="osallistuja@example.com", phone="",
        home_area_id=course.areas[0].id, language="fi", motivation="Haluan mukaan.",
        support_needs="", wants_reminders=False)
    submitted = courses.submit_application(course.group, details, utcnow())
    submitted.application.status = Status.ACCEPTED
    db_session.commit()
    assert submitted.status_token
    return Participant(submitted.application, submitted.status_token, course)


@pytest.fixture
def open_group(make: Any, db_session: Any) -> tuple[Group, list[Session]]:
    group = make.group(title_fi="Avoin liikuntaryhmä", title_sv="Öppen motionsgrupp")
    now = utcnow()
    sessions = [make.session_(group, starts_at=now + timedelta(days=3 + 7 * i))
                for i in range(6)]
    db_session.commit()
    return group, sessions


def texts(**where: Any) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id)
    for key, value in where.items():
        query = query.where(getattr(OutboxMessage, key) == value)
    return list(db.session.scalars(query))
