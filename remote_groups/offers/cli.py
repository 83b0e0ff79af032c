"""`remote-groups offers expire`: the periodic step that passes unanswered offers on (cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("offers")
def offers_group() -> None:
    """Seat offers on courses."""


@offers_group.command("expire")
@with_appcontext
def expire_command() -> None:
    """Offers past their deadline lapse; each seat goes to the next on the waiting list.
    Safe to run again and again (every few minutes from cron)."""
    from ..db_types import utcnow
    from ..transactions import run_unit_of_work
    from . import service
    from .models import SeatOffer

    now = utcnow()
    expired = made = 0
    def expire_one(offer_id: int) -> list[SeatOffer] | None:
        return run_unit_of_work(lambda: service.expire(offer_id, now))

    for offer_id in service.due_offer_ids(now):  # each in its own short transaction
        following = expire_one(offer_id)
        if following is not None:
            expired += 1
            made += len(following)
    click.echo(f"expired {expired}, offered {made}")
