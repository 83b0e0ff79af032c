"""The exchange board between areas (offers, requests, answers, agreed exchanges) and the
balance report: who hosts for whom, and how evenly Finnish and Swedish are offered."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .balance import bp as balance_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(balance_bp)
