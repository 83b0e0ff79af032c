"""Messages to a closed course's participants: a facilitator or coordinator writes once
(Finnish, Swedish or both), every accepted participant gets one mail of their own in their
language, with Reply-To the area's contact address, and sees the message on their private
status page. On only when closed courses are on."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .. import signals
    from ..courses import courses_enabled

    if not courses_enabled(app):
        return
    from . import service
    from .views import staff_bp, staff_links, status_section

    app.register_blueprint(staff_bp)
    signals.status_page_sections.connect(status_section, sender=app)
    signals.course_staff_links.connect(staff_links, sender=app)
    signals.application_exporting.connect(service.export_receipts, sender=app)
    signals.application_erasing.connect(service.erase_receipts, sender=app)
