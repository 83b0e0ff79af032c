"""When a visitor may join a session: the rule behind the "Join" button.

A plain function over times, so the edges (exactly 15 minutes before, the end) are testable
without a request. The room opens a little early so people can check their camera and
microphone calmly; it closes at the end so an old link does not lead into a later meeting.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

JOIN_OPENS_BEFORE = timedelta(minutes=15)


class JoinState(enum.StrEnum):
    OPEN = "open"  # the Join button works
    NOT_YET = "not_yet"  # says when it opens
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class JoinWindow:
    state: JoinState
    opens_at: datetime
    closes_at: datetime

    @property
    def is_open(self) -> bool:
        return self.state == JoinState.OPEN


def join_window(
    starts_at: datetime, ends_at: datetime, now: datetime, *, cancelled: bool = False
) -> JoinWindow:
    """Open from `JOIN_OPENS_BEFORE` before the start (inclusive) until the end (exclusive)."""
    opens_at = starts_at - JOIN_OPENS_BEFORE
    if cancelled:
        state = JoinState.CANCELLED
    elif now < opens_at:
        state = JoinState.NOT_YET
    elif now < ends_at:
        state = JoinState.OPEN
    else:
        state = JoinState.ENDED
    return JoinWindow(state=state, opens_at=opens_at, closes_at=ends_at)
