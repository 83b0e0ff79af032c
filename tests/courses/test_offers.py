"""Seat offers with a deadline (issue 18) through the web: a freed seat is offered to the
first on the waiting list by mail, accepted or declined through the private link, passed on
when its deadline passes (`remote-groups offers expire`), and staff can still decide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.offers.models import OfferStatus, SeatOffer
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Status

from .conftest import form_data, outbox, status_token


def _apply(client, course, email, lang="fi"):
    client.post(f"/{lang}/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], email=email, language=lang, name="Testi"))
    return status_token(outbox(kind="course_application", recipient=email)[-1])


def _app(db_session, email):
    db_session.expire_all()
    return db_session.scalar(select(Application).where(Application.email == email))


def _decide(client, course, application, decision):
    return client.post(
        f"/fi/staff/courses/{course.group.id}/applications/{application.id}/decision",
        data={"decision": decision})


def _offers(db_session, email):
    application = _app(db_session, email)
    return list(db_session.scalars(select(SeatOffer).where(
        SeatOffer.application_id == application.id).order_by(SeatOffer.id)))


@pytest.fixture
def full_course(client, course, login, db_session):
    """Two places taken (a0, a1), three waiting in order (w0, w1, w2), a0 a Swede."""
    course.group.capacity = 2
    db_session.commit()
    tokens = {}
    for name, lang in (("a0", "sv"), ("a1", "fi"), ("w0", "sv"), ("w1", "fi"), ("w2", "fi")):
        tokens[name] = _apply(client, course, f"{name}@example.com", lang=lang)
    login(course.facilitator)
    for name in ("a0", "a1"):
        _decide(client, course, _app(db_session, f"{name}@example.com"), "accept")
    for name in ("w0", "w1", "w2"):
        _decide(client, course, _app(db_session, f"{name}@example.com"), "waitlist")
    return tokens


def _expire_now(app, db_session, email):
    """Set the clock: make the offer's deadline past in the database, then run the step."""
    for offer in _offers(db_session, email):
        if offer.status == OfferStatus.OPEN:
            offer.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["offers", "expire"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_withdrawal_offers_the_seat_with_a_deadline_in_the_persons_language(
        app, client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a0']}/withdraw")
    [offer] = _offers(db_session, "w0@example.com")
    assert offer.status == OfferStatus.OPEN
    hours = (offer.expires_at - offer.offered_at).total_seconds() / 3600
    assert hours == app.config["SEAT_OFFER_HOURS"] == 48
    assert _app(db_session, "w0@example.com").status == Status.WAITING
    assert _offers(db_session, "w1@example.com") == []  # one seat, one offer
    [mail] = outbox(kind="course_offer", recipient="w0@example.com")
    assert mail.language == "sv" and "Kurs i psykiskt välmående" in mail.subject
    assert "/sv/my/" in mail.body_text
    # The mail's link is the person's private link; the old one stops working.
    token = status_token(mail)
    assert client.get(f"/sv/my/{full_course['w0']}").status_code == 404
    page = client.get(f"/sv/my/{token}").get_data(as_text=True)
    assert 'id="h-offer"' in page and "Acceptera platsen" in page
    # The offered seat is taken: staff cannot give it to someone else meanwhile.
    response = _decide(client, course, _app(db_session, "w1@example.com"), "accept")
    assert response.status_code == 409
    # The applicant accepts by their link: accepted, told, invited.
    client.post(f"/sv/my/{token}/offer/accept")
    assert _app(db_session, "w0@example.com").status == Status.ACCEPTED
    assert _offers(db_session, "w0@example.com")[0].status == OfferStatus.ACCEPTED
    assert len(outbox(kind="invite", recipient="w0@example.com")) == 1
    assert len(outbox(kind="course_decision", recipient="w0@example.com")) == 2
    actions = [e.action for e in db_session.scalars(select(AuditEntry).where(
        AuditEntry.subject == "application",
        AuditEntry.subject_id == _app(db_session, "w0@example.com").id))]
    assert actions == ["offer.make", "offer.accept"]


def test_an_unanswered_offer_passes_to_the_next_and_the_first_cannot_accept_late(
        app, client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    late = status_token(outbox(kind="course_offer", recipient="w0@example.com")[0])
    # Before the deadline the step does nothing.
    assert app.test_cli_runner().invoke(args=["offers", "expire"]).output.startswith(
        "expired 0")
    assert _expire_now(app, db_session, "w0@example.com").startswith("expired 1, offered 1")
    assert _offers(db_session, "w0@example.com")[0].status == OfferStatus.EXPIRED
    assert _offers(db_session, "w1@example.com")[0].status == OfferStatus.OPEN
    # The first one's page says so; a late press changes nothing.
    page = client.get(f"/sv/my/{late}").get_data(as_text=True)
    assert "Platsen som erbjöds har gått ut" in page
    response = client.post(f"/sv/my/{late}/offer/accept", follow_redirects=True)
    assert "inte längre öppet" in response.get_data(as_text=True)
    assert _app(db_session, "w0@example.com").status == Status.WAITING
    # w1 lets it lapse too: w2 is next; w0 (passed over) gets nothing by itself.
    _expire_now(app, db_session, "w1@example.com")
    assert _offers(db_session, "w2@example.com")[0].status == OfferStatus.OPEN
    _expire_now(app, db_session, "w2@example.com")
    assert [o.status for o in _offers(db_session, "w0@example.com")] == [OfferStatus.EXPIRED]
    # Staff still decide directly: the waiting person they choose gets the free seat.
    response = _decide(client, course, _app(db_session, "w0@example.com"), "accept")
    assert response.status_code == 303
    assert _app(db_session, "w0@example.com").status == Status.ACCEPTED


def test_an_offer_expiring_after_its_holder_accepted_changes_nothing(
        app, client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    token = status_token(outbox(kind="course_offer", recipient="w0@example.com")[0])
    client.post(f"/fi/my/{token}/offer/accept")
    assert _expire_now(app, db_session, "w0@example.com").startswith("expired 0")
    assert _offers(db_session, "w1@example.com") == []


def test_declining_withdraws_the_application_and_offers_the_seat_to_the_next_at_once(
        client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    token = status_token(outbox(kind="course_offer", recipient="w0@example.com")[0])
    confirm = client.get(f"/sv/my/{token}/offer/decline")
    assert confirm.status_code == 200 and "Tacka nej till platsen?" in confirm.get_data(
        as_text=True)
    assert _app(db_session, "w0@example.com").status == Status.WAITING  # only a question
    client.post(f"/sv/my/{token}/offer/decline")
    assert _app(db_session, "w0@example.com").status == Status.WITHDRAWN
    assert _offers(db_session, "w0@example.com")[0].status == OfferStatus.DECLINED
    assert _offers(db_session, "w1@example.com")[0].status == OfferStatus.OPEN
    assert len(outbox(kind="course_offer", recipient="w1@example.com")) == 1


def test_staff_withdraw_an_offer_and_the_seat_is_theirs_to_fill(
        client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    w0 = _app(db_session, "w0@example.com")
    page = client.get(f"/fi/staff/courses/{course.group.id}/applications").get_data(
        as_text=True)
    assert "Paikkaa tarjottu" in page and "Peru tarjous" in page
    response = client.post(
        f"/fi/staff/courses/{course.group.id}/applications/{w0.id}/offer/withdraw")
    assert response.status_code == 303
    assert _offers(db_session, "w0@example.com")[0].status == OfferStatus.WITHDRAWN
    assert _offers(db_session, "w1@example.com") == []  # left free for staff
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "offer.withdraw"))
    assert entry.actor_id == course.facilitator.id and entry.subject_id == w0.id
    assert _decide(client, course, _app(db_session, "w2@example.com"), "accept"
                   ).status_code == 303
    assert _app(db_session, "w2@example.com").status == Status.ACCEPTED


def test_staff_accepting_the_offered_person_directly_takes_up_the_offer(
        client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    assert _decide(client, course, _app(db_session, "w0@example.com"), "accept"
                   ).status_code == 303
    assert _app(db_session, "w0@example.com").status == Status.ACCEPTED
    assert _offers(db_session, "w0@example.com")[0].status == OfferStatus.ACCEPTED


def test_an_outsider_cannot_withdraw_an_offer(client, course, full_course, db_session, login):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    login(course.outsider)
    w0 = _app(db_session, "w0@example.com")
    response = client.post(
        f"/fi/staff/courses/{course.group.id}/applications/{w0.id}/offer/withdraw")
    assert response.status_code == 403
    assert _offers(db_session, "w0@example.com")[0].status == OfferStatus.OPEN


def test_more_places_on_the_course_are_offered_to_the_waiting_list(
        client, course, full_course, db_session, make, login):
    coordinator = make.user(course.areas[0], role=Role.COORDINATOR,
                            email="koordinaattori@example.com")
    db_session.commit()
    login(coordinator)
    form = client.get(f"/fi/staff/series/groups/{course.group.id}/edit")
    assert form.status_code == 200
    from remote_groups.series.views import GROUP_FIELDS
    data = {}
    for name in GROUP_FIELDS:
        value = getattr(course.group, name)
        data[name] = getattr(value, "value", value) if value is not None else ""
    data.pop("applications_open_at")
    data.pop("applications_close_at")
    from remote_groups.i18n import local_time
    data["applications_open"] = local_time(course.group.applications_open_at).date().isoformat()
    data["applications_close"] = local_time(course.group.applications_close_at).date().isoformat()
    data["capacity"] = "4"
    response = client.post(f"/fi/staff/series/groups/{course.group.id}/edit", data=data)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    assert [o.status for o in _offers(db_session, "w0@example.com")] == [OfferStatus.OPEN]
    assert [o.status for o in _offers(db_session, "w1@example.com")] == [OfferStatus.OPEN]
    assert _offers(db_session, "w2@example.com") == []


def test_export_and_erase_include_the_offers(client, course, full_course, db_session, make,
                                             login):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    admin = make.user(course.areas[0], role=Role.ADMIN, email="admin@example.com")
    db_session.commit()
    login(admin)
    exported = client.post("/fi/staff/courses/data-requests",
                           data={"email": "w0@example.com", "action": "export"}).get_json()
    [offer] = exported["applications"][0]["seat_offers"]
    assert offer["status"] == "open" and offer["expires_at"]
    client.post("/fi/staff/courses/data-requests",
                data={"email": "w0@example.com", "action": "erase"})
    db_session.expire_all()
    erased = db_session.scalars(select(Application).where(
        Application.erased_at.is_not(None))).all()
    assert erased and all(
        db_session.scalar(select(SeatOffer).where(SeatOffer.application_id == a.id)) is None
        for a in erased)
    # Erasing the person who held the offer passed it on, as a withdrawal does.
    assert _offers(db_session, "w1@example.com")[0].status == OfferStatus.OPEN


def test_the_retention_purge_removes_the_offers(app, client, course, full_course, db_session):
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    assert _offers(db_session, "w0@example.com")
    for s in course.sessions:
        s.starts_at = utcnow() - timedelta(days=60)
        s.ends_at = s.starts_at + timedelta(hours=2)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "purge"])
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    assert db_session.scalars(select(SeatOffer)).all() == []
