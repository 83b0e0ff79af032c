"""A small world for the pages' accessibility checks: two co-running areas, an open group
with sessions past, on now and later, a closed course taking applications, and a coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.people.models import Role, User


@dataclass
class World:
    group: Group
    course: Group
    coordinator: User
    facilitator: User
    ended: Session
    on_now: Session
    later: Session


@pytest.fixture
def world(make: Any, db_session: Any) -> World:
    west = make.area(code="lansi", name_fi="Länsi-Uudenmaan hyvinvointialue",
                     name_sv="Västra Nylands välfärdsområde", languages="fi,sv")
    north = make.area(code="pohjoinen", name_fi="Pohjois-Karjalan hyvinvointialue",
                      name_sv="Norra Karelens välfärdsområde")
    now = utcnow()
    group = make.group([west, north], title_fi="Avoin ryhmä", title_sv="Öppen grupp")
    course = make.group(
        [west, north], kind=GroupKind.CLOSED, capacity=8,
        title_fi="Arjen voimavarat", title_sv="Resurser i vardagen",
        applications_open_at=now - timedelta(days=1),
        applications_close_at=now + timedelta(days=10),
    )
    facilitator = make.user(west, first_name="Aino", last_name="Testinen",
                            email="aino@example.com")
    coordinator = make.user(west, role=Role.COORDINATOR, first_name="Henna",
                            last_name="Koordinoija", email="henna@example.com")
    ended = make.session_(group, starts_at=now - timedelta(days=7), host=west,
                          facilitators=[facilitator])
    on_now = make.session_(group, starts_at=now - timedelta(minutes=5), host=north)
    later = make.session_(group, starts_at=now + timedelta(days=7), host=west,
                          facilitators=[facilitator])
    for i in range(3):
        make.session_(course, starts_at=now + timedelta(days=14 + 7 * i), host=west,
                      facilitators=[facilitator])
    db_session.commit()
    return World(group, course, coordinator, facilitator, ended, on_now, later)


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
