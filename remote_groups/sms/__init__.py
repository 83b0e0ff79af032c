"""Text messages by consent (docs/sms.md): course applicants choose reminders by text, e-mail
or both on the application form and later on their status page; open-group visitors ask for
a text reminder with only a number; texts go through the mail outbox (channel "sms") to the
provider in sms/provider.py. Without SMS_PROVIDER, SMS_API_TOKEN and SMS_SENDER nothing is
offered and nothing breaks."""

from __future__ import annotations

from typing import Any

from flask import Flask


def _erasing(app: Flask, application: Any, now: Any) -> None:
    from .service import erase

    erase(application)


def _exporting(app: Flask, application: Any) -> dict[str, Any]:
    from .service import export

    return export(application)


def _decided(app: Flask, application: Any, decision: str) -> None:
    from ..db_types import utcnow
    from .service import on_decided

    on_decided(application, decision, utcnow())


def _reminders_chosen(app: Flask, application: Any, way: str, mobile: str, now: Any) -> None:
    from .models import ReminderWay
    from .service import save_choice, texts_enabled

    if texts_enabled():  # switched off since the form was sent: e-mail stays as chosen
        save_choice(application, ReminderWay(way), mobile, now)


def _session_changed(app: Flask, session: Any, cancelled: bool, moved_from: Any) -> None:
    from ..db_types import utcnow
    from .service import on_session_changed

    on_session_changed(session, cancelled=cancelled, moved_from=moved_from, now=utcnow())


def _survey_link(app: Flask, group: Any, email: str, language: str, url: str) -> None:
    from ..db_types import utcnow
    from .service import on_survey_link

    on_survey_link(group, email, language, url, utcnow())


def init_app(app: Flask) -> None:
    from .. import signals
    from .views import bp, status_section

    app.register_blueprint(bp)
    signals.application_erasing.connect(_erasing, sender=app)
    signals.application_exporting.connect(_exporting, sender=app)
    signals.status_page_sections.connect(status_section, sender=app)
    signals.application_decided.connect(_decided, sender=app)
    signals.application_reminders_chosen.connect(_reminders_chosen, sender=app)
    signals.session_changed.connect(_session_changed, sender=app)
    signals.course_survey_link_sent.connect(_survey_link, sender=app)
