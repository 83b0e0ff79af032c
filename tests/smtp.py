"""The one loopback SMTP server the tests send mail to (aiosmtpd), as a pytest plugin.

`smtp` is a real server on 127.0.0.1 with an empty inbox for each test; `stop()` and `start()`
simulate a mail server that goes down and comes back on the same port. Registered by the
top-level conftest, so the mail, calendar and any other feature's tests share it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.SMTP)


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

    @property
    def messages(self) -> list[tuple[str, list[str], bytes]]:
        """What arrived as (envelope sender, envelope recipients, raw bytes)."""
        return [(r.mail_from, r.rcpt_tos, r.raw) for r in self.received]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """aiosmtpd on 127.0.0.1 at a fixed free port; ``stop()`` and ``start()`` simulate a
    mail server that goes down and comes back."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
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
