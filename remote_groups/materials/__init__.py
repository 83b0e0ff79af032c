"""The materials library: files and links staff share across areas, attached to groups
and sessions, and shown to participants (docs/materials.md)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .. import signals
    from .views import bp, public_bp, status_section

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    # Only the courses feature sends this; without courses nothing is connected to ask.
    signals.status_page_sections.connect(status_section, sender=app)
