"""The intake call's own decisions, plain data in and out (no Flask, no database).

- `plan_slots`: the times a facilitator typed, as UTC spans of the chosen length.
- `clashing`: which planned slots would double-book the facilitator (their sessions, their
  other slots, or each other), by the one overlap rule of `rules.overlaps`.
- `refusal`: whether a participant may book (or move to) a slot now."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..rules.overlaps import Booking, find_overlaps

HELSINKI = ZoneInfo("Europe/Helsinki")
LENGTHS = (20, 30, 45, 60)
MAX_SLOTS_AT_ONCE = 20
_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[.:]([0-5]\d)$")

Span = tuple[datetime, datetime]


def parse_times(text: str) -> list[time] | None:
    """"9.00, 9.30 10:15" → [09:00, 09:30, 10:15], sorted, duplicates dropped; None when a
    part is not a clock time (or there are none, or too many)."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    found = set()
    for part in parts:
        match = _TIME_RE.match(part)
        if match is None:
            return None
        found.add(time(int(match.group(1)), int(match.group(2))))
    if not found or len(found) > MAX_SLOTS_AT_ONCE:
        return None
    return sorted(found)


def plan_slots(day: date, starts: Sequence[time], minutes: int) -> list[Span]:
    """Each start on `day` in Helsinki time, `minutes` long, as UTC spans."""
    spans = []
    for start in starts:
        local = datetime.combine(day, start, tzinfo=HELSINKI)
        begins = local.astimezone(UTC)
        spans.append((begins, begins + timedelta(minutes=minutes)))
    return spans


def clashing(planned: Sequence[Span], busy: Sequence[Span]) -> list[int]:
    """Indexes of the planned spans that overlap a busy span of the same person or another
    planned span. Back-to-back (one ends at 14.00, the next starts at 14.00) is fine."""
    bookings = [Booking(person=0, session=-1 - n, starts_at=s, ends_at=e)
                for n, (s, e) in enumerate(busy)]
    bookings += [Booking(person=0, session=n, starts_at=s, ends_at=e)
                 for n, (s, e) in enumerate(planned)]
    found: set[int] = set()
    for overlap in find_overlaps(bookings):
        # Planned spans are keyed 0, 1, …; busy ones -1, -2, …
        found.update(key for key in (overlap.first, overlap.second)
                     if isinstance(key, int) and key >= 0)
    return sorted(found)


class Refusal(enum.StrEnum):
    NOT_ACCEPTED = "not_accepted"  # only accepted participants book
    NOT_REQUIRED = "not_required"  # the course asks for no intake
    GONE = "gone"  # no such slot on this course, or it has started
    TAKEN = "taken"  # someone else has the slot
    DONE = "done"  # the intake has been held already


def refusal(*, accepted: bool, required: bool, slot_found: bool, slot_starts_at: datetime | None,
            now: datetime, taken_by_other: bool, done: bool) -> Refusal | None:
    """Why the booking cannot be made, or None when it can."""
    if not accepted:
        return Refusal.NOT_ACCEPTED
    if not required:
        return Refusal.NOT_REQUIRED
    if done:
        return Refusal.DONE
    if not slot_found or slot_starts_at is None or slot_starts_at <= now:
        return Refusal.GONE
    if taken_by_other:
        return Refusal.TAKEN
    return None
