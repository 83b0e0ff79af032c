"""How the features meet the app: each registers itself, answers other features through
signals bound to one app, and adds to the Content-Security-Policy only where it says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from remote_groups import create_app, csp, signals, web
from remote_groups.calendar import invites
from remote_groups.feedback.service import survey_recipients
from remote_groups.groups.models import Group, GroupKind, Session

PACKAGE = Path(__file__).resolve().parents[2] / "remote_groups"


@pytest.fixture
def without_courses(app: Flask) -> Flask:
    """A second app in the same process, with closed courses switched off."""
    return create_app({
        "RG_MODE": "test", "COURSES_ENABLED": "0",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    })


def test_without_courses_nobody_answers_for_participants_even_beside_an_app_with_them(
        app: Flask, without_courses: Flask) -> None:
    """Sources registered in a module-global list outlived the app that registered them;
    signals are connected per app."""
    course = Group(id=1, kind=GroupKind.CLOSED)
    with app.app_context():
        assert signals.answers(signals.course_survey_recipients, group=course) == [[]]
    with without_courses.app_context():
        assert survey_recipients(course) is None
        assert invites.participant_recipients(Session(id=1, group=course)) == []
        assert signals.answers(signals.session_participants, session=None) is None


def test_attendance_is_registered_by_itself_and_only_with_courses(
        app: Flask, without_courses: Flask) -> None:
    assert "attendance.session_attendance" in app.view_functions
    assert "courses.status" in app.view_functions
    assert "feedback.session_feedback" in without_courses.view_functions
    assert not any(e.split(".")[0] in {"attendance", "attendance_public", "courses"}
                   for e in without_courses.view_functions)
    assert "courses" not in without_courses.cli.commands
    assert {"users", "swaps", "worker", "outbox"} <= set(without_courses.cli.commands)


def test_every_feature_registers_itself_from_its_own_package() -> None:
    for feature in web.FEATURES:
        assert feature.init_app.__module__ == feature.__name__
    feedback = (PACKAGE / "feedback").rglob("*.py")
    assert not any("attendance" in p.read_text(encoding="utf-8") and "register_blueprint"
                   in p.read_text(encoding="utf-8") for p in feedback)


def test_the_join_page_alone_may_send_its_form_to_jitsi(app: Flask, client, make) -> None:
    session = make.session_(group=make.group())
    join = client.get(f"/fi/sessions/{session.id}/join").headers["Content-Security-Policy"]
    front = client.get("/fi/").headers["Content-Security-Policy"]
    assert front == csp.policy()
    jitsi = csp.origin(app.config["JITSI_BASE_URL"])
    assert join == csp.policy({"form-action": [jitsi]})
    assert f"form-action 'self' {jitsi}" in join and jitsi not in front


def test_the_policy_is_built_in_one_place() -> None:
    with pytest.raises(ValueError, match="script-scr"):
        csp.policy({"script-scr": ["https://cdn.example"]})  # a typo is refused, not ignored
    setting = re.compile(r"Content-Security-Policy\"\]\s*=|CONTENT_SECURITY_POLICY")
    elsewhere = [p.name for p in PACKAGE.rglob("*.py")
                 if p.name != "csp.py" and setting.search(p.read_text(encoding="utf-8"))]
    assert elsewhere == []
