"""Telling calendars about series changes, through the invites service.

Every function is called after the change (and after `bump_sequence()`), in the same
transaction, so the change and its messages are committed together.
"""

from __future__ import annotations

from ..calendar import invites
from ..calendar.invites import Recipient
from ..groups.models import Session


def facilitator_recipients(session: Session) -> list[Recipient]:
    """Who gets the invite now; taken before a change to find who the change adds or
    removes (and what the session was, for the update mail's "old → new")."""
    return invites.remember_before(session)


def session_created(session: Session) -> None:
    """A first invite to everyone on a new session (facilitators, and course participants)."""
    invites.queue_session_created(session)


def session_changed(session: Session, before: list[Recipient]) -> None:
    """An updated invite to everyone; a cancellation to facilitators taken off it."""
    invites.queue_session_changed(session, before=before)


def session_cancelled(session: Session) -> None:
    invites.queue_session_cancelled(session)
