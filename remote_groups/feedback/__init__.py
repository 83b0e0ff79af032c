"""Feedback: anonymous session feedback, course-end surveys, and the survey items."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .views import bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
