"""A small national scene for the open-data tests: three areas, an open group co-run by two
of them, a course with applications, a Swedish group, and sessions before and after now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from remote_groups.api.openapi import describe
from remote_groups.groups.models import (
    Group,
    GroupKind,
    InstructionLanguage,
    Session,
    SessionStatus,
    Theme,
)
from remote_groups.people.models import Area


@dataclass
class Scene:
    west: Area
    karelia: Area
    ostro: Area
    open_group: Group
    course: Group
    swedish: Group
    past: Session
    next_open: Session
    cancelled: Session
    course_session: Session
    swedish_session: Session


@pytest.fixture
def scene(make: Any, db_session: Any) -> Scene:
    west = make.area(code="lansi-uusimaa", name_fi="Länsi-Uusimaa", name_sv="Västra Nyland",
                     languages="fi,sv")
    karelia = make.area(code="pohjois-karjala", name_fi="Pohjois-Karjala",
                        name_sv="Norra Karelen")
    ostro = make.area(code="pohjanmaa", name_fi="Pohjanmaa", name_sv="Österbotten",
                      languages="sv,fi")
    facilitator = make.user(area=west, first_name="Aino", last_name="Salainen",
                            email="aino.salainen@example.com")
    open_group = make.group(areas=[west, karelia], theme=Theme.EXERCISE,
                            title_fi="Liikettä arkeen", title_sv="Rörelse i vardagen",
                            title_en="", description_fi="Liikumme yhdessä.")
    now = datetime.now(UTC).replace(microsecond=0)
    course = make.group(areas=[karelia], kind=GroupKind.CLOSED, theme=Theme.WORK_ABILITY,
                        title_fi="Työkyky ja arki", capacity=6,
                        applications_open_at=now - timedelta(days=2),
                        applications_close_at=now + timedelta(days=5))
    swedish = make.group(areas=[ostro], theme=Theme.CULTURE,
                         instruction_language=InstructionLanguage.SV,
                         title_fi="", title_sv="Kulturstund")
    day = timedelta(days=1)
    past = make.session_(group=open_group, starts_at=now - 7 * day, host=west)
    next_open = make.session_(group=open_group, starts_at=now + day, host=karelia,
                              facilitators=[facilitator], topic_fi="Venyttely",
                              topic_sv="Stretching")
    cancelled = make.session_(group=open_group, starts_at=now + 8 * day, host=west,
                              status=SessionStatus.CANCELLED)
    course_session = make.session_(group=course, starts_at=now + 2 * day)
    swedish_session = make.session_(group=swedish, starts_at=now + 3 * day)
    db_session.commit()
    return Scene(west, karelia, ostro, open_group, course, swedish, past, next_open,
                 cancelled, course_session, swedish_session)


@pytest.fixture(scope="session")
def openapi(app: Any) -> dict[str, Any]:
    with app.test_request_context("/"):
        return describe(app)


@pytest.fixture(scope="session")
def conforms(openapi: dict[str, Any]) -> Any:
    """`conforms(path_template, body)`: the body matches the 200 schema that the OpenAPI
    description gives for GET on that path (references resolved in the description)."""
    def check(path: str, body: Any) -> None:
        schema = openapi["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        # `#/components/...` references resolve inside the document they appear in.
        schema = {**schema, "components": openapi["components"]}
        validator = Draft202012Validator(schema,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    return check
