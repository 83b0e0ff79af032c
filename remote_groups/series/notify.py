"""Telling attendees' calendars about series changes, through the invites service.

The invites service (`calendar/invites.py`) is written in parallel with this feature; until
it is present these functions do nothing, so the series pages work on their own. Every
function is called after the change (and after `bump_sequence()`), in the same transaction.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from ..groups.models import Session


def _invites() -> ModuleType | None:
    try:
        return import_module("remote_groups.calendar.invites")
    except ImportError:
        return None


def facilitator_recipients(session: Session) -> list[Any]:
    """Who gets the invite now; taken before a change to find who was removed by it."""
    invites = _invites()
    return list(invites.facilitator_recipients(session)) if invites else []


def session_created(session: Session) -> None:
    invites = _invites()
    if invites is None:
        return
    for recipient in invites.facilitator_recipients(session):
        invites.queue_invite(session, recipient)


def session_changed(session: Session, before: list[Any]) -> None:
    """An updated invite to everyone; a cancellation to facilitators no longer in it."""
    invites = _invites()
    if invites is None:
        return
    now_emails = {r.email for r in invites.facilitator_recipients(session)}
    removed = [r for r in before if r.email not in now_emails]
    invites.queue_session_changed(session, removed=removed)


def session_cancelled(session: Session) -> None:
    invites = _invites()
    if invites is not None:
        invites.queue_session_cancelled(session)
