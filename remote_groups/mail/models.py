"""The outbox: every message is written here in the same transaction as the change that
causes it, and a worker sends it later. A mail server that is down loses nothing."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; shown to admins


class OutboxMessage(Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "mail" or "sms" (a text message: `recipient` is an E.164 number, `body_text` the text,
    # blanked once the message is sent or failed for good; see sms/).
    channel: Mapped[str] = mapped_column(String(8), default="mail", server_default="mail")
    kind: Mapped[str] = mapped_column(String(40))  # invite, update, cancel, reminder, decision…
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="fi")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    # iMIP: the calendar object and its METHOD (REQUEST, CANCEL); empty for plain mail.
    ics: Mapped[str] = mapped_column(Text, default="")
    ics_method: Mapped[str] = mapped_column(String(16), default="")
    # Where replies go when not to the sender (e.g. the area's contact address); "" for none.
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Makes "queue it once" safe when several workers or requests race (e.g. reminders).
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(String(500), default="")
    # The worker's lease (mail/worker.py): who holds the row while sending and until when.
    # A worker that dies mid-send leaves a SENDING row whose lease runs out; another worker
    # then takes it again. The token is random per claim, never a person's data.
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Text messages: the provider's id for the message and its latest delivery report.
    provider_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    delivery: Mapped[str] = mapped_column(String(20), default="", server_default="")
