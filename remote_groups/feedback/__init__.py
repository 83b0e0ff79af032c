"""Feedback: anonymous session feedback, course-end surveys, and the survey items."""

from __future__ import annotations

from typing import Any

from flask import Flask


def _staff_links(app: Flask, group: Any) -> list[tuple[str, str]]:
    from .views import facilitator_links

    return facilitator_links(group)


def init_app(app: Flask) -> None:
    from .. import signals
    from .views import bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    # The facilitators' own survey is linked from a course's staff pages.
    signals.course_staff_links.connect(_staff_links, sender=app)
