"""The mail worker: sends what the outbox holds, retries what the mail server refuses, and
never loses a message.

One pass (:func:`send_due`) does three things:

1. **Claim** a batch of due rows in one short transaction: ``PENDING`` rows whose
   ``next_attempt_at`` has come, and ``SENDING`` rows whose lease ran out (their worker
   died). The claim is a single ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)``:
   on PostgreSQL concurrent workers on several hosts skip each other's rows instead of
   waiting or taking the same ones; on SQLite the UPDATE itself is atomic (the database is
   locked while it runs), which is enough for the single worker SQLite is meant for. Each
   claim writes a random token (``claimed_by``) and a lease (``claimed_until``), and counts
   the attempt, so a message that crashes the worker still runs out of attempts.
2. **Send** each claimed message over SMTP, built by :func:`..mail.imip.build_email` with a
   Message-ID derived from the row, so a retry is the same message to every mail server.
3. **Record** the outcome in its own transaction, right after the server's answer, and only
   while the row still carries this claim's token: ``SENT`` with ``sent_at``; or back to
   ``PENDING`` with a later ``next_attempt_at`` (exponential backoff with jitter) on a
   connection error or a 4xx answer; or ``FAILED`` after ``MAIL_MAX_ATTEMPTS`` temporary
   failures, or after ``MAIL_MAX_PERMANENT_ATTEMPTS`` 5xx refusals.

Exactly once, and the one window where it is "at least once": between the server's
"250 accepted" and the commit of ``SENT`` (milliseconds) the worker could die. The row then
stays ``SENDING`` until its lease runs out, and another worker sends it again. That second
copy has the same Message-ID and, for invites, the same UID and SEQUENCE, so calendars apply
it as the same update and many mail systems drop it as a duplicate. Losing a message instead
(marking it sent before sending) would be worse: a cancelled session people still go to.
A send never outlives its lease: a claim is abandoned (rows go back to ``PENDING`` without
counting the attempt) when less than three SMTP timeouts of the lease remain.

Personal data stays out of logs and ``last_error``: logs name the row id, the kind and the
SMTP code; server replies are kept with e-mail addresses masked.

Text messages (``channel == "sms"``) go through the same claims, leases and backoff, but to
``settings.sms`` (a :class:`TextSender`, the adapter in ``sms/provider.py``) instead of SMTP.
A provider's 4xx answer fails the text at once (``PermanentFailure(final=True)``); a 5xx,
a timeout or a lost connection is retried with backoff, and a retry never lands in the quiet
hours (21-08 Helsinki time). A text sent or failed for good loses its number and its words.
"""

from __future__ import annotations

import logging
import random
import re
import secrets
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from sqlalchemy import and_, or_, select, update

from ..db_types import utcnow
from ..extensions import db
from .imip import build_email
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")
_ERROR_LENGTH = 300


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a pass needs, read once from the app config (tests build their own)."""

    smtp_host: str
    smtp_port: int
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    mail_from: str = "etaryhmat@example.com"
    mail_from_name: str = "Etäryhmät – Distansgrupper"
    max_attempts: int = 8
    max_permanent_attempts: int = 2
    retry_base: timedelta = timedelta(seconds=60)
    retry_max: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=5)
    batch_size: int = 20
    sms: TextSender | None = None  # None: text messages are not configured

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WorkerSettings:
        return cls(
            smtp_host=config["SMTP_HOST"],
            smtp_port=int(config["SMTP_PORT"]),
            smtp_user=config.get("SMTP_USER", ""),
            smtp_password=config.get("SMTP_PASSWORD", ""),
            smtp_starttls=bool(config.get("SMTP_STARTTLS", False)),
            smtp_timeout=float(config.get("SMTP_TIMEOUT", 10)),
            mail_from=config["MAIL_FROM"],
            mail_from_name=config.get("MAIL_FROM_NAME", ""),
            max_attempts=int(config.get("MAIL_MAX_ATTEMPTS", 8)),
            max_permanent_attempts=int(config.get("MAIL_MAX_PERMANENT_ATTEMPTS", 2)),
            retry_base=timedelta(seconds=int(config.get("MAIL_RETRY_BASE_SECONDS", 60))),
            retry_max=timedelta(seconds=int(config.get("MAIL_RETRY_MAX_SECONDS", 6 * 3600))),
            lease=timedelta(seconds=int(config.get("MAIL_LEASE_SECONDS", 300))),
            batch_size=int(config.get("MAIL_BATCH_SIZE", 20)),
            sms=_text_sender(config),
        )

    @property
    def message_id_domain(self) -> str:
        return self.mail_from.rpartition("@")[2] or "localhost"


@dataclass(frozen=True)
class PassResult:
    """What one pass did, for the CLI and the tests."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class TemporaryFailure(Exception):
    """The server is down, timed out or said 4xx: try again later."""

    def __init__(self, summary: str, *, connection: bool = False) -> None:
        super().__init__(summary)
        self.summary = summary
        self.connection = connection  # the connection is gone: the rest of the batch waits


