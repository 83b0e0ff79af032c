"""Putting messages in the outbox. Callers add to the current transaction and commit with
the change that caused the message; nothing is sent here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from .models import OutboxMessage


@dataclass(frozen=True)
class Message:
    """A message ready to queue: already rendered in the recipient's language."""

    kind: str
    recipient: str
    language: str
    subject: str
    body_text: str
    body_html: str = ""
    ics: str = ""
    ics_method: str = ""
    dedupe_key: str | None = None
    reply_to: str = ""
    channel: str = "mail"  # or "sms"
    next_attempt_at: datetime | None = None  # None: at once (texts wait out quiet hours)


def enqueue(message: Message) -> OutboxMessage:
    """Add the message to the session's transaction. The caller commits."""
    values = dataclasses.asdict(message)
    if values["next_attempt_at"] is None:
        del values["next_attempt_at"]
    row = OutboxMessage(**values)
    db.session.add(row)
    return row
