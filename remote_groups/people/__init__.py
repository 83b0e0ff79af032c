"""Areas and staff: sign-in, roles, access checks, the staff home, the `users` commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import users_group
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(users_group)
