"""Seat offers with a deadline (issue 18): a freed seat on a course is offered to the first on
the waiting list, who accepts or declines it through their private link before the deadline
(`SEAT_OFFER_HOURS`, 48 by default); unanswered, `remote-groups offers expire` (cron) passes it
to the next person. On when closed courses are on."""

from __future__ import annotations

from typing import Any

from flask import Flask


def _status_section(app: Flask, application: Any, token: str, now: Any) -> Any:
    from .views import status_section

    return status_section(application, token, now)


def _exporting(app: Flask, application: Any) -> dict[str, Any]:
    from .service import export_offers

    return export_offers(application)


def _erasing(app: Flask, application: Any, now: Any) -> None:
    from .service import erase_offers

    erase_offers(application)


def init_app(app: Flask) -> None:
    from ..courses import courses_enabled

    if not courses_enabled(app):
        return
    from .. import signals
    from .cli import offers_group
    from .views import bp, staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.cli.add_command(offers_group)
    signals.status_page_sections.connect(_status_section, sender=app)
    signals.application_exporting.connect(_exporting, sender=app)
    signals.application_erasing.connect(_erasing, sender=app)
