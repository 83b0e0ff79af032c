"""Reports for staff: sessions, language balance, feedback and (with courses) applications."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..courses import courses_enabled
    from .views import bp

    app.register_blueprint(bp)
    app.extensions["rg_courses_in_reports"] = courses_enabled(app)
