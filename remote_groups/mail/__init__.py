"""Mail: the outbox, the worker that sends it, reminders, and the outbox page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import outbox_group, worker_command
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(worker_command)
    app.cli.add_command(outbox_group)
