"""Intake calls: before a course, each accepted participant meets a facilitator once.

A course can require an intake (`Group.intake_required`); its facilitators publish short
slots; an accepted participant books one through their private status link (or staff book
for them) and gets a calendar invitation with the call's own video room and dial-in number.
On only where closed courses are on (the status link and applications are theirs)."""

from __future__ import annotations

from typing import Any

from flask import Flask


def _export(app: Flask, application: Any) -> dict[str, Any]:
    from .service import export

    return export(application)


def _erase(app: Flask, application: Any, now: Any) -> None:
    from .service import erase

    erase(application, now)


def _leaving(app: Flask, application: Any, now: Any) -> None:
    from .service import participant_left

    participant_left(application, now)


def _busy(app: Flask, user_ids: Any, earliest: Any, latest: Any) -> Any:
    from .service import facilitators_busy

    return facilitators_busy(user_ids, earliest, latest)


def init_app(app: Flask) -> None:
    from ..courses import courses_enabled

    if not courses_enabled(app):
        return
    from .. import signals
    from .views import bp, course_staff_links, participant_columns, staff_bp, status_section

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    signals.status_page_sections.connect(status_section, sender=app)
    signals.participant_columns.connect(participant_columns, sender=app)
    signals.course_staff_links.connect(course_staff_links, sender=app)
    signals.application_exporting.connect(_export, sender=app)
    signals.application_erasing.connect(_erase, sender=app)
    signals.participant_leaving.connect(_leaving, sender=app)
    signals.facilitator_busy.connect(_busy, sender=app)
