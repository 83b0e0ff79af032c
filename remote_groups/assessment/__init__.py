"""Start and end self-assessment of a closed course: the course's scale (coordinators), the
participants' answers through their private link, paired by a pseudonym, and the course's
average change per item (docs/assessment.md). On when closed courses are on."""

from __future__ import annotations

from typing import Any

from flask import Flask


def _status_section(app: Flask, application: Any, token: str, now: Any) -> Any:
    from .views import status_section

    return status_section(application, token, now)


def _erasing(app: Flask, application: Any, now: Any) -> None:
    from .service import erase

    erase(application.id)


def _exporting(app: Flask, application: Any) -> dict[str, Any]:
    from .service import export

    return export(application.id)


def _staff_links(app: Flask, group: Any) -> list[tuple[str, str]]:
    from .views import course_links

    return course_links(group)


def init_app(app: Flask) -> None:
    from .. import signals
    from ..courses import courses_enabled

    if not courses_enabled(app):
        return
    from .views import bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    signals.status_page_sections.connect(_status_section, sender=app)
    signals.application_erasing.connect(_erasing, sender=app)
    signals.application_exporting.connect(_exporting, sender=app)
    signals.course_staff_links.connect(_staff_links, sender=app)