class PermanentFailure(Exception):
    """The server said 5xx for this message: a few more tries at most, then give up
    (``final``: give up at once, e.g. an SMS provider's 4xx)."""

    def __init__(self, summary: str, *, final: bool = False) -> None:
        super().__init__(summary)
        self.summary = summary
        self.final = final


class TextSender(Protocol):
    """Sends one text message; returns the provider's id for it, or raises
    TemporaryFailure / PermanentFailure. Never logs the number or the text."""

    def send(self, recipient: str, text: str) -> str: ...


def _text_sender(config: Mapping[str, Any]) -> TextSender | None:
    from ..sms.provider import sender_from_config

    return sender_from_config(config)


def scrub(text: str) -> str:
    """An SMTP reply or error without e-mail addresses, short enough for ``last_error``."""
    return _ADDRESS.sub("<address>", " ".join(text.split()))[:_ERROR_LENGTH]


def _reply_text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def classify(error: BaseException) -> TemporaryFailure | PermanentFailure:
    """Turn what smtplib raised into 'try again' or 'give up', by the SMTP reply code."""
    if isinstance(error, (UnicodeError, smtplib.SMTPNotSupportedError)):
        # e.g. an address the server cannot take (no SMTPUTF8): retrying will not help.
        return PermanentFailure(type(error).__name__)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (450, b""))
        summary = scrub(f"recipient refused {code} {_reply_text(reply)}")
        return PermanentFailure(summary) if code >= 500 else TemporaryFailure(summary)
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        summary = scrub(f"{type(error).__name__} {code} {_reply_text(error.smtp_error)}")
        # A bad login or a refused sender is the service's configuration, not the message:
        # keep it waiting until an admin fixes the settings.
        configuration = (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused)
        if code >= 500 and not isinstance(error, configuration):
            return PermanentFailure(summary)
        return TemporaryFailure(summary, connection=code in (421, 535))
    if isinstance(error, (OSError, smtplib.SMTPException)):
        # Refused connection, timeout, TLS failure, disconnect: the server, not the message.
        return TemporaryFailure(scrub(f"{type(error).__name__} {error}"), connection=True)
    raise error


