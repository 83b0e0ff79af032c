"""Groups and their sessions: the public pages (front page, group, join, statements)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .public_views import bp
    from .versions import init_listeners

    init_listeners()

    app.register_blueprint(bp)
