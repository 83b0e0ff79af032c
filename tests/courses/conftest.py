"""Fixtures for closed courses: a course with its window open, sessions and facilitators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import Area, User


@dataclass
class Course:
    group: Group
    areas: list[Area]
    facilitator: User
    outsider: User  # a facilitator of an area that does not co-run the course
    sessions: list[Session]


@pytest.fixture
def course(make: Any, db_session: Any) -> Course:
    west = make.area(code="lansi", name_fi="Länsi-Alue", name_sv="Västra området",
                     languages="fi,sv")
    north = make.area(code="pohjoinen", name_fi="Pohjois-Alue", name_sv="Norra området")
    other = make.area(code="muu", name_fi="Muu-Alue", name_sv="Annat område")
    now = utcnow()
    group = make.group(
        [west, north], kind=GroupKind.CLOSED, capacity=2,
        title_fi="Mielen hyvinvoinnin kurssi", title_sv="Kurs i psykiskt välmående",
        title_en="Mental wellbeing course",
        applications_open_at=now - timedelta(days=1),
        applications_close_at=now + timedelta(days=10),
    )
    facilitator = make.user(west, first_name="Ohjaaja", last_name="Testinen",
                            email="ohjaaja@example.com")
    outsider = make.user(other, email="muu@example.com")
    sessions = [
        make.session_(group, starts_at=now + timedelta(days=14 + 7 * i), host=west,
                      facilitators=[facilitator])
        for i in range(3)
    ]
    db_session.commit()
    return Course(group, [west, north], facilitator, outsider, sessions)


def form_data(area: Area, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Testi Hakija", "email": "hakija@example.com", "phone": "040 000 0000",
        "home_area": str(area.id), "language": "fi",
        "motivation": "Haluan oppia jaksamaan paremmin arjessa.",
        "support_needs": "Tarvitsen taukoja ja tekstityksen.", "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def outbox(**where: Any) -> list[OutboxMessage]:
    from remote_groups.extensions import db

    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for key, value in where.items():
        query = query.where(getattr(OutboxMessage, key) == value)
    return list(db.session.scalars(query))


STATUS_LINK = re.compile(r"https?://\S+/(fi|sv|en)/my/([A-Za-z0-9_\-]{40,})")


def status_token(message: OutboxMessage) -> str:
    match = STATUS_LINK.search(message.body_text)
    assert match, "no private status link in the mail"
    return match.group(2)
