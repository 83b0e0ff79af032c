"""Mails about the exchange board: the area that must act next hears of it, in each
coordinator's own language, with a link to the post; the one who acted gets nothing. Sent
by the mail worker through the loopback SMTP server."""

from __future__ import annotations

from sqlalchemy import select

from remote_groups.exchange.models import ExchangePost, ExchangeReply
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.worker import send_due
from remote_groups.people.models import Role

from .conftest import answer_form, offer_form

BASE = "https://etaryhmat.example.fi"


def _notices(db_session):
    db_session.expire_all()
    return [(m.recipient, m.language) for m in db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "exchange_notice")
        .order_by(OutboxMessage.id))]


def _delivered(smtp, settings):
    """Send what waits and return {recipient: (subject, plain text)}."""
    smtp.inbox.received.clear()
    send_due(settings)
    out = {}
    for received in smtp.inbox.received:
        message = received.message
        text = next(p for p in message.walk()
                    if p.get_content_type() == "text/plain").get_content()
        out[received.rcpt_tos[0]] = (str(message["Subject"]), text)
    return out


def _post_offer(client_for, net, db_session):
    response = client_for(net.coord_a).post("/fi/staff/exchange/offers/new",
                                            data=offer_form(net))
    assert response.status_code == 302
    return db_session.scalars(select(ExchangePost)).one()


def _answer(client_for, user, post, net, db_session, **changes):
    response = client_for(user).post(f"/fi/staff/exchange/{post.id}/answer",
                                     data=answer_form(net, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db_session.scalars(select(ExchangeReply).order_by(ExchangeReply.id.desc())).first()


def test_an_answer_reaches_the_posting_area_and_the_agreement_the_answering_area(
        client_for, net, make, db_session, smtp, settings):
    # A second coordinator of A reads Swedish; an inactive one and a facilitator get nothing.
    a_sv = make.user(area=net.a, role=Role.COORDINATOR, language="sv",
                     email="koordinator@kust.invalid")
    make.user(area=net.a, role=Role.COORDINATOR, active=False, email="gone@kust.invalid")
    db_session.commit()
    post = _post_offer(client_for, net, db_session)
    assert _notices(db_session) == []  # a new post tells nobody

    reply = _answer(client_for, net.coord_b, post, net, db_session)
    assert sorted(_notices(db_session)) == sorted([(net.coord_a.email, "fi"),
                                                   (a_sv.email, "sv")])
    mails = _delivered(smtp, settings)
    assert set(mails) == {net.coord_a.email, a_sv.email}
    subject, text = mails[a_sv.email]
    assert subject == "Ditt inlägg på bytestorget har fått ett svar"
    assert "Inlandsområdet har svarat på ditt områdes inlägg på bytestorget." in text
    assert f"{BASE}/sv/staff/exchange/{post.id}" in text
    subject, text = mails[net.coord_a.email]
    assert subject == "Ilmoitukseesi vaihtotorilla vastattiin"
    assert "Sisämaan alue vastasi alueesi ilmoitukseen vaihtotorilla." in text
    assert f"{BASE}/fi/staff/exchange/{post.id}" in text

    response = client_for(net.coord_a).post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                                            data={"facilitators": [net.fac_a.id]})
    assert response.status_code == 302
    mails = _delivered(smtp, settings)
    # B hears of the agreement; A (who agreed) does not; A's facilitator gets the invitation.
    assert set(mails) == {net.coord_b.email, net.fac_a.email}
    subject, text = mails[net.coord_b.email]
    assert subject == "Vastauksesi vaihtotorilla hyväksyttiin"
    assert "Rannikon alue hyväksyi alueesi vastauksen. Vaihto on tehty." in text
    assert f"{BASE}/fi/staff/exchange/{post.id}" in text


def test_agreeing_to_one_answer_tells_the_other_answering_area_it_was_declined(
        client_for, net, make, db_session, smtp, settings):
    group_c = make.group(areas=[net.c], title_fi="Pohjoisen ryhmä", title_sv="Norra gruppen",
                         theme=net.group_b.theme,
                         instruction_language=net.group_b.instruction_language)
    db_session.commit()
    post = _post_offer(client_for, net, db_session)
    reply_b = _answer(client_for, net.coord_b, post, net, db_session)
    _answer(client_for, net.coord_c, post, net, db_session, group=group_c.id)
    _delivered(smtp, settings)
    client_for(net.coord_a).post(f"/fi/staff/exchange/answers/{reply_b.id}/agree",
                                 data={"facilitators": [net.fac_a.id]})
    mails = _delivered(smtp, settings)
    assert mails[net.coord_b.email][0] == "Vastauksesi vaihtotorilla hyväksyttiin"
    assert mails[net.coord_c.email][0] == "Vastauksestasi vaihtotorilla kieltäydyttiin"
    assert net.coord_a.email not in mails


def _only_mail(smtp, settings, client, url, recipient):
    """Post `url` with `client`, deliver, and return the one mail: it went to `recipient`."""
    assert client.post(url).status_code == 302
    mails = _delivered(smtp, settings)
    assert list(mails) == [recipient]
    return mails[recipient]


def test_a_declined_answer_and_withdrawals_reach_the_other_area_only(
        client_for, net, db_session, smtp, settings):
    post = _post_offer(client_for, net, db_session)
    reply = _answer(client_for, net.coord_b, post, net, db_session)
    _delivered(smtp, settings)
    a, b = client_for(net.coord_a), client_for(net.coord_b)
    subject, text = _only_mail(smtp, settings, a, f"/fi/staff/exchange/answers/{reply.id}/decline",
                               net.coord_b.email)
    assert subject == "Vastauksestasi vaihtotorilla kieltäydyttiin"
    assert "Rannikon alue kieltäytyi alueesi vastauksesta." in text

    # B answers again and withdraws the answer: A hears of it.
    reply = _answer(client_for, net.coord_b, post, net, db_session)
    _delivered(smtp, settings)
    subject, text = _only_mail(smtp, settings, b,
                               f"/fi/staff/exchange/answers/{reply.id}/withdraw",
                               net.coord_a.email)
    assert subject == "Vastaus ilmoitukseesi vaihtotorilla peruttiin"
    assert "Sisämaan alue perui vastauksensa alueesi ilmoitukseen." in text

    # B answers once more and A withdraws the whole post: B hears of it, C does not.
    _answer(client_for, net.coord_b, post, net, db_session)
    _delivered(smtp, settings)
    subject, text = _only_mail(smtp, settings, a, f"/fi/staff/exchange/{post.id}/withdraw",
                               net.coord_b.email)
    assert subject == "Vaihtotorin ilmoitus, johon vastasit, peruttiin"
    assert "Rannikon alue perui ilmoituksen, johon alueesi vastasi." in text
