"""Fixtures for intake calls: the courses' `course` with intake on, accepted participants
with their private status links, and published slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import icalendar
import pytest

from remote_groups.courses import service as courses
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.intake import service
from remote_groups.intake.models import IntakeSlot
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import User
from remote_groups.rules.capacity import Decision

from ..courses.conftest import Course, course, outbox  # noqa: F401 (fixture)


@dataclass
class Participant:
    application: Application
    token: str

    @property
    def status_url(self) -> str:
        return f"/{self.application.language}/my/{self.token}"


def accept(on: Course, email: str, *, lang: str = "fi", name: str = "Testi Hakija",
           by: User | None = None) -> Participant:
    details = courses.ApplicantDetails(
        name=name, email=email, phone="", home_area_id=on.areas[0].id, language=lang,
        motivation="Haluan mukaan.", support_needs="")
    submitted = courses.submit_application(on.group, details, utcnow())
    assert submitted.status_token
    courses.decide_application(on.group.id, submitted.application.id, Decision.ACCEPT, "",
                               by or on.facilitator, utcnow())
    return Participant(submitted.application, submitted.status_token)


def publish(on: Course, *, days: int = 3, count: int = 3, minutes: int = 30,
            facilitator: User | None = None) -> list[IntakeSlot]:
    """Slots on one morning, `days` ahead, back to back (10.00 Helsinki = 08.00 UTC)."""
    first = (utcnow() + timedelta(days=days)).replace(hour=8, minute=0, second=0,
                                                      microsecond=0)
    planned = [(first + timedelta(minutes=minutes * n),
                first + timedelta(minutes=minutes * (n + 1))) for n in range(count)]
    added = service.add_slots(on.group, facilitator or on.facilitator, planned)
    assert not added.clashes
    return added.slots


@pytest.fixture
def intake(course: Course, db_session: Any) -> Course:  # noqa: F811
    """The course with intake calls on and three free slots three days ahead."""
    course.group.intake_required = True
    publish(course)
    db_session.commit()
    return course


def calendar_of(message: OutboxMessage) -> Any:
    """The single VEVENT of the message's calendar part, with the METHOD."""
    cal = icalendar.Calendar.from_ical(message.ics)
    [event] = cal.walk("VEVENT")
    return str(cal["METHOD"]), event


def intake_mails(**where: Any) -> list[OutboxMessage]:
    return [m for m in outbox(**where) if m.kind.startswith("intake_")]
