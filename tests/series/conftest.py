"""A small world for the series pages: three co-running areas, their staff, one group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.easter import easter

from remote_groups.db_types import utcnow
from remote_groups.people.models import Role


@dataclass
class World:
    areas: list[Any]
    coordinator: Any
    facilitators: dict[int, Any]  # area id -> facilitator
    group: Any


@pytest.fixture
def world(make: Any, db_session: Any) -> World:
    a = make.area(languages="fi,sv", name_fi="Länsi-Alue", name_sv="Västra området")
    b = make.area(name_fi="Itä-Alue", name_sv="Östra området")
    c = make.area(name_fi="Pohjois-Alue", name_sv="Norra området")
    coordinator = make.user(area=a, role=Role.COORDINATOR, first_name="Kaisa")
    facilitators = {area.id: make.user(area=area, first_name=f"Ohjaaja{n}")
                    for n, area in enumerate((a, b, c), start=1)}
    group = make.group(areas=[a, b, c], title_fi="Yhteinen ryhmä", title_sv="Gemensam grupp")
    db_session.commit()
    return World([a, b, c], coordinator, facilitators, group)


def ascension_day_next_year() -> date:
    """A Thursday holiday always in the future: Ascension Day (helatorstai) next year."""
    return easter(utcnow().year + 1) + timedelta(days=39)


def series_form(world: World, **changes: Any) -> dict[str, Any]:
    """A valid series form: Thursdays 13:00-14:30, weekly, three meetings, from the week
    before Ascension Day next year, with every area's facilitator."""
    first = ascension_day_next_year() - timedelta(days=7)
    data: dict[str, Any] = {
        "rotation-0": world.areas[0].id, "rotation-1": world.areas[1].id,
        "rotation-2": world.areas[2].id,
        "weekday": 3, "first_date": first.isoformat(), "start_time": "13:00",
        "end_time": "14:30", "interval_weeks": 1, "count": 3, "until": "",
        "skip_holidays": "y", "facilitators": [u.id for u in world.facilitators.values()],
        "action": "preview",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
