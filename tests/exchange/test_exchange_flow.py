"""The exchange board through the web: an offer answered and agreed makes the sessions and
the invitations (mailed by the worker through the loopback SMTP server); a request handed
over; clashes and bad dates refused with clear messages; the audit log."""

from __future__ import annotations

from datetime import time, timedelta

import icalendar
from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.exchange.models import (
    Exchange,
    ExchangePost,
    ExchangeReply,
    PostStatus,
    ReplyStatus,
)
from remote_groups.groups.models import Session
from remote_groups.i18n import local_time
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.worker import send_due
from remote_groups.people.models import Role
from remote_groups.rules.rotation import local_to_utc

from .conftest import answer_form, offer_form


def _post_offer(client_for, net, lang="fi", **changes):
    client = client_for(net.coord_a, lang)
    response = client.post(f"/{lang}/staff/exchange/offers/new", data=offer_form(net, **changes))
    return client, response


def _offer_answered(client_for, net, db_session, **answer):
    _client, response = _post_offer(client_for, net)
    assert response.status_code == 302, response.get_data(as_text=True)
    post = db_session.scalars(select(ExchangePost)).one()
    b = client_for(net.coord_b)
    response = b.post(f"/fi/staff/exchange/{post.id}/answer", data=answer_form(net, **answer))
    assert response.status_code == 302, response.get_data(as_text=True)
    reply = db_session.scalars(select(ExchangeReply)).one()
    return post, reply


def _sessions(db_session, group):
    db_session.expire_all()
    return list(db_session.scalars(select(Session).where(Session.group_id == group.id)
                                   .order_by(Session.starts_at)))


def test_an_offer_answered_and_agreed_makes_sessions_and_invitations(
        client_for, net, make, db_session, smtp, settings):
    post, reply = _offer_answered(client_for, net, db_session)
    assert reply.status == ReplyStatus.PROPOSED and _sessions(db_session, net.group_b) == []

    a = client_for(net.coord_a)
    page = a.get(f"/fi/staff/exchange/answers/{reply.id}/agree")
    assert page.status_code == 200 and "Saga Handledare" in page.get_data(as_text=True)
    response = a.post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                      data={"facilitators": [net.fac_a.id]})
    assert response.status_code == 302, response.get_data(as_text=True)

    first_day = net.today + timedelta(days=35)
    sessions = _sessions(db_session, net.group_b)
    assert [(s.starts_at, s.ends_at) for s in sessions] == [
        (local_to_utc(day, t0), local_to_utc(day, t1))
        for day in (first_day, first_day + timedelta(weeks=1))
        for t0, t1 in [(local_time(sessions[0].starts_at).time().replace(tzinfo=None),
                        local_time(sessions[0].ends_at).time().replace(tzinfo=None))]]
    assert local_time(sessions[0].starts_at).strftime("%H:%M") == "14:00"
    assert local_time(sessions[0].ends_at).strftime("%H:%M") == "15:30"
    assert {s.host_area_id for s in sessions} == {net.a.id}
    assert all([u.id for u in s.facilitators] == [net.fac_a.id] for s in sessions)
    # The offering area now co-runs the group, after B in the rotation.
    assert [ga.area_id for ga in net.group_b.group_areas] == [net.b.id, net.a.id]

    exchange = db_session.scalars(select(Exchange)).one()
    assert (exchange.host_area_id, exchange.receiving_area_id, exchange.language,
            exchange.minutes) == (net.a.id, net.b.id, "sv", 180)
    assert sorted(m.session_id for m in exchange.members) == sorted(s.id for s in sessions)
    db_session.refresh(post)
    db_session.refresh(reply)
    assert post.status == PostStatus.DONE and reply.status == ReplyStatus.AGREED
    assert reply.agreed_by_id == net.coord_a.id

    actions = [(e.action, e.actor_id) for e in db_session.scalars(
        select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [("exchange.offer", net.coord_a.id), ("exchange.answer", net.coord_b.id),
                       ("exchange.session", net.coord_a.id),
                       ("exchange.session", net.coord_a.id), ("exchange.agree", net.coord_a.id)]

    admin = make.user(area=net.c, role=Role.ADMIN)
    db_session.commit()
    log = client_for(admin).get("/fi/staff/audit").get_data(as_text=True)
    assert "Vaihdosta sovittu" in log and log.count("Tapaaminen luotu tai siirretty vaihdossa") == 2

    # One calendar message to the new host's facilitator; the coordinators who must act
    # next hear of the answer (A) and the agreement (B) (tests/exchange/test_exchange_notices).
    queued = list(db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(m.kind, m.recipient) for m in queued if m.kind == "exchange_notice"] == [
        ("exchange_notice", net.coord_a.email), ("exchange_notice", net.coord_b.email)]
    assert [(m.recipient, m.language) for m in queued if m.kind != "exchange_notice"] == [
        (net.fac_a.email, "sv")]
    result = send_due(settings)
    assert result.sent == 3
    [(sender, _recipients, _raw)] = [m for m in smtp.inbox.messages
                                    if m[1] == [net.fac_a.email]]
    assert sender == "etaryhmat@remote-groups.invalid"
    [message] = [r.message for r in smtp.inbox.received if r.rcpt_tos == [net.fac_a.email]]
    assert "2 gånger" in message["Subject"]  # in the facilitator's own language
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == sessions[0].starts_at
    assert event.decoded("DTEND") == sessions[0].ends_at
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["UNTIL"][0] >= sessions[1].starts_at
    assert str(event["ATTENDEE"]) == f"mailto:{net.fac_a.email}"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    assert text.count("kl. 14.00–15.30") == 3  # the summary line and both sessions


def test_a_clash_with_the_hosts_facilitator_is_refused(client_for, net, make, db_session):
    other = make.group(areas=[net.a], title_fi="Toinen ryhmä", title_sv="Annan grupp")
    first_day = net.today + timedelta(days=35)
    busy = make.session_(group=other, host=net.a, facilitators=[net.fac_a],
                         starts_at=local_to_utc(first_day, time(15)))
    db_session.commit()
    _post, reply = _offer_answered(client_for, net, db_session)
    a = client_for(net.coord_a)
    response = a.post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                      data={"facilitators": [net.fac_a.id]})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("Henkilöllä Saga Handledare on jo toinen tapaaminen samaan aikaan: Toinen ryhmä"
            in text)
    assert _sessions(db_session, net.group_b) == []
    db_session.refresh(reply)
    assert reply.status == ReplyStatus.PROPOSED
    assert db_session.scalars(select(Exchange)).all() == []
    assert busy.id


def test_a_clash_with_the_hosts_facilitators_intake_call_is_refused(client_for, net, make,
                                                                     db_session):
    from remote_groups.intake import service as intake

    other = make.group(areas=[net.a], title_fi="Toinen ryhmä", title_sv="Annan grupp")
    call = local_to_utc(net.today + timedelta(days=35), time(15))
    added = intake.add_slots(other, net.fac_a, [(call, call + timedelta(minutes=30))])
    assert not added.clashes
    db_session.commit()
    _post, reply = _offer_answered(client_for, net, db_session)
    a = client_for(net.coord_a)
    response = a.post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                      data={"facilitators": [net.fac_a.id]})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saga Handledare on varattu tuohon aikaan: alkukeskustelu 15.00–15.30" in text
    assert _sessions(db_session, net.group_b) == []
    assert db_session.scalars(select(Exchange)).all() == []


