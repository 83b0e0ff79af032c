"""Closed courses: applications, seats, private links and data care.

Courses are on by default in test and demo mode. In production they are on when DATA_KEY is
set, or when COURSES_ENABLED=1 asks for them, in which case a missing DATA_KEY stops the app
from starting: applicants' texts must never be stored without their key. When on, they
answer the calendar's and the feedback feature's questions about participants (signals)."""

from __future__ import annotations

from typing import Any

from flask import Flask


def courses_enabled(app: Flask) -> bool:
    setting = str(app.config.get("COURSES_ENABLED", "auto")).strip().lower()
    if setting in {"0", "false", "no", "off"}:
        return False
    if setting in {"1", "true", "yes", "on"}:
        return True
    return app.config.get("RG_MODE") in {"test", "demo"} or bool(app.config.get("DATA_KEY"))


def _session_participants(app: Flask, session: Any) -> list[Any]:
    from .service import participant_recipients

    return participant_recipients(session)


def _course_survey_recipients(app: Flask, group: Any) -> list[tuple[str, str]]:
    from .service import accepted_participants

    return accepted_participants(group)


def init_app(app: Flask) -> None:
    if not courses_enabled(app):
        return
    from .. import signals
    from .cli import courses_group
    from .crypto import data_secret
    from .views import bp, needs_columns, staff_bp

    data_secret(app.config)  # raises ConfigError in production without DATA_KEY
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.cli.add_command(courses_group)
    signals.session_participants.connect(_session_participants, sender=app)
    signals.course_survey_recipients.connect(_course_survey_recipients, sender=app)
    signals.participant_columns.connect(needs_columns, sender=app)
