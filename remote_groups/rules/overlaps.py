"""Finding double bookings: one person in two sessions at the same time.

Used when a series is edited (a moved meeting may now clash with a facilitator's other
group) and when a swap is proposed (the taker may already be busy then). Plain data in and
out; the caller decides whether a clash blocks the change or only warns.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Booking:
    """`person` is booked in `session` (any hashable key, e.g. a session id) for that time.

    Times must be aware datetimes (UTC in this project) so that they compare correctly.
    """

    person: int
    session: Hashable
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Overlap:
    """`person` is in both `first` and `second` between `starts_at` and `ends_at`.

    `first` is the session that starts earlier (on a tie, the one given first).
    """

    person: int
    first: Hashable
    second: Hashable
    starts_at: datetime
    ends_at: datetime


def find_overlaps(bookings: Iterable[Booking]) -> list[Overlap]:
    """Every pair of one person's bookings whose times overlap.

    A meeting that ends at 14:00 and one that starts at 14:00 do not overlap: a facilitator
    can go from one straight to the next. The same session booked twice for one person is a
    duplicate row, not a clash, and is not reported. Zero-length bookings overlap nothing.

    Sorts each person's bookings by start and sweeps with a heap of the ones still running,
    so the cost is O(n log n) plus the number of overlaps found. Results are ordered by
    person, then by the later booking's start.
    """
    by_person: dict[int, list[tuple[int, Booking]]] = defaultdict(list)
    for order, booking in enumerate(bookings):
        by_person[booking.person].append((order, booking))
    overlaps: list[Overlap] = []
    for person in sorted(by_person):
        overlaps.extend(_sweep(person, by_person[person]))
    return overlaps


def _sweep(person: int, bookings: list[tuple[int, Booking]]) -> list[Overlap]:
    found: list[Overlap] = []
    bookings = sorted(bookings, key=lambda item: (item[1].starts_at, item[0]))
    # (ends_at, order, booking) of bookings that have started and not yet ended.
    running: list[tuple[datetime, int, Booking]] = []
    for order, booking in bookings:
        while running and running[0][0] <= booking.starts_at:
            heapq.heappop(running)
        if booking.ends_at <= booking.starts_at:
            continue
        for ends_at, _, earlier in sorted(running, key=lambda item: item[1]):
            if earlier.session == booking.session:
                continue
            found.append(Overlap(
                person=person,
                first=earlier.session,
                second=booking.session,
                starts_at=booking.starts_at,
                ends_at=min(ends_at, booking.ends_at),
            ))
        heapq.heappush(running, (booking.ends_at, order, booking))
    return found
