"""Co-run series: planning and editing them, and the public rotation view."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .rotation_views import bp as rotation_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(rotation_bp)
