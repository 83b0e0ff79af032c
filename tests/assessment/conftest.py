"""Fixtures for self-assessment: a course co-run by two areas, its coordinator and
facilitators, accepted participants with their private links, and a scale."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.courses.crypto import email_lookup_hash
from remote_groups.courses.models import Application
from remote_groups.courses.service import issue_status_link
from remote_groups.db_types import utcnow
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.people.models import Area, Role, User
from remote_groups.rules.capacity import Status


@dataclass
class Course:
    group: Group
    areas: list[Area]
    coordinator: User
    facilitators: list[User]
    outsider: User  # a coordinator of an area that does not co-run the course
    sessions: list[Session]
    tokens: dict[int, str] = field(default_factory=dict)  # application id -> status token


def participant(db_session: Any, course: Course, n: int, lang: str = "fi",
                status: Status = Status.ACCEPTED) -> tuple[Application, str]:
    """An accepted participant (invented) and the token of their private status link."""
    email = f"osallistuja{n}@example.com"
    application = Application(
        group=course.group, status=status, name=f"Osallistuja {n}",
        email=email, email_hash=email_lookup_hash(email), language=lang,
        home_area=course.areas[0], consent_at=utcnow(), applied_at=utcnow(),
    )
    db_session.add(application)
    db_session.flush()
    token = issue_status_link(application)
    course.tokens[application.id] = token
    return application, token


def shift_to_end(course: Course, db_session: Any) -> None:
    """Move the sessions so that the last one is today: the end assessment is open."""
    now = utcnow()
    for i, session in enumerate(reversed(course.sessions)):
        session.starts_at = now - timedelta(days=7 * i, hours=1)
        session.ends_at = session.starts_at + timedelta(hours=2)
    db_session.commit()


@pytest.fixture
def course(make: Any, db_session: Any) -> Course:
    west = make.area(code="lansi", name_fi="Länsi-Alue", name_sv="Västra området",
                     languages="fi,sv")
    north = make.area(code="pohjoinen", name_fi="Pohjois-Alue", name_sv="Norra området")
    other = make.area(code="muu", name_fi="Muu-Alue", name_sv="Annat område")
    group = make.group([west, north], kind=GroupKind.CLOSED, capacity=12,
                       title_fi="Jaksamisen kurssi", title_sv="Kurs i att orka",
                       title_en="Coping course")
    coordinator = make.user(west, role=Role.COORDINATOR, email="koordinaattori@example.com")
    facilitators = [make.user(west, email="ohjaaja1@example.com"),
                    make.user(north, email="ohjaaja2@example.com")]
    outsider = make.user(other, role=Role.COORDINATOR, email="muu@example.com")
    now = utcnow()
    sessions = [make.session_(group, starts_at=now + timedelta(days=2 + 7 * i), host=west,
                              facilitators=facilitators) for i in range(4)]
    db_session.commit()
    return Course(group, [west, north], coordinator, facilitators, outsider, sessions)
