"""`remote-groups` commands: setup, areas, demo, serve and translations here; each feature
keeps its own in its package (users, swaps, worker, outbox, courses), registered on this group
too, so that listing them and their --help need no settings; plus Flask's own (db, routes)."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import run_simple

from .catalogs import translations_group


def _create_app() -> Flask:
    """The app for commands that need one. A missing setting is one line naming it (click
    prints "Error: SECRET_KEY is not set. …"), not a traceback."""
    from . import create_app
    from .config import ConfigError

    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


class RemoteGroupsCLI(FlaskGroup):
    """Flask's command group, except that listing and finding commands never builds the app:
    every command is registered on this group, so `--help` works before any setting is made
    (a newcomer's first step) and lists all commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(click.Group.list_commands(self, ctx))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load_plugin_commands()
        return click.Group.get_command(self, ctx, name)


@click.group(cls=RemoteGroupsCLI, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Remote groups co-run by wellbeing services counties.

    First installation: set the environment (see README), then `remote-groups setup` and
    `remote-groups users create … --role admin`."""


@cli.command("demo", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Prepare the database and exit.")
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create or upgrade the SQLite demo database, seed it when empty, and serve."""
    from . import create_app
    from .demo import seed_demo
    from .extensions import db
    from .links import served_at
    from .people.reference import load_reference_areas

    os.environ.setdefault("RG_MODE", "demo")
    # Links in mails and calendars point at the port actually served (0.0.0.0 listens on every
    # address; a browser on this machine reaches it as 127.0.0.1).
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    base_url = f"http://{shown_host}:{port}"
    app = create_app({"RG_MODE": "demo", "SESSION_COOKIE_SECURE": False,
                      **served_at(base_url)})
    with app.app_context():
        upgrade()
        created = seed_demo()
        load_reference_areas()  # the rest of the counties, as `setup` would add them
        db.session.commit()
    if created:
        click.echo("Demo data created. Staff sign-in (demo passwords):")
        for email, password in created:
            click.echo(f"  {email}  {password}")
    else:
        click.echo("Demo database already has data; left as it is.")
    if not no_serve:
        click.echo(f"Open {base_url}/")
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


@cli.command("setup")
@with_appcontext
def setup_command() -> None:
    """Create or upgrade the schema and load the reference areas (safe to run again).

    The areas are Finland's 21 wellbeing services counties and the City of Helsinki; areas
    already there, and an admin's edits to them, are left as they are."""
    from .extensions import db
    from .people.models import Area, Role, User
    from .people.reference import load_reference_areas

    upgrade()
    added = load_reference_areas()
    db.session.commit()
    total = db.session.scalar(select(func.count()).select_from(Area))
    click.echo(f"Schema up to date. Areas added: {len(added)}; areas in all: {total}.")
    if not db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)):
        click.echo("No admin yet: remote-groups users create --email … --first-name … "
                   "--last-name … --area helsinki --role admin")


@cli.command("areas")
@with_appcontext
def areas_command() -> None:
    """List the areas with their codes (for `users create --area`)."""
    from .extensions import db
    from .people.models import Area

    for area in db.session.scalars(select(Area).order_by(Area.code)):
        state = "" if area.active else "  (inactive)"
        click.echo(f"{area.code:20} {area.languages:6} {area.name_fi}{state}")


def _add_feature_commands() -> None:
    """The features' commands (and Flask-Migrate's), added here too so they are listed and
    their --help works without building the app (which needs the settings)."""
    from flask_migrate.cli import db as migrate_db  # type: ignore[import-not-found]

    from .courses.cli import courses_group
    from .mail.cli import outbox_group, worker_command
    from .people.cli import users_group
    from .swaps.cli import swaps_group

    @click.group("db")
    def db_group() -> None:
        """Perform database migrations (Flask-Migrate; `setup` runs `db upgrade` for you)."""

    # Flask-Migrate's own group builds the app before a subcommand's --help; its
    # subcommands each build it when they run, which is all they need.
    for name, command in migrate_db.commands.items():
        db_group.add_command(command, name)
    for command in (db_group, courses_group, outbox_group, worker_command, users_group,
                    swaps_group, translations_group):
        cli.add_command(command)


_add_feature_commands()


def main() -> None:
    cli()


if __name__ == "__main__":  # `python -m remote_groups.cli demo` as well as `remote-groups demo`
    main()
