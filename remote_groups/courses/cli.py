"""`remote-groups courses purge`: erase applicants' data after the retention time (cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db_types import utcnow
from ..extensions import db
from . import service


@click.group("courses")
def courses_group() -> None:
    """Closed courses: applicants' data."""


@courses_group.command("purge")
@click.option("--days", type=int, default=None,
              help="Days after a course ends; default RETENTION_DAYS (30).")
@with_appcontext
def purge_command(days: int | None) -> None:
    """Anonymise applications of courses that ended at least RETENTION_DAYS ago."""
    from . import courses_enabled

    if not courses_enabled(current_app):
        setting = ("DATA_KEY is not set" if str(current_app.config["COURSES_ENABLED"]).lower()
                   == "auto" else "COURSES_ENABLED is off")
        raise click.ClickException(f"{setting}: closed courses are off, nothing to purge.")
    retention = days if days is not None else int(current_app.config["RETENTION_DAYS"])
    count = service.purge_expired(utcnow(), retention)
    db.session.commit()
    click.echo(f"Anonymised {count} applications.")
