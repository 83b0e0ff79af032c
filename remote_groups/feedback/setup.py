"""Wiring feedback, reports and attendance into an app, and to closed courses when they are
switched on (courses are optional: without DATA_KEY in production they are off)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from ..extensions import db
from ..groups.models import Group
from .service import register_survey_recipients


def accepted_participants(group: Group) -> list[tuple[str, str]]:
    """The course-end survey goes to accepted participants whose data is not erased."""
    from ..courses.models import Application
    from ..rules.capacity import Status

    rows = db.session.execute(
        select(Application.email, Application.language).where(
            Application.group_id == group.id, Application.status == Status.ACCEPTED,
            Application.erased_at.is_(None), Application.email != "",
        ).order_by(Application.id)
    )
    return [(email, language) for email, language in rows]


def init_feedback(app: Flask) -> None:
    """Call after `init_courses(app)`."""
    from ..courses.setup import courses_enabled
    from ..reports.views import bp as reports_bp
    from .views import bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(reports_bp)
    app.extensions["rg_courses_in_reports"] = courses_enabled(app)
    if courses_enabled(app):
        register_survey_recipients(accepted_participants)
        from ..attendance.views import bp as attendance_bp
        from ..attendance.views import public_bp as attendance_public_bp

        app.register_blueprint(attendance_bp)
        app.register_blueprint(attendance_public_bp)
