"""Reminders a day and an hour before each session, queued by the mail worker. Each one gives
the phone way in (number and PIN in words, or where they will be shown when the dial-in API
is down), through the same mail partial as the invitation.

Who is reminded: every facilitator of the session, and each participant whose
:class:`~remote_groups.calendar.invites.Recipient` has ``reminders=True``. That flag is the
opt-in: a feature with participants (closed courses) keeps the person's choice (e.g. a
"remind me by e-mail" box on the application, stored as a boolean on its own model) and sets
``reminders`` from it in its answer to the ``signals.session_participants`` signal. Nothing
else is stored for reminders.

When: the "24h" reminder is due from 24 hours before the start until 1 hour before; the
"1h" reminder from 1 hour before until the start. A reminder is skipped when the session
was created inside its window (the invitation just arrived), and a late worker sends only
the nearest one, never both at once. Cancelled sessions get none.

Exactly once, on any number of hosts: each reminder has an outbox ``dedupe_key``
``reminder:<uid>:<sequence>:<24h|1h>:<hash of the address>`` under a unique constraint.
Keys already in the outbox are skipped with one query, and a row that another host inserted
meanwhile fails its unique check inside a savepoint and is skipped too. The SEQUENCE is in
the key so that a session moved to another day is reminded again at its new time. The
address is hashed so the key is short and tells nothing by itself.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import dates
from ..calendar.invites import (
    Phone,
    Recipient,
    facilitator_recipients,
    participant_recipients,
    phone_for,
    public_join_url,
)
from ..extensions import db
from ..groups.models import Group, GroupArea, Session, SessionStatus
from ..i18n import localized
from .models import OutboxMessage
from .notify import queue_mail

log = logging.getLogger(__name__)

# Longest lead first; the order decides which reminder a late worker sends.
WINDOWS: tuple[tuple[str, timedelta], ...] = (
    ("24h", timedelta(hours=24)),
    ("1h", timedelta(hours=1)),
)
LONGEST = WINDOWS[0][1]


def due_window(starts_at: datetime, created_at: datetime | None, now: datetime) -> str | None:
    """Which reminder (if any) is due for a session at ``now``: the nearest window the
    start falls in, unless the session was created inside it."""
    lead = starts_at - now
    if lead <= timedelta(0):
        return None
    nearest = None
    for name, width in WINDOWS:
        if lead <= width:
            nearest = (name, width)
    if nearest is None:
        return None
    name, width = nearest
    if created_at is not None and created_at > starts_at - width:
        return None
    return name


def reminded(session: Session) -> list[Recipient]:
    """Facilitators always; participants who opted in. One reminder per address."""
    people = facilitator_recipients(session) + [
        r for r in participant_recipients(session) if r.reminders
    ]
    unique: dict[str, Recipient] = {}
    for person in people:
        unique.setdefault(person.email.strip().lower(), person)
    return list(unique.values())


def dedupe_key(session: Session, window: str, email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
    # Keyed by the start time, not SEQUENCE: a host or facilitator change raises SEQUENCE
    # but the session is still at the same time, and must not be reminded twice.
    start = f"{session.starts_at.astimezone(UTC):%Y%m%dT%H%M}"
    return f"reminder:{session.uid}:{start}:{window}:{digest}"


@dataclass(frozen=True)
class _Candidate:
    session: Session
    window: str
    recipient: Recipient
    key: str


def _upcoming(now: datetime) -> list[Session]:
    query = (
        select(Session)
        .where(Session.status == SessionStatus.SCHEDULED,
               Session.starts_at > now, Session.starts_at <= now + LONGEST)
        .order_by(Session.starts_at)
        .options(
            selectinload(Session.group).selectinload(Group.group_areas)
            .selectinload(GroupArea.area),
            selectinload(Session.host_area),
            selectinload(Session.facilitators),
        )
    )
    return list(db.session.scalars(query))


def _candidates(now: datetime) -> list[_Candidate]:
    candidates = []
    for session in _upcoming(now):
        window = due_window(session.starts_at, session.created_at, now)
        if window is None:
            continue
        for recipient in reminded(session):
            key = dedupe_key(session, window, recipient.email)
            candidates.append(_Candidate(session, window, recipient, key))
    return candidates


def _queue(candidate: _Candidate, phone: Phone | None) -> None:
    """One reminder mail; ``phone`` is the session's phone way in (number and PIN in words,
    or where they will be shown when the dial-in API is down now)."""
    session, recipient, lang = candidate.session, candidate.recipient, candidate.recipient.language
    with force_locale(lang):
        title = localized(session.group, "title", lang)[0]
        when = dates.session_span(session.starts_at, session.ends_at, lang)
        join_url = recipient.join_url or public_join_url(session, lang)
    queue_mail(
        kind="reminder", recipient=recipient.email, language=lang,
        template="session_reminder",
        subject=_l("Reminder: %(title)s, %(when)s"),
        subject_params={"title": title, "when": when},
        dedupe_key=candidate.key,
        title=title, when=when, join_url=join_url, window=candidate.window,
        chair=recipient.chair, host=session.host_area.name(lang),
        topic=localized(session, "topic", lang)[0], group=session.group, phone=phone,
    )


def already_queued(keys: list[str]) -> set[str]:
    """The keys among ``keys`` that are in the outbox: one query for the whole pass."""
    return set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
    ))


def queue_due_reminders(now: datetime) -> int:
    """Queue every reminder due at ``now`` that is not in the outbox yet; return how many
    this call added. Safe to run at the same time on several hosts (a reminder another host
    queued a moment ago is skipped at its savepoint). The caller commits: the worker runs it
    through `transactions.run_unit_of_work`."""
    candidates = _candidates(now)
    if not candidates:
        return 0
    existing = already_queued([c.key for c in candidates])
    phones: dict[int, Phone | None] = {}  # one dial-in look-up per session, outside savepoints
    added = 0
    for candidate in candidates:
        if candidate.key in existing:
            continue
        session = candidate.session
        if session.id not in phones:
            phones[session.id] = phone_for(session)
        try:
            with db.session.begin_nested():
                _queue(candidate, phones[session.id])
        except IntegrityError:
            continue  # another host queued the same reminder a moment ago
        existing.add(candidate.key)
        added += 1
    db.session.flush()
    if added:
        log.info("queued %s reminders", added)
    return added