def backoff(attempts: int, settings: WorkerSettings, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with "equal jitter": between half and all of
    ``base * 2**(attempts-1)``, capped, so workers that failed together do not all come
    back in the same second."""
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    ceiling = min(settings.retry_base * (2 ** max(attempts - 1, 0)), settings.retry_max)
    return ceiling / 2 + ceiling / 2 * rng.random()


class SmtpConnection:
    """One SMTP session for a batch: connected on first use, STARTTLS and login when
    configured, reconnected after the server dropped it."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
        try:
            smtp.ehlo()
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Hand one message to the server; raises TemporaryFailure or PermanentFailure."""
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (OSError, smtplib.SMTPException, UnicodeError) as error:
                # Connecting, TLS and login depend on the settings, never on the message.
                failure = classify(error)
                if isinstance(failure, PermanentFailure):
                    failure = TemporaryFailure(failure.summary)
                failure.connection = True
                raise failure from None
        try:
            self._smtp.send_message(message, from_addr=self.settings.mail_from,
                                    to_addrs=[recipient])
        except (OSError, smtplib.SMTPException, UnicodeError) as error:
            failure = classify(error)
            if isinstance(failure, TemporaryFailure) and failure.connection:
                self.close()
            else:
                self._reset()
            raise failure from None

    def _reset(self) -> None:
        """After a refused message the SMTP transaction must be reset before the next one."""
        if self._smtp is not None:
            try:
                self._smtp.rset()
            except (OSError, smtplib.SMTPException):
                self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def message_id(row: OutboxMessage) -> str:
    """Stable for the row: a retry after a timeout is the same message to mail servers."""
    created = row.created_at.strftime("%Y%m%d%H%M%S") if row.created_at else "0"
    return f"outbox.{row.id}.{created}"


def build_message(row: OutboxMessage, settings: WorkerSettings) -> EmailMessage:
    ics = row.ics or None
    return build_email(
        sender=settings.mail_from,
        sender_name=settings.mail_from_name,
        recipient=row.recipient,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        ics=ics,
        method=(row.ics_method or None) if ics else None,
        message_id_domain=settings.message_id_domain,
        message_id=message_id(row),
        reply_to=row.reply_to or None,
    )


def _buildable(row: OutboxMessage, settings: WorkerSettings) -> EmailMessage:
    """The message, or a PermanentFailure when the row cannot become one (e.g. a calendar
    whose METHOD does not match ``ics_method``): the row fails instead of the whole pass."""
    try:
        return build_message(row, settings)
    except ValueError as error:
        raise PermanentFailure(f"cannot build the message: {type(error).__name__}") from None


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def claim_due(now: datetime, settings: WorkerSettings) -> tuple[str, list[int]]:
    """Claim up to ``batch_size`` due rows for this pass and commit; returns the claim's
    token and the claimed ids, oldest due first.

    ``FOR UPDATE SKIP LOCKED`` is what keeps two PostgreSQL workers apart (SQLite ignores
    it and serialises the UPDATE instead)."""
    token = f"{socket.gethostname()[:40]}:{secrets.token_hex(8)}"
    # A row whose every worker died while sending it (a message that crashes the process)
    # must not be taken again forever: after the last attempt it fails like any other.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now,
               OutboxMessage.attempts >= settings.max_attempts)
        .values(status=OutboxStatus.FAILED, claimed_by=None, claimed_until=None,
                last_error="the worker stopped while sending, on every attempt")
        .execution_options(synchronize_session=False)
    )
    due_ids = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due_ids.scalar_subquery()))
        .values(
            status=OutboxStatus.SENDING,
            claimed_by=token,
            claimed_until=now + settings.lease,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.claimed_by == token)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    ))
    return token, ids


def _finish(row_id: int, token: str, **values: Any) -> bool:
    """Write an outcome only while the row is still ours; commit at once."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == token,
               OutboxMessage.status == OutboxStatus.SENDING)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _mark_sent(row_id: int, token: str, now: datetime) -> None:
    if not _finish(row_id, token, status=OutboxStatus.SENT, sent_at=now, last_error=""):
        log.warning("outbox %s was sent but its claim had expired", row_id)


def _mark_failure(
    row: OutboxMessage, token: str, failure: TemporaryFailure | PermanentFailure,
    now: datetime, settings: WorkerSettings, rng: random.Random,
) -> OutboxStatus:
    limit = (settings.max_permanent_attempts if isinstance(failure, PermanentFailure)
             else settings.max_attempts)
    text = row.channel == "sms"
    if row.attempts >= limit or (isinstance(failure, PermanentFailure) and failure.final):
        status = OutboxStatus.FAILED
        forget = {"recipient": "", "body_text": ""} if text else {}
        _finish(row.id, token, status=status, last_error=failure.summary, **forget)
        log.error("outbox %s (%s) failed for good after %s attempts: %s",
                  row.id, row.kind, row.attempts, type(failure).__name__)
        return status
    status = OutboxStatus.PENDING
    retry_at = now + backoff(row.attempts, settings, rng)
    if text:
        from ..rules.sms import send_time

        retry_at = send_time(retry_at)
    _finish(row.id, token, status=status, next_attempt_at=retry_at, last_error=failure.summary)
    log.info("outbox %s (%s) attempt %s: %s, retrying at %s",
             row.id, row.kind, row.attempts, type(failure).__name__, retry_at.isoformat())
    return status