def test_a_request_answered_and_agreed_hands_the_sessions_over(
        client_for, net, make, db_session):
    day = net.today + timedelta(days=20)
    times = [local_to_utc(day + timedelta(weeks=i), time(10))
             for i in range(3)]
    sessions = [make.session_(group=net.group_b, host=net.b, facilitators=[net.fac_b],
                              starts_at=t, minutes=120) for t in times]
    db_session.commit()
    b = client_for(net.coord_b)
    assert b.get(f"/fi/staff/exchange/requests/new?group={net.group_b.id}").status_code == 200
    response = b.post("/fi/staff/exchange/requests/new",
                      data={"group": net.group_b.id, "language": "sv",
                            "sessions": [sessions[0].id, sessions[1].id],
                            "description_fi": "Tarvitsemme ruotsinkielisen ohjaajan."})
    assert response.status_code == 302, response.get_data(as_text=True)
    post = db_session.scalars(select(ExchangePost)).one()
    assert post.session_ids == sorted([sessions[0].id, sessions[1].id])

    a = client_for(net.coord_a)
    response = a.post(f"/fi/staff/exchange/{post.id}/answer",
                      data={"facilitators": [net.fac_a.id], "message": "Saga voi tulla."})
    assert response.status_code == 302, response.get_data(as_text=True)
    reply = db_session.scalars(select(ExchangeReply)).one()
    response = b.post(f"/fi/staff/exchange/answers/{reply.id}/agree", data={})
    assert response.status_code == 302, response.get_data(as_text=True)

    db_session.expire_all()
    hosts = [(s.host_area_id, [u.id for u in s.facilitators]) for s in sessions]
    assert hosts == [(net.a.id, [net.fac_a.id]), (net.a.id, [net.fac_a.id]),
                     (net.b.id, [net.fac_b.id])]
    exchange = db_session.scalars(select(Exchange)).one()
    assert (exchange.host_area_id, exchange.receiving_area_id, exchange.minutes) == (
        net.a.id, net.b.id, 240)
    # Each person gets their whole calendar entry for the group again (one message each):
    # the new host's facilitator the two sessions, the old one the session left to them.
    messages = {m.recipient: m for m in db_session.scalars(select(OutboxMessage))
                if m.kind != "exchange_notice"}
    assert sorted(messages) == sorted([net.fac_a.email, net.fac_b.email])
    firsts = {}
    for recipient, message in messages.items():
        events = icalendar.Calendar.from_ical(message.ics).walk("VEVENT")
        firsts[recipient] = min(e.decoded("DTSTART") for e in events)
    assert firsts == {net.fac_a.email: sessions[0].starts_at,
                      net.fac_b.email: sessions[2].starts_at}


