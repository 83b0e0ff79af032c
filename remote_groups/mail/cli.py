"""`remote-groups worker` and `remote-groups outbox …`: sending the outbox, and purging it."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db


@click.command("worker")
@click.option("--once", is_flag=True, help="One pass and exit (for cron).")
@click.option("--interval", type=float, default=None,
              help="Seconds between passes [default: WORKER_POLL_SECONDS, 30].")
@with_appcontext
def worker_command(once: bool, interval: float | None) -> None:
    """Queue due reminders and send due mail from the outbox; retry what fails."""
    import signal
    from datetime import datetime

    from flask import current_app

    from ..transactions import run_unit_of_work
    from .reminders import queue_due_reminders
    from .worker import WorkerSettings, run_worker

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

    from ..sms.service import queue_due_texts

    def reminders(now: datetime) -> int:
        mails = run_unit_of_work(lambda: queue_due_reminders(now))
        return mails + run_unit_of_work(lambda: queue_due_texts(now))

    total = run_worker(settings, once=once, poll_interval=poll, before_pass=reminders,
                       should_stop=lambda: bool(stopping), sleep=nap)
    click.echo(f"claimed {total.claimed}, sent {total.sent}, retrying {total.retrying}, "
               f"failed {total.failed}")


@click.group("outbox")
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

    from ..db_types import utcnow
    from .models import OutboxMessage, OutboxStatus

    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            OutboxMessage.created_at < cutoff,
        )
    )
    db.session.commit()
    click.echo(f"Deleted {result.rowcount} messages older than {days} days.")  # type: ignore[attr-defined]
