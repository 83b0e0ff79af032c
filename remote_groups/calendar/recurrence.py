"""A person's sessions of one group as one recurring calendar entry, from plain data.

Why: one invitation per course or series per person, instead of one per session (an
accepted applicant used to get twelve mails). The entry is a master VEVENT with a weekly
RRULE up to UNTIL, RDATE for sessions off the rule (extra ones), EXDATE for rule dates with
no session (skipped holidays, cancelled sessions), and a RECURRENCE-ID override for every
session that differs from the master (time, host, facilitators, topic, link).

Each session is placed in the rule by its *slot* (`Session.recurrence_at`), the instant the
series gave it; a session moved later keeps its slot, so a later message about it names the
same instance. Rule dates are computed in Helsinki wall-clock time, so a weekly 14.00 stays
14.00 across summer time. No Flask and no database here."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .ics import LOCAL_TIMEZONE, EventData, Recurrence


@dataclass(frozen=True)
class Instance:
    """One session as it appears in the entry."""

    slot: datetime  # its RECURRENCE-ID
    event: EventData  # its own time, texts and link (uid/sequence are replaced)
    cancelled: bool
    details: Hashable  # what the master must share for the instance to need no override
    phone: Any = None  # the session's phone way in, for the mail's list of sessions
    session: Any = None  # the session itself, for the mail of a one-session entry


@dataclass(frozen=True)
class Series:
    master: EventData
    overrides: tuple[EventData, ...]

    @property
    def events(self) -> tuple[EventData, ...]:
        return (self.master, *self.overrides)


def _local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TIMEZONE)


def _interval_weeks(slots: Sequence[datetime]) -> int:
    """The most common gap in whole weeks between consecutive slots at the first one's
    weekday and clock time (1 when there is none)."""
    first = _local(slots[0])
    matching = [_local(s) for s in slots
                if _local(s).weekday() == first.weekday() and _local(s).time() == first.time()]
    gaps = Counter((b.date() - a.date()).days // 7 for a, b in itertools.pairwise(matching))
    gaps.pop(0, None)
    return gaps.most_common(1)[0][0] if gaps else 1


def rule_dates(anchor: datetime, interval_weeks: int, last: datetime) -> list[datetime]:
    """The rule's instants from `anchor` to `last`, at the anchor's Helsinki clock time."""
    local = _local(anchor)
    dates: list[datetime] = []
    n = 0
    while True:
        day = local.date() + timedelta(weeks=n * interval_weeks)
        moment = datetime.combine(day, local.time(), tzinfo=LOCAL_TIMEZONE)
        if moment > _local(last):
            return dates
        dates.append(moment)
        n += 1


def build(instances: Sequence[Instance], *, uid: str, sequence: int,
          master_texts: EventData) -> Series | None:
    """The entry for these instances, or None when none of them takes place.

    `master_texts` gives the master's summary, description and link (the course line, the
    personal course link); its times are ignored."""
    active = sorted((i for i in instances if not i.cancelled), key=lambda i: i.slot)
    if not active:
        return None
    anchor = active[0]
    interval = _interval_weeks([i.slot for i in active])
    on_pattern = [i for i in active
                  if (_local(i.slot).date() - _local(anchor.slot).date()).days
                  % (7 * interval) == 0 and _local(i.slot).time() == _local(anchor.slot).time()]
    last_on_rule = on_pattern[-1].slot
    rule = rule_dates(anchor.slot, interval, last_on_rule) if len(on_pattern) > 1 else [
        anchor.slot]
    rule_set = set(rule)
    active_slots = {i.slot for i in active}
    duration = anchor.event.ends_at - anchor.event.starts_at
    master = dataclasses.replace(
        master_texts, uid=uid, sequence=sequence, starts_at=anchor.slot,
        ends_at=anchor.slot + duration, cancelled=False, recurrence_id=None,
        attendees=anchor.event.attendees, conferences=master_texts.conferences,
        rrule=Recurrence(interval, last_on_rule) if len(rule) > 1 else None,
        rdates=tuple(i.slot for i in active if i.slot not in rule_set),
        exdates=tuple(d for d in rule if d not in active_slots),
    )
    overrides = tuple(
        dataclasses.replace(i.event, uid=uid, sequence=sequence, recurrence_id=i.slot,
                            rrule=None, rdates=(), exdates=())
        for i in active
        if i.event.starts_at != i.slot or i.event.ends_at - i.event.starts_at != duration
        or i.details != anchor.details
    )
    return Series(master, overrides)


def override(instance: Instance, *, uid: str, sequence: int) -> EventData:
    """One instance as a RECURRENCE-ID override: the message for a change to one session."""
    return dataclasses.replace(instance.event, uid=uid, sequence=sequence,
                               recurrence_id=instance.slot, rrule=None, rdates=(), exdates=())
