"""Swap requests between areas: propose, answer, history, and the `swaps` commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import swaps_group
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(swaps_group)
