"""Fixtures for the staff tests: two co-running areas with a facilitator each, one area
outside the group, and sessions ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.db_types import utcnow
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import Role


@dataclass
class Network:
    west: Any
    north: Any
    outside: Any
    group: Any
    anna: Any  # facilitator, west
    bertil: Any  # facilitator, north (writes in Swedish)
    west_session: Any  # hosted by west, day 3
    north_session: Any  # hosted by north, day 10


@pytest.fixture
def network(make: Any, db_session: Any) -> Network:
    west = make.area(code="west", name_fi="Länsi-alue", name_sv="Västra området")
    north = make.area(code="north", name_fi="Pohjoinen alue", name_sv="Norra området",
                      languages="fi,sv")
    outside = make.area(code="outside", name_fi="Ulkoalue", name_sv="Yttre området")
    anna = make.user(west, Role.FACILITATOR, email="anna.ohjaaja@example.com",
                     first_name="Anna", last_name="Ohjaaja")
    bertil = make.user(north, Role.FACILITATOR, email="bertil.handledare@example.com",
                       first_name="Bertil", last_name="Handledare", language="sv")
    group = make.group([west, north], title_fi="Hyvinvointiryhmä", title_sv="Välmåendegrupp")
    now = utcnow().replace(microsecond=0)
    west_session = make.session_(group, now + timedelta(days=3), host=west, facilitators=[anna])
    north_session = make.session_(group, now + timedelta(days=10), host=north,
                                  facilitators=[bertil])
    db_session.commit()
    return Network(west, north, outside, group, anna, bertil, west_session, north_session)


@pytest.fixture
def outbox(db_session: Any) -> Any:
    """`outbox()` lists queued messages as (recipient, ics_method, sequence or None, kind)."""
    import re

    def rows() -> list[tuple[str, str, int | None, str]]:
        result = []
        for m in db_session.query(OutboxMessage).order_by(OutboxMessage.id):
            found = re.search(r"^SEQUENCE:(\d+)", m.ics or "", re.M)
            result.append((m.recipient, m.ics_method, int(found.group(1)) if found else None,
                           m.kind))
        return result

    return rows
