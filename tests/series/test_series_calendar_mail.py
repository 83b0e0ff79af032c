"""Series changes reach calendars: invites, updates and cancellations land in the outbox."""

from __future__ import annotations

from datetime import time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from remote_groups.db_types import utcnow
from remote_groups.i18n import local_time
from remote_groups.mail.models import OutboxMessage
from remote_groups.rules.rotation import SeriesSpec
from remote_groups.series import service


def outbox(db_session):
    return [(m.kind, m.recipient) for m in
            db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_a_new_series_invites_each_hosts_facilitators(world, db_session):
    first = local_time(utcnow()).date() + timedelta(days=1)
    spec = SeriesSpec(host_order=tuple(a.id for a in world.areas), weekday=first.weekday(),
                      start_time=time(10), duration=timedelta(hours=1), interval_weeks=1,
                      first_date=first, count=3, skip_holidays=False)
    service.save_series(world.group, spec, list(world.facilitators.values()), utcnow())
    db_session.commit()
    assert outbox(db_session) == [("invite", world.facilitators[a.id].email)
                                  for a in world.areas]


def test_an_edit_updates_future_sessions_and_leaves_the_past_alone(world, db_session):
    now = utcnow()
    first = local_time(now).date() - timedelta(days=8)  # met 8 and 1 days ago; 6 and 13 ahead
    spec = SeriesSpec(host_order=tuple(a.id for a in world.areas), weekday=first.weekday(),
                      start_time=time(8), duration=timedelta(hours=1), interval_weeks=1,
                      first_date=first, count=4, skip_holidays=False)
    service.save_series(world.group, spec, list(world.facilitators.values()), now)
    db_session.query(OutboxMessage).delete()
    moved = SeriesSpec(**{**spec.__dict__, "start_time": time(9)})
    _, changed = service.save_series(world.group, moved, list(world.facilitators.values()), now)
    db_session.commit()
    messages = db_session.scalars(select(OutboxMessage)).all()
    assert changed == 2 and {m.kind for m in messages} == {"update"}
    a, _b, c = (world.facilitators[area.id].email for area in world.areas)
    assert sorted(m.recipient for m in messages) == sorted([c, a])  # B hosted only the past
    sequences = {str(Calendar.from_ical(m.ics).walk("VEVENT")[0]["SEQUENCE"]) for m in messages}
    assert sequences == {"1"}


def test_host_change_updates_the_new_facilitator_and_cancels_the_old(world, make, db_session):
    a, b = world.areas[:2]
    session = make.session_(group=world.group, host=a, facilitators=[world.facilitators[a.id]])
    service.change_host(session, b.id, [world.facilitators[b.id]])
    db_session.commit()
    # The new facilitator's first message is an invitation; the old one's copy of the
    # session (which goes on) is cancelled for them alone.
    assert sorted(outbox(db_session)) == sorted([
        ("invite", world.facilitators[b.id].email), ("removed", world.facilitators[a.id].email)])


def test_cancelling_twice_sends_one_cancellation(world, make, db_session):
    a = world.areas[0]
    session = make.session_(group=world.group, host=a, facilitators=[world.facilitators[a.id]])
    service.cancel_session(session)
    service.cancel_session(session)
    db_session.commit()
    assert outbox(db_session) == [("cancel", world.facilitators[a.id].email)]
    assert session.sequence == 1
