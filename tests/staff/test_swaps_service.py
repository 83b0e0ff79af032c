"""Swaps against the database: the change, the calendars, the audit log and the refusals."""

from __future__ import annotations

from datetime import timedelta

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Session, SessionStatus
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import Role
from remote_groups.swaps import service
from remote_groups.swaps.models import AuditEntry, SwapRequest, SwapStatus


def test_accepted_exchange_swaps_hosts_and_updates_both_calendars(network, db_session, outbox):
    n = network
    request = service.propose_exchange(n.anna, n.west_session, n.north_session,
                                       "Meillä on koulutuspäivä.").request
    outcome = service.accept(request.id, n.bertil, "Sopii!")
    assert outcome.ok, outcome.problems
    db_session.expire_all()
    west, north = db_session.get(Session, n.west_session.id), db_session.get(Session,
                                                                             n.north_session.id)
    assert (west.host_area_id, [u.id for u in west.facilitators]) == (n.north.id, [n.bertil.id])
    assert (north.host_area_id, [u.id for u in north.facilitators]) == (n.west.id, [n.anna.id])
    assert west.sequence == north.sequence == 1
    rows = outbox()
    # Each facilitator: one message, their calendar entry with the session they now run (an
    # invitation: their first message about it), not a CANCEL and a REQUEST; the proposer
    # is told the answer.
    assert ("bertil.handledare@example.com", "REQUEST", 0, "invite") in rows
    assert ("anna.ohjaaja@example.com", "REQUEST", 0, "invite") in rows
    assert [r for r in rows if r[1] == "CANCEL"] == []
    answer = db_session.query(OutboxMessage).filter_by(kind="swap_answer").one()
    assert answer.recipient == "anna.ohjaaja@example.com"
    assert "Bertil Handledare" in answer.body_text and "Sopii!" in answer.body_text
    audit = db_session.query(AuditEntry).filter_by(session_id=west.id).one()
    assert (audit.asked_by_id, audit.answered_by_id) == (n.anna.id, n.bertil.id)
    assert (audit.host_before_id, audit.host_after_id) == (n.west.id, n.north.id)
    assert (audit.facilitators_before, audit.facilitators_after) == ([n.anna.id], [n.bertil.id])


def test_exchange_refused_when_a_session_changed_after_the_proposal(network, db_session,
                                                                    outbox):
    n = network
    request = service.propose_exchange(n.anna, n.west_session, n.north_session).request
    n.north_session.starts_at += timedelta(hours=1)
    n.north_session.ends_at += timedelta(hours=1)
    n.north_session.bump_sequence()
    db_session.commit()
    outcome = service.accept(request.id, n.bertil)
    assert outcome.problems == ("rescheduled",)
    db_session.expire_all()
    assert db_session.get(Session, n.west_session.id).host_area_id == n.west.id
    assert db_session.get(SwapRequest, request.id).status == SwapStatus.PROPOSED
    assert [r for r in outbox() if r[3] != "swap_request"] == []


def test_exchange_refused_when_a_session_was_cancelled(network, db_session):
    n = network
    request = service.propose_exchange(n.anna, n.west_session, n.north_session).request
    n.west_session.status = SessionStatus.CANCELLED
    db_session.commit()
    assert "cancelled" in service.accept(request.id, n.bertil).problems


def test_exchange_refused_when_the_taker_is_busy_then(network, make, db_session):
    n = network
    other_group = make.group([n.north])
    make.session_(other_group, n.west_session.starts_at + timedelta(minutes=30),
                  host=n.north, facilitators=[n.bertil])
    db_session.commit()
    request = service.propose_exchange(n.anna, n.west_session, n.north_session).request
    assert service.accept(request.id, n.bertil).problems == ("overlap",)


def test_cover_to_all_areas_can_be_taken_by_a_co_running_area(network, make, db_session,
                                                              outbox):
    n = network
    request = service.ask_cover(n.anna, n.west_session, None, "Sairastuin.").request
    assert [r.id for r in service.incoming_requests(n.bertil)] == [request.id]
    outsider = make.user(n.outside)
    assert service.incoming_requests(outsider) == []
    assert service.accept(request.id, outsider).problems == ("not_addressed",)
    assert service.accept(request.id, n.bertil).ok
    db_session.expire_all()
    session = db_session.get(Session, n.west_session.id)
    assert session.host_area_id == n.north.id and [u.id for u in session.facilitators] == [
        n.bertil.id]
    # Anna's copy of the session (which goes on) is cancelled for her alone; Bertil's first
    # message about it is an invitation.
    assert ("anna.ohjaaja@example.com", "CANCEL", 1, "removed") in outbox()
    assert ("bertil.handledare@example.com", "REQUEST", 0, "invite") in outbox()
    again = service.accept(request.id, n.bertil)
    assert again.problems == (service.NOT_OPEN,)


def test_decline_tells_the_proposer_and_changes_nothing(network, db_session):
    n = network
    request = service.ask_cover(n.anna, n.west_session, n.north.id).request
    assert service.decline(request.id, n.bertil, "Valitettavasti ei käy.").ok
    mail = db_session.query(OutboxMessage).filter_by(kind="swap_answer").one()
    assert mail.recipient == n.anna.email and "Valitettavasti ei käy." in mail.body_text
    assert db_session.get(Session, n.west_session.id).sequence == 0
    assert service.fresh_answers(n.anna, utcnow() - timedelta(minutes=1))[0].id == request.id


