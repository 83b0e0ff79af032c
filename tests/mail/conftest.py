"""Fixtures for the mail tests: worker settings pointing at the loopback SMTP server
(`smtp`, from tests/smtp.py), and a participant source for sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from remote_groups import signals
from remote_groups.calendar.invites import Recipient
from remote_groups.groups.models import Session
from remote_groups.mail.worker import WorkerSettings

from ..smtp import SmtpServer


@pytest.fixture
def settings(smtp: SmtpServer) -> WorkerSettings:
    return WorkerSettings(
        smtp_host=smtp.host, smtp_port=smtp.port, smtp_timeout=2.0,
        mail_from="etaryhmat@remote-groups.invalid", mail_from_name="Etäryhmät",
        max_attempts=4, max_permanent_attempts=2, batch_size=20,
    )


@pytest.fixture
def participants(app: Flask) -> Iterator[Callable[[Session, list[Recipient]], None]]:
    """``participants(session, [Recipient, ...])`` makes those people the session's
    participants, as the closed-course feature would, through the registered source."""
    by_session: dict[str, list[Recipient]] = {}

    def source(session: Session) -> list[Recipient]:
        return list(by_session.get(session.uid, []))

    def answer(sender: Flask, session: Session) -> list[Recipient]:
        return source(session)

    def set_participants(session: Session, people: list[Recipient]) -> None:
        by_session[session.uid] = people

    with signals.session_participants.connected_to(answer, sender=app):
        yield set_participants