def test_dates_in_the_past_and_outside_the_period_are_refused_in_the_users_language(
        client_for, net, db_session):
    _client, response = _post_offer(
        client_for, net, lang="sv",
        period_start=(net.today - timedelta(days=1)).isoformat())
    assert response.status_code == 200
    assert "Välj en dag som inte har varit." in response.get_data(as_text=True)
    _client, response = _post_offer(client_for, net)
    post = db_session.scalars(select(ExchangePost)).one()
    b = client_for(net.coord_b, "fi")
    response = b.post(f"/fi/staff/exchange/{post.id}/answer", data=answer_form(
        net, first_date=(net.today + timedelta(days=200)).isoformat()))
    assert response.status_code == 200
    assert "Kaikkien tapaamisten on oltava tarjouksen ajanjaksolla." in response.get_data(
        as_text=True)
    response = b.post(f"/fi/staff/exchange/{post.id}/answer", data=answer_form(
        net, count=7, end_time="13:00"))
    text = response.get_data(as_text=True)
    assert "Anna enintään yhtä monta tapaamista kuin tarjouksessa on." in text
    assert "Päättymisajan pitää olla alkamisajan jälkeen." in text
    assert db_session.scalars(select(ExchangeReply)).all() == []


def test_declined_and_withdrawn_answers_and_posts_make_nothing(client_for, net, db_session):
    post, reply = _offer_answered(client_for, net, db_session)
    a, b = client_for(net.coord_a), client_for(net.coord_b)
    response = a.post(f"/fi/staff/exchange/answers/{reply.id}/decline", follow_redirects=True)
    assert "Et hyväksynyt vastausta." in response.get_data(as_text=True)
    db_session.expire_all()
    assert reply.status == ReplyStatus.DECLINED
    # A declined answer can no longer be agreed to, nor withdrawn.
    response = a.post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                      data={"facilitators": [net.fac_a.id]})
    assert "Tästä vastauksesta on jo sovittu" in response.get_data(as_text=True)
    response = b.post(f"/fi/staff/exchange/answers/{reply.id}/withdraw",
                      follow_redirects=True)
    assert "Tästä vastauksesta on jo sovittu" in response.get_data(as_text=True)
    # A second answer, withdrawn by its area; then the post withdrawn.
    assert b.post(f"/fi/staff/exchange/{post.id}/answer",
                  data=answer_form(net)).status_code == 302
    second = db_session.scalars(select(ExchangeReply).order_by(ExchangeReply.id.desc())).first()
    response = b.post(f"/fi/staff/exchange/answers/{second.id}/withdraw",
                      follow_redirects=True)
    assert "Peruit vastauksesi." in response.get_data(as_text=True)
    response = a.post(f"/fi/staff/exchange/{post.id}/withdraw", follow_redirects=True)
    assert "Peruit ilmoituksen." in response.get_data(as_text=True)
    db_session.expire_all()
    assert (post.status, second.status) == (PostStatus.WITHDRAWN, ReplyStatus.WITHDRAWN)
    assert b.post(f"/fi/staff/exchange/{post.id}/answer", data=answer_form(
        net)).get_data(as_text=True).count("Tämä ilmoitus ei ole enää avoinna.") >= 1
    assert _sessions(db_session, net.group_b) == []
    assert [e.action for e in db_session.scalars(select(AuditEntry).order_by(
        AuditEntry.id))][-4:] == ["exchange.decline", "exchange.answer",
                                  "exchange.answer_withdraw", "exchange.withdraw"]