def test_withdrawn_request_cannot_be_accepted(network, db_session):
    n = network
    request = service.ask_cover(n.anna, n.west_session, None).request
    assert service.withdraw(request.id, n.bertil).problems == (service.NOT_ALLOWED,)
    assert service.withdraw(request.id, n.anna).ok
    assert service.accept(request.id, n.bertil).problems == (service.NOT_OPEN,)


def test_requests_expire_when_the_earlier_session_starts(network, db_session, app):
    n = network
    request = service.propose_exchange(n.anna, n.west_session, n.north_session).request
    assert request.expires_at == n.west_session.starts_at
    later = n.west_session.starts_at + timedelta(minutes=1)
    assert request.effective_status(later) == SwapStatus.EXPIRED
    assert service.incoming_requests(n.bertil, later) == []
    assert service.accept(request.id, n.bertil, now=later).problems == (service.NOT_OPEN,)
    assert service.expire_overdue(later) == 1
    db_session.expire_all()
    assert db_session.get(SwapRequest, request.id).status == SwapStatus.EXPIRED


def test_expire_command(network, db_session, app):
    n = network
    request = service.ask_cover(n.anna, n.west_session, None).request
    request.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from remote_groups.cli import cli

    result = CliRunner().invoke(cli, ["swaps", "expire"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert "Expired 1" in result.output
    db_session.expire_all()
    assert db_session.get(SwapRequest, request.id).status == SwapStatus.EXPIRED


def test_cannot_propose_for_a_session_another_area_hosts(network, make, db_session):
    n = network
    assert service.propose_exchange(n.bertil, n.west_session, n.north_session).problems
    coordinator = make.user(n.outside, Role.COORDINATOR)
    assert "not_addressed" in service.ask_cover(coordinator, n.west_session, None).problems


def test_session_page_shows_the_audit_log(network, client, login, db_session):
    n = network
    request = service.ask_cover(n.anna, n.west_session, None).request
    service.accept(request.id, n.bertil)
    login(n.anna)
    page = client.get(f"/fi/staff/sessions/{n.west_session.id}").get_data(as_text=True)
    assert "Anna Ohjaaja" in page and "Bertil Handledare" in page
    assert "Länsi-alue → Pohjoinen alue" in page


def test_my_sessions_lists_my_own_first_then_past(network, client, login, make, db_session):
    n = network
    colleague = make.user(n.west, first_name="Kaisa")
    sooner = make.session_(n.group, utcnow() + timedelta(days=1), host=n.west,
                           facilitators=[colleague])
    make.session_(n.group, utcnow() - timedelta(days=2), host=n.west, facilitators=[n.anna])
    db_session.commit()
    login(n.anna)
    page = client.get("/fi/staff/").get_data(as_text=True)
    upcoming, past = page.split('id="h-past"')
    assert upcoming.index(f"/fi/staff/sessions/{n.west_session.id}") < upcoming.index(
        f"/fi/staff/sessions/{sooner.id}")
    assert "/fi/staff/sessions/" in past


def test_video_link_gives_facilitators_a_moderator_token(network, client, login, app,
                                                         db_session):
    import jwt

    n = network
    app.config.update(JITSI_APP_ID="rg", JITSI_APP_SECRET="s" * 32)
    try:
        login(n.anna)
        response = client.get(f"/fi/staff/sessions/{n.west_session.id}/video")
    finally:
        app.config.update(JITSI_APP_ID="", JITSI_APP_SECRET="")
    location = response.headers["Location"]
    assert location.startswith(f"https://meet.jit.si/{n.west_session.room_name}?")
    token = location.split("jwt=")[1].split("#")[0].split("&")[0]
    claims = jwt.decode(token, "s" * 32, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == n.west_session.room_name
    assert claims["context"]["user"]["moderator"] == "true"


def test_the_other_side_is_told_of_a_request_in_their_language(network, make, db_session):
    n = network
    colleague = make.user(n.north, first_name="Greta", language="sv")
    make.user(n.north, Role.COORDINATOR)  # coordinators are not mailed about cover
    db_session.commit()
    cover = service.ask_cover(n.anna, n.west_session, None, "Sairastuin.").request
    mails = db_session.query(OutboxMessage).filter_by(kind="swap_request").all()
    assert sorted(m.recipient for m in mails) == sorted([n.bertil.email, colleague.email])
    swedish = next(m for m in mails if m.recipient == colleague.email)
    assert "ber ditt område" in swedish.body_text and "Sairastuin." in swedish.body_text
    assert f"https://etaryhmat.example.fi/sv/staff/swaps/{cover.id}" in swedish.body_text
    exchange = service.propose_exchange(n.anna, n.west_session, n.north_session).request
    to_facilitator = db_session.query(OutboxMessage).filter_by(
        kind="swap_request", dedupe_key=f"swap-request-{exchange.id}-{n.bertil.id}").one()
    assert to_facilitator.language == "sv"


def test_session_page_shows_helsinki_time_host_and_co_facilitators(network, client, login,
                                                                   make, db_session):
    from datetime import UTC, datetime

    n = network
    co = make.user(n.west, first_name="Kaisa", last_name="Kollega")
    winter = make.session_(n.group, datetime(2030, 1, 15, 10, 0, tzinfo=UTC), host=n.west,
                           facilitators=[n.anna, co])
    db_session.commit()
    login(n.anna)
    page = client.get(f"/fi/staff/sessions/{winter.id}").get_data(as_text=True)
    assert "12.00" in page or "12:00" in page  # 10:00 UTC is 12:00 in Helsinki in winter
    assert "Länsi-alue" in page and "Kaisa Kollega" in page
    assert f"/fi/staff/sessions/{winter.id}/video" in page
