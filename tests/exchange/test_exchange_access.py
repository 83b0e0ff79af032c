"""Who may do what on the exchange board: everyone on staff reads it; only coordinators (and
admins) of the areas involved post, answer and agree; a facilitator changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from remote_groups.exchange.models import ExchangePost, ExchangeReply, ReplyStatus
from remote_groups.groups.models import Session
from remote_groups.people.models import Role

from .conftest import answer_form, offer_form


def _answered_offer(client_for, net, db_session):
    a = client_for(net.coord_a)
    assert a.post("/fi/staff/exchange/offers/new", data=offer_form(net)).status_code == 302
    post = db_session.scalars(select(ExchangePost)).one()
    b = client_for(net.coord_b)
    assert b.post(f"/fi/staff/exchange/{post.id}/answer",
                  data=answer_form(net)).status_code == 302
    return post, db_session.scalars(select(ExchangeReply)).one()


def test_a_facilitator_reads_the_board_but_changes_nothing(client_for, net, db_session):
    post, reply = _answered_offer(client_for, net, db_session)
    facilitator = client_for(net.fac_a)  # even of the offering area
    assert facilitator.get("/fi/staff/exchange/").status_code == 200
    assert facilitator.get(f"/fi/staff/exchange/{post.id}").status_code == 200
    assert facilitator.get("/fi/staff/exchange/balance/").status_code == 200
    for url, data in [("/fi/staff/exchange/offers/new", offer_form(net)),
                      ("/fi/staff/exchange/requests/new", {"group": net.group_b.id}),
                      (f"/fi/staff/exchange/{post.id}/answer", answer_form(net)),
                      (f"/fi/staff/exchange/answers/{reply.id}/agree",
                       {"facilitators": [net.fac_a.id]}),
                      (f"/fi/staff/exchange/answers/{reply.id}/decline", {}),
                      (f"/fi/staff/exchange/{post.id}/withdraw", {})]:
        assert facilitator.post(url, data=data).status_code == 403, url
    db_session.expire_all()
    assert reply.status == ReplyStatus.PROPOSED
    assert db_session.scalars(select(Session)).all() == []


def test_another_areas_coordinator_cannot_agree_decline_or_withdraw(client_for, net,
                                                                    db_session):
    post, reply = _answered_offer(client_for, net, db_session)
    c = client_for(net.coord_c)
    assert c.get(f"/fi/staff/exchange/answers/{reply.id}/agree").status_code == 403
    assert c.post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                  data={"facilitators": [net.fac_a.id]}).status_code == 403
    assert c.post(f"/fi/staff/exchange/answers/{reply.id}/decline").status_code == 403
    assert c.post(f"/fi/staff/exchange/answers/{reply.id}/withdraw").status_code == 403
    assert c.post(f"/fi/staff/exchange/{post.id}/withdraw").status_code == 403
    # The answering area does not agree for the offering one either.
    b = client_for(net.coord_b)
    assert b.post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                  data={"facilitators": [net.fac_a.id]}).status_code == 403
    # Nor does an area answer its own post.
    a = client_for(net.coord_a)
    assert a.get(f"/fi/staff/exchange/{post.id}/answer").status_code == 403
    db_session.expire_all()
    assert reply.status == ReplyStatus.PROPOSED
    assert db_session.scalars(select(Session)).all() == []


def test_an_answer_offers_only_the_answering_areas_groups_and_facilitators(
        client_for, net, make, db_session):
    post, _reply = _answered_offer(client_for, net, db_session)
    a_group = make.group(areas=[net.a], title_fi="A:n ryhmä", title_sv="A:s grupp",
                         instruction_language=net.group_b.instruction_language)
    db_session.commit()
    c = client_for(net.coord_c)
    response = c.post(f"/fi/staff/exchange/{post.id}/answer",
                      data=answer_form(net, group=a_group.id))
    assert response.status_code == 200
    assert "Valitse jokin alueesi ryhmä, jonka kieli on tämä." in response.get_data(as_text=True)
    # A request answered with another area's facilitator is refused next to the field.
    day_session = make.session_(group=net.group_b, host=net.b, facilitators=[net.fac_b])
    db_session.commit()
    b = client_for(net.coord_b)
    assert b.post("/fi/staff/exchange/requests/new",
                  data={"group": net.group_b.id, "language": "sv",
                        "sessions": [day_session.id]}).status_code == 302
    request_post = db_session.scalars(select(ExchangePost).where(
        ExchangePost.group_id == net.group_b.id)).one()
    response = c.post(f"/fi/staff/exchange/{request_post.id}/answer",
                      data={"facilitators": [net.fac_a.id]})
    assert response.status_code == 200
    assert "Valitse vain oman alueesi ohjaajia." in response.get_data(as_text=True)


def test_a_coordinator_cannot_ask_for_help_with_another_areas_group(client_for, net, make,
                                                                   db_session):
    theirs = make.session_(group=net.group_b, host=net.b, facilitators=[net.fac_b])
    db_session.commit()
    a = client_for(net.coord_a)
    response = a.post("/fi/staff/exchange/requests/new",
                      data={"group": net.group_b.id, "language": "sv", "sessions": [theirs.id]})
    assert response.status_code == 200  # the list of A's own groups instead
    assert db_session.scalars(select(ExchangePost)).all() == []


def test_an_admin_agrees_for_any_area(client_for, net, make, db_session):
    _post, reply = _answered_offer(client_for, net, db_session)
    admin = make.user(area=net.c, role=Role.ADMIN)
    db_session.commit()
    response = client_for(admin).post(f"/fi/staff/exchange/answers/{reply.id}/agree",
                                      data={"facilitators": [net.fac_a.id]})
    assert response.status_code == 302
    db_session.expire_all()
    assert reply.status == ReplyStatus.AGREED and len(db_session.scalars(
        select(Session)).all()) == 2


def test_signed_out_visitors_go_to_the_sign_in_page(client, net):
    response = client.get("/fi/staff/exchange/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
