"""`remote-groups` commands: demo, serve and translations here; each feature adds its own from
its package (users, swaps, worker, outbox, courses) in its `init_app`; plus Flask's own (db
upgrade, routes)."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from .catalogs import translations_group


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Remote groups co-run by wellbeing services counties."""


@cli.command("demo", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Prepare the database and exit.")
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create or upgrade the SQLite demo database, seed it when empty, and serve."""
    from . import create_app
    from .demo import seed_demo

    os.environ.setdefault("RG_MODE", "demo")
    app = create_app({"RG_MODE": "demo", "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        upgrade()
        created = seed_demo()
    if created:
        click.echo("Demo data created. Staff sign-in (demo passwords):")
        for email, password in created:
            click.echo(f"  {email}  {password}")
    else:
        click.echo("Demo database already has data; left as it is.")
    if not no_serve:
        click.echo(f"Open http://{host}:{port}/")
        # Flask refuses app.run() inside its CLI; the development server it would use is this.
        run_simple(host, port, app, threaded=True)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn (production); configure with environment variables."""
    os.execvp(  # noqa: S606 - replaces this process with gunicorn, arguments are ours
        sys.executable,
        [
            sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}",
            "--workers", str(workers), "remote_groups.wsgi:app",
        ],
    )


cli.add_command(translations_group)


def main() -> None:
    cli()


if __name__ == "__main__":  # `python -m remote_groups.cli demo` as well as `remote-groups demo`
    main()
