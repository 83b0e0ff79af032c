"""Two agreements at the same instant that would book one facilitator into overlapping
sessions: one is made, the other refused, never both (the facilitator's time is locked
before the double-booking check, as for every series change). The read is widened a little
so that, without the lock, both would pass their checks on the same old state."""

from __future__ import annotations

import os
import time
from datetime import time as clock
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.db_types import utcnow
from remote_groups.exchange import service
from remote_groups.groups.models import InstructionLanguage, Theme
from remote_groups.i18n import local_time
from remote_groups.people.models import Role
from remote_groups.series import service as series_service

from ..races import at_once, post
from ..staff.test_booking_races import _double_bookings

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")
TRIES = int(os.environ.get("RACE_TRIES", "6" if ON_POSTGRES else "2"))
WINDOW = float(os.environ.get("RACE_WINDOW", "0.2"))


def _slowed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = series_service.find_clashes

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(WINDOW)
        return real(*args, **kwargs)

    monkeypatch.setattr(series_service, "find_clashes", slow)


def test_two_agreements_booking_one_facilitator_at_once(app, make, db_session, monkeypatch):
    _slowed(monkeypatch)
    outcomes = {"one done, one refused": 0, "both done": 0, "other": 0}
    for n in range(TRIES):
        a, b, c = make.area(languages="sv,fi"), make.area(), make.area()
        first, second = make.user(a, Role.COORDINATOR), make.user(a, Role.COORDINATOR)
        answering = [make.user(b, Role.COORDINATOR), make.user(c, Role.COORDINATOR)]
        saga = make.user(a)
        groups = [make.group([x], instruction_language=InstructionLanguage.SV) for x in (b, c)]
        db_session.commit()
        today = local_time(utcnow()).date()
        day = today + timedelta(days=20 + n)
        replies = []
        for coordinator, group, (start, end) in zip(
                answering, groups, [(clock(10), clock(11, 30)), (clock(10, 30), clock(12))],
                strict=True):
            offer = service.post_offer(first, "sv", Theme.NUTRITION, 1,
                                       (today, today + timedelta(days=60)), "", {}, today)
            replies.append(service.answer_offer(coordinator, offer, group, day, start, end,
                                                1, 1, "", utcnow()))
        db_session.commit()
        answers = at_once(app, [
            (first.email, post(f"/en/staff/exchange/answers/{replies[0].id}/agree",
                               {"facilitators": [saga.id]})),
            (second.email, post(f"/en/staff/exchange/answers/{replies[1].id}/agree",
                                {"facilitators": [saga.id]})),
        ])
        assert not [x for x in answers if x.failed], answers
        made = ["The exchange is made" in x.page for x in answers]
        refused = ["already has another session at that time" in x.page for x in answers]
        db_session.expire_all()
        if sum(made) == 1 and sum(refused) == 1 and _double_bookings(saga.id) == 0:
            outcomes["one done, one refused"] += 1
        elif all(made):
            outcomes["both done"] += 1
        else:
            outcomes["other"] += 1
    print(f"\nexchange race, {TRIES} tries: {outcomes}")
    assert outcomes["one done, one refused"] == TRIES, outcomes