def _release(row_ids: list[int], token: str) -> None:
    """Give unsent rows back without counting the attempt (lease running out)."""
    if not row_ids:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(row_ids), OutboxMessage.claimed_by == token)
        .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_until=None,
                attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _send_text(row: OutboxMessage, token: str, now: datetime, settings: WorkerSettings,
               rng: random.Random, clock: Callable[[], datetime]) -> OutboxStatus:
    """One text message through the provider; the outcome is recorded like a mail's."""
    failure: TemporaryFailure | PermanentFailure
    if settings.sms is None:
        failure = TemporaryFailure("text messages are not configured")
    else:
        try:
            reference = settings.sms.send(row.recipient, row.body_text)
        except (TemporaryFailure, PermanentFailure) as error:
            failure = error
        else:
            if not _finish(row.id, token, status=OutboxStatus.SENT, sent_at=clock(),
                           last_error="", provider_ref=reference[:100] or None,
                           recipient="", body_text=""):
                log.warning("outbox %s was sent but its claim had expired", row.id)
            log.info("outbox %s (%s, sms) sent on attempt %s", row.id, row.kind, row.attempts)
            return OutboxStatus.SENT
    return _mark_failure(row, token, failure, now, settings, rng)


@contextmanager
def _connection(settings: WorkerSettings) -> Iterator[SmtpConnection]:
    connection = SmtpConnection(settings)
    try:
        yield connection
    finally:
        connection.close()


def send_due(
    settings: WorkerSettings,
    *,
    now: datetime | None = None,
    clock: Callable[[], datetime] = utcnow,
    rng: random.Random | None = None,
) -> PassResult:
    """One pass: claim due messages, send them, record each outcome.

    ``now`` decides what is due (tests move it forward instead of sleeping); ``clock``
    watches the lease while sending."""
    now = now or clock()
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    token, ids = claim_due(now, settings)
    if not ids:
        return PassResult()
    deadline = clock() + settings.lease - timedelta(seconds=3 * settings.smtp_timeout)
    counts = {OutboxStatus.SENT: 0, OutboxStatus.PENDING: 0, OutboxStatus.FAILED: 0}
    connection_failure: TemporaryFailure | None = None
    with _connection(settings) as connection:
        for index, row_id in enumerate(ids):
            if clock() > deadline:
                _release(ids[index:], token)
                break
            row = db.session.get(OutboxMessage, row_id, populate_existing=True)
            if row is None or row.claimed_by != token:
                continue
            if row.channel == "sms":
                counts[_send_text(row, token, now, settings, rng, clock)] += 1
                continue
            if connection_failure is not None:
                # The server is unreachable: this attempt fails the same way, without
                # waiting for another connect timeout per message.
                counts[_mark_failure(row, token, connection_failure, now, settings, rng)] += 1
                continue
            try:
                connection.send(_buildable(row, settings), row.recipient)
            except (TemporaryFailure, PermanentFailure) as failure:
                counts[_mark_failure(row, token, failure, now, settings, rng)] += 1
                if isinstance(failure, TemporaryFailure) and failure.connection:
                    connection_failure = failure
                continue
            _mark_sent(row_id, token, clock())
            counts[OutboxStatus.SENT] += 1
            log.info("outbox %s (%s) sent on attempt %s", row.id, row.kind, row.attempts)
    return PassResult(claimed=len(ids), sent=counts[OutboxStatus.SENT],
                      retrying=counts[OutboxStatus.PENDING], failed=counts[OutboxStatus.FAILED])


def run_worker(
    settings: WorkerSettings,
    *,
    once: bool,
    poll_interval: float,
    before_pass: Callable[[datetime], Any] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> PassResult:
    """Run passes until stopped (or one pass with ``once``). ``before_pass`` queues
    reminders. A pass that raises is logged by type only and the loop goes on: a database
    hiccup must not stop mail for good."""
    total = PassResult()
    while True:
        try:
            if before_pass is not None:
                before_pass(utcnow())
            # A fresh "now": what before_pass just queued is due at once.
            result = send_due(settings, now=utcnow())
            total = PassResult(*(a + b for a, b in zip(_fields(total), _fields(result),
                                                        strict=True)))
        except Exception as error:
            db.session.rollback()
            if once:
                raise
            log.error("mail worker pass failed: %s", type(error).__name__)
            result = PassResult()
        finally:
            db.session.remove()
        if once or should_stop():
            return total
        if result.claimed < settings.batch_size:  # a full batch means more may be waiting
            sleep(poll_interval)
        if should_stop():
            return total


def _fields(result: PassResult) -> tuple[int, int, int, int]:
    return result.claimed, result.sent, result.retrying, result.failed
