"""Staff accounts from the web: who may manage whom, invitations, changes, deactivation and
what it means for sessions, mail and swap requests; every change in the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.db_types import utcnow
from remote_groups.mail.models import OutboxMessage
from remote_groups.people.models import FacilitatorKind, Role, User
from remote_groups.swaps import service as swaps
from remote_groups.swaps.models import SwapRequest, SwapStatus


def _invite(client, area, **fields):
    data = {"first_name": "Uusi", "last_name": "Ohjaaja", "email": "uusi@example.fi",
            "role": "facilitator", "area_id": str(area.id), "facilitator_kind": "professional",
            "language": "fi", **fields}
    return client.post("/fi/staff/people/invite", data=data)


def _mails_to(db_session, email):
    return list(db_session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                   .order_by(OutboxMessage.id)))


def test_a_coordinator_invites_into_their_own_area_only(client, make, login, db_session):
    own, other = make.area(), make.area()
    coordinator = make.user(own, Role.COORDINATOR)
    db_session.commit()
    login(coordinator)

    refused = _invite(client, other, email="toinen@example.fi")
    assert refused.status_code == 200 and "Valitse alue listasta." in refused.get_data(True)
    as_admin = _invite(client, own, role="admin", email="paa@example.fi")
    assert "Et voi antaa tätä roolia." in as_admin.get_data(True)
    assert 'value="paa@example.fi"' in as_admin.get_data(True)  # nothing typed is lost
    assert db_session.scalar(select(User).where(User.email == "paa@example.fi")) is None

    done = _invite(client, own, role="facilitator", facilitator_kind="experience_expert",
                   email="Kokemus@Example.fi", language="sv")
    assert done.status_code == 302
    person = db_session.scalar(select(User).where(User.email == "kokemus@example.fi"))
    assert person.area_id == own.id and person.password_hash == ""
    assert person.facilitator_kind == FacilitatorKind.EXPERIENCE_EXPERT
    mail = _mails_to(db_session, "kokemus@example.fi")[0]
    assert mail.kind == "staff_invite" and mail.language == "sv"
    assert "Välj ditt lösenord" in mail.body_html and "7 dagar" in mail.body_text
    assert re.search(r"https://etaryhmat\.example\.fi/sv/staff/password/reset/\S+", mail.body_text)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "user.invite"))
    assert entry.actor_id == coordinator.id and entry.subject_id == person.id
    assert entry.changes["email"] == [None, "kokemus@example.fi"]


def test_an_address_in_use_is_refused_next_to_the_field(client, make, login, db_session):
    admin = make.user(role=Role.ADMIN)
    make.user(email="varattu@example.fi")
    db_session.commit()
    login(admin)
    page = _invite(client, admin.area, email="VARATTU@example.fi").get_data(True)
    assert 'id="email-error"' in page and "Tällä osoitteella on jo tunnus." in page


def test_deactivation_signs_out_takes_off_sessions_and_withdraws_requests(
        app, client, make, login, db_session):
    own, partner = make.area(), make.area()
    admin = make.user(own, Role.ADMIN)
    leaving = make.user(own, email="lahtija@example.fi")
    staying = make.user(own, email="jaaja@example.fi")
    partner_facilitator = make.user(partner)
    group = make.group([own, partner])
    start = utcnow() + timedelta(days=3)
    upcoming = make.session_(group, start, host=own, facilitators=[leaving, staying])
    past = make.session_(group, utcnow() - timedelta(days=7), host=own, facilitators=[leaving])
    theirs = make.session_(group, start + timedelta(days=7), host=partner,
                           facilitators=[partner_facilitator])
    db_session.commit()
    request = swaps.propose_exchange(leaving, upcoming, theirs).request
    assert request is not None
    db_session.commit()
    sequence = upcoming.sequence

    other_browser = app.test_client()
    other_browser.post("/fi/staff/login", data={"email": leaving.email,
                                                "password": "correct horse battery"})
    assert other_browser.get("/fi/staff/").status_code == 200
    login(admin)
    before = {m.id for m in db_session.scalars(select(OutboxMessage))}
    response = client.post(f"/fi/staff/people/{leaving.id}/deactivate", follow_redirects=True)
    page = response.get_data(True)
    assert "ei voi enää kirjautua sisään" in page and "Poistettu 1 tulevasta tapaamisesta" in page

    db_session.expire_all()
    assert [u.email for u in db_session.get(type(upcoming), upcoming.id).facilitators] == [
        staying.email]
    assert leaving.id in {u.id for u in db_session.get(type(past), past.id).facilitators}
    assert db_session.get(type(upcoming), upcoming.id).sequence == sequence + 1
    new_mail = [m for m in db_session.scalars(select(OutboxMessage)) if m.id not in before]
    assert {m.recipient for m in new_mail} == {staying.email}  # none to the deactivated
    # No invitation had been sent for this session: the first message is an invitation.
    assert new_mail[0].kind == "invite"
    assert db_session.get(SwapRequest, request.id).status == SwapStatus.WITHDRAWN

    assert "/staff/login" in other_browser.get("/fi/staff/").headers["Location"]
    again = other_browser.post("/fi/staff/login", data={"email": leaving.email,
                                                        "password": "correct horse battery"})
    assert again.status_code == 200
    forgot = other_browser.post("/fi/staff/password/forgot", data={"email": leaving.email})
    assert forgot.status_code == 302
    assert not [m for m in _mails_to(db_session, leaving.email) if m.kind == "password_reset"]

    client.post(f"/fi/staff/people/{leaving.id}/reactivate")
    assert other_browser.post("/fi/staff/login", data={
        "email": leaving.email, "password": "correct horse battery"}).status_code == 302
    actions = [e.action for e in db_session.scalars(
        select(AuditEntry).where(AuditEntry.subject == "user").order_by(AuditEntry.id))]
    assert actions == ["user.deactivate", "user.reactivate"]


def test_a_facilitator_made_coordinator_leaves_sessions_with_a_cancellation(
        client, make, login, db_session):
    own = make.area()
    admin = make.user(own, Role.ADMIN)
    person = make.user(own, email="ylennetty@example.fi")
    session = make.session_(make.group([own]), utcnow() + timedelta(days=2), host=own,
                            facilitators=[person])
    db_session.commit()
    login(admin)
    response = client.post(f"/fi/staff/people/{person.id}", data={
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "role": "coordinator", "area_id": str(own.id), "facilitator_kind": "professional",
        "language": "fi"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, person.id).role == Role.COORDINATOR
    assert db_session.get(User, person.id).facilitator_kind is None
    assert db_session.get(type(session), session.id).facilitators == []
    # Taken off a session that goes on: a removal, not a cancelled session (RFC 5546).
    assert [m.kind for m in _mails_to(db_session, person.email)] == ["removed"]
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "user.change"))
    assert entry.changes["role"] == ["facilitator", "coordinator"]
    assert entry.changes["upcoming_sessions"] == [[session.id], []]


def test_nobody_changes_their_own_role_or_deactivates_themselves(client, make, login,
                                                                 db_session):
    admin = make.user(role=Role.ADMIN)
    db_session.commit()
    login(admin)
    page = client.post(f"/fi/staff/people/{admin.id}", data={
        "first_name": "A", "last_name": "B", "email": admin.email, "role": "facilitator",
        "area_id": str(admin.area_id), "language": "fi"}).get_data(True)
    assert "Et voi muuttaa omaa rooliasi." in page
    client.post(f"/fi/staff/people/{admin.id}/deactivate")
    db_session.expire_all()
    assert db_session.get(User, admin.id).active and db_session.get(User, admin.id).role == "admin"


def test_a_coordinator_cannot_open_another_areas_people_or_an_admin(client, make, login,
                                                                     db_session):
    own, other = make.area(), make.area()
    coordinator = make.user(own, Role.COORDINATOR)
    stranger = make.user(other)
    own_admin = make.user(own, Role.ADMIN)
    db_session.commit()
    login(coordinator)
    listed = client.get("/fi/staff/people/").get_data(True)
    assert stranger.email not in listed and coordinator.email in listed
    assert client.get(f"/fi/staff/people/{stranger.id}").status_code == 403
    assert client.get(f"/fi/staff/people/{own_admin.id}").status_code == 403
    assert client.post(f"/fi/staff/people/{own_admin.id}/deactivate").status_code == 403
