"""Areas and staff: sign-in, roles, access checks, the staff home, staff accounts and areas
from the web, the audit log page, the `users` commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .admin_views import bp as admin_bp
    from .cli import users_group
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)  # staff accounts, areas, the audit log
    app.cli.add_command(users_group)
