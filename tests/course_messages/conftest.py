"""A course with three accepted participants (Finnish, Swedish, English) and an area
contact address, for the messages tests. Reuses the closed-course fixtures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from remote_groups.courses.models import Application

from ..courses.conftest import Course, course, form_data, outbox, status_token  # noqa: F401

CONTACT = "yhteys@lansi.example.fi"


@dataclass
class Accepted:
    course: Course
    people: dict[str, Application]  # by language
    tokens: dict[str, str]  # private status tokens by language


@pytest.fixture
def accepted(course: Course, client: Any, login: Any, db_session: Any) -> Accepted:  # noqa: F811
    course.areas[0].contact_email = CONTACT
    course.group.capacity = 5
    db_session.commit()
    tokens = {}
    for lang in ("fi", "sv", "en"):
        email = f"osallistuja-{lang}@example.com"
        client.post(f"/{lang}/courses/{course.group.id}/apply",
                    data=form_data(course.areas[0], email=email, language=lang,
                                   name=f"Osallistuja {lang.upper()}"))
        tokens[lang] = status_token(outbox(kind="course_application", recipient=email)[-1])
    # Someone still waiting for a decision gets no message.
    client.post(f"/fi/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], email="odottaa@example.com"))
    login(course.facilitator)
    people = {}
    for lang in ("fi", "sv", "en"):
        application = db_session.scalar(select(Application).where(
            Application.email == f"osallistuja-{lang}@example.com"))
        client.post(f"/fi/staff/courses/{course.group.id}/applications/{application.id}"
                    "/decision", data={"decision": "accept"})
        people[lang] = application
    return Accepted(course, people, tokens)
