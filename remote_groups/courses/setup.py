"""Wiring the closed-courses feature into an app: blueprints, the calendar's participant
source, the `courses` commands, and the data-key check.

Courses are on by default in test and demo mode. In production they are on when DATA_KEY is
set, or when COURSES_ENABLED=1 asks for them, in which case a missing DATA_KEY stops the app
from starting: applicants' texts must never be stored without their key."""

from __future__ import annotations

from flask import Flask

from ..calendar import invites
from .crypto import data_secret


def courses_enabled(app: Flask) -> bool:
    setting = str(app.config.get("COURSES_ENABLED", "auto")).strip().lower()
    if setting in {"0", "false", "no", "off"}:
        return False
    if setting in {"1", "true", "yes", "on"}:
        return True
    return app.config.get("RG_MODE") in {"test", "demo"} or bool(app.config.get("DATA_KEY"))


def init_courses(app: Flask) -> None:
    if not courses_enabled(app):
        return
    data_secret(app.config)  # raises ConfigError in production without DATA_KEY
    from ..video.dialin import format_pin
    from . import labels, service
    from .cli import courses_group
    from .views import bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    invites.register_participant_source(service.participant_recipients)
    app.cli.add_command(courses_group)
    app.jinja_env.globals.update(
        application_status_name=labels.status_name,
        application_status_help=labels.status_help,
        format_pin=format_pin,
        courses_enabled=True,
    )
