"""Fixtures for the mail tests: a real SMTP server on loopback (aiosmtpd) that can be
stopped and started again on the same port, worker settings pointing at it, and a
participant source for sessions."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from remote_groups import signals
from remote_groups.calendar.invites import Recipient
from remote_groups.groups.models import Session
from remote_groups.mail.worker import WorkerSettings


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.SMTP)  # type: ignore[return-value]


@dataclass
class Inbox:
    """What the server accepted, and the replies to give instead of accepting
    (e.g. ``"451 4.3.0 Try again later"``), one per DATA command, first in first out."""

    received: list[Received] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1 at a fixed free port; ``stop()`` and ``start()`` simulate a
    mail server that goes down and comes back."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.inbox, hostname=self.host, port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def reset(self) -> None:
        self.start()
        self.inbox.received.clear()
        self.inbox.replies.clear()


@pytest.fixture(scope="session")
def _smtp_server_for_run() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(_smtp_server_for_run: SmtpServer) -> SmtpServer:
    """The loopback SMTP server, running, with an empty inbox (one server for the run,
    so each test pays no start-up)."""
    _smtp_server_for_run.reset()
    return _smtp_server_for_run


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
