"""Attendance on closed courses: marks, follow-up calls, and notice of absence. Needs
closed courses (participants are applications), so it is on only when they are."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..courses import courses_enabled

    if not courses_enabled(app):
        return
    from .views import bp, public_bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
