"""Calendars: iCalendar built from plain data, the public feeds, and the invites."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .views import bp

    app.register_blueprint(bp)
