"""`remote-groups` commands: demo, serve, users, translations …, plus Flask's own (db upgrade,
routes)."""

from __future__ import annotations

import os
import secrets
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import run_simple

from .catalogs import translations_group
from .extensions import db
from .people.models import Area, FacilitatorKind, Role, User


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
    from .links import served_at

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
        from .people.reference import load_reference_areas

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
    for area in db.session.scalars(select(Area).order_by(Area.code)):
        state = "" if area.active else "  (inactive)"
        click.echo(f"{area.code:20} {area.languages:6} {area.name_fi}{state}")


@cli.group("users")
def users_group() -> None:
    """Staff accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.option("--area", "area_code", required=True, help="Area code, e.g. lansi-uusimaa")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.FACILITATOR.value)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in FacilitatorKind]),
    default=FacilitatorKind.PROFESSIONAL.value,
)
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="fi")
@click.option("--password", help="Leave out to generate one.")
@with_appcontext
def create_user(
    email: str, first_name: str, last_name: str, area_code: str, role: str, kind: str,
    language: str, password: str | None,
) -> None:
    """Create a staff account and print its password once."""
    area = db.session.scalar(select(Area).where(Area.code == area_code))
    if area is None:
        raise click.ClickException(
            f"No area with code {area_code!r}. Run `remote-groups setup` to load the areas, "
            "and `remote-groups areas` to list their codes.")
    if db.session.scalar(select(User).where(User.email == email.strip().lower())):
        raise click.ClickException("A user with that e-mail address exists already.")
    password = password or secrets.token_urlsafe(12)
    user = User(
        email=email, first_name=first_name, last_name=last_name, area=area, role=Role(role),
        facilitator_kind=FacilitatorKind(kind) if role == Role.FACILITATOR else None,
        language=language,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    from .audit import record

    record("user.create", actor=None, subject="user", subject_id=user.id,
           changes={"role": [None, role], "area": [None, area.code]})
    db.session.commit()
    click.echo(f"Created {user.email} ({role}, {area.code}). Password: {password}")


def _add_app_commands() -> None:
    """Commands that features register on the app, added here too so they are listed and
    their --help works without building the app (which needs the settings)."""
    from flask_migrate.cli import db as migrate_db

    from .courses.cli import courses_group

    @click.group("db")
    def db_group() -> None:
        """Perform database migrations (Flask-Migrate; `setup` runs `db upgrade` for you)."""

    # Flask-Migrate's own group builds the app before a subcommand's --help; its
    # subcommands each build it when they run, which is all they need.
    for name, command in migrate_db.commands.items():
        db_group.add_command(command, name)
    cli.add_command(db_group)
    cli.add_command(courses_group)


@cli.group("swaps")
def swaps_group() -> None:
    """Swap requests between areas."""


@swaps_group.command("expire")
@with_appcontext
def expire_swaps() -> None:
    """Mark open swap requests whose earlier session has started as expired."""
    from .swaps.service import expire_overdue
    from .transactions import run_unit_of_work

    click.echo(f"Expired {run_unit_of_work(expire_overdue)} swap request(s).")


@cli.command("worker")
@click.option("--once", is_flag=True, help="One pass and exit (for cron).")
@click.option("--interval", type=float, default=None,
              help="Seconds between passes [default: WORKER_POLL_SECONDS, 30].")
@with_appcontext
def worker_command(once: bool, interval: float | None) -> None:
    """Queue due reminders and send due mail from the outbox; retry what fails."""
    import signal

    from flask import current_app

    from .mail.reminders import queue_due_reminders
    from .mail.worker import WorkerSettings, run_worker

    settings = WorkerSettings.from_config(current_app.config)
    poll = interval if interval is not None else float(current_app.config["WORKER_POLL_SECONDS"])
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)  # finish the message in hand, then exit

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def nap(seconds: float) -> None:
        # Sleep in short steps so SIGTERM ends the loop promptly.
        import time

        end = time.monotonic() + seconds
        while not stopping and time.monotonic() < end:
            time.sleep(min(0.5, end - time.monotonic()))

    total = run_worker(settings, once=once, poll_interval=poll, before_pass=queue_due_reminders,
                       should_stop=lambda: bool(stopping), sleep=nap)
    click.echo(f"claimed {total.claimed}, sent {total.sent}, retrying {total.retrying}, "
               f"failed {total.failed}")


@cli.group("outbox")
def outbox_group() -> None:
    """The mail outbox."""


@outbox_group.command("purge")
@click.option("--days", type=click.IntRange(min=2), default=30, show_default=True,
              help="Delete sent and failed messages created more than this many days ago.")
@with_appcontext
def outbox_purge(days: int) -> None:
    """Delete old sent and failed messages: their bodies hold people's addresses.

    Waiting messages are never deleted. At least 2 days, so the reminder keys that stop a
    reminder from being queued twice outlive the reminders' 24-hour window."""
    from datetime import timedelta

    from sqlalchemy import delete

    from .db_types import utcnow
    from .mail.models import OutboxMessage, OutboxStatus

    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            OutboxMessage.created_at < cutoff,
        )
    )
    db.session.commit()
    click.echo(f"Deleted {result.rowcount} messages older than {days} days.")  # type: ignore[attr-defined]


_add_app_commands()
cli.add_command(translations_group)


def main() -> None:
    cli()


if __name__ == "__main__":  # `python -m remote_groups.cli demo` as well as `remote-groups demo`
    main()
