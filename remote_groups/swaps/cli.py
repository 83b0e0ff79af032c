"""`remote-groups swaps …`: swap requests from the command line (cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("swaps")
def swaps_group() -> None:
    """Swap requests between areas."""


@swaps_group.command("expire")
@with_appcontext
def expire_swaps() -> None:
    """Mark open swap requests whose earlier session has started as expired."""
    from ..transactions import run_unit_of_work
    from .service import expire_overdue

    click.echo(f"Expired {run_unit_of_work(expire_overdue)} swap request(s).")
