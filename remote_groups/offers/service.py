"""Seat offers: make them, answer them, let them lapse, and keep them in data care.

Every function works inside the caller's transaction with the course row locked
(`courses.service.lock_course`), the same lock every seat decision takes, so a seat is never
offered to two people: whoever comes second counts the open offers the first one made. The
decisions themselves come from `rules.capacity` (`withdraw`, `lapse`, `new_places`,
`offers_due`); this module loads the facts and applies the answer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import audit, dates
from ..courses import service as courses
from ..courses.models import Application
from ..extensions import db
from ..groups.models import Group
from ..mail.notify import queue_mail
from ..people.models import User
from ..rules import capacity
from ..rules.capacity import Status
from .models import OfferStatus, SeatOffer


def offer_hours() -> int:
    return int(current_app.config.get("SEAT_OFFER_HOURS", 48))


def open_offer(application_id: int) -> SeatOffer | None:
    return db.session.scalar(
        select(SeatOffer).where(SeatOffer.application_id == application_id,
                                SeatOffer.status == OfferStatus.OPEN)
        .execution_options(populate_existing=True))


def latest_offer(application_id: int) -> SeatOffer | None:
    return db.session.scalar(
        select(SeatOffer).where(SeatOffer.application_id == application_id)
        .order_by(SeatOffer.offered_at.desc(), SeatOffer.id.desc()).limit(1))


def open_offers(group_id: int) -> dict[int, SeatOffer]:
    """The course's open offers by application id (staff review page)."""
    rows = db.session.scalars(select(SeatOffer).where(SeatOffer.group_id == group_id,
                                                      SeatOffer.status == OfferStatus.OPEN))
    return {o.application_id: o for o in rows}


def make_offers(group: Group, application_ids: Iterable[int], now: datetime) -> list[SeatOffer]:
    """Offer a seat to each of these waiting applicants (the rules chose them, with the
    course locked): a row with its deadline, a mail with a fresh private link, an audit
    entry. The fresh link is needed because the old one is stored only as a hash."""
    made = []
    for application_id in application_ids:
        application = db.session.get(Application, application_id)
        if application is None or application.status != Status.WAITING or application.is_erased:
            continue
        offer = SeatOffer(group_id=group.id, application_id=application.id, offered_at=now,
                          expires_at=capacity.offer_deadline(now, offer_hours()))
        db.session.add(offer)
        db.session.flush()
        _queue_offer_mail(application, offer)
        audit.record("offer.make", actor=None, subject="application",
                     subject_id=application.id,
                     changes={"offer": [None, offer.id],
                              "expires_at": [None, offer.expires_at.isoformat()]})
        made.append(offer)
    return made


def _queue_offer_mail(application: Application, offer: SeatOffer) -> None:
    lang = application.language
    title = courses.course_title(application.group, lang)
    token = courses.issue_status_link(application)
    queue_mail(
        kind="course_offer", recipient=application.email, language=lang,
        template="course_offer", subject=_l("A place is free for you: %(title)s"),
        subject_params={"title": title}, title=title, group=application.group,
        deadline=dates.moment_in_text(offer.expires_at, lang),
        status_url=courses.status_url(application, token),
    )


def _queue_lapsed_mail(application: Application) -> None:
    """The offer lapsed unanswered: a short note that they are still on the waiting list.
    No link: the private link is stored only as a hash, and a fresh one would cut off the
    link they already have (the offer mail's), which still works."""
    if application.is_erased or not application.email:
        return
    lang = application.language
    title = courses.course_title(application.group, lang)
    queue_mail(
        kind="course_offer_lapsed", recipient=application.email, language=lang,
        template="course_offer_lapsed", subject=_l("The offer of a place has ended: %(title)s"),
        subject_params={"title": title}, title=title, group=application.group,
    )


def close_offer(application_id: int, status: OfferStatus, now: datetime) -> SeatOffer | None:
    """End the application's open offer (if any) as `status`."""
    offer = open_offer(application_id)
    if offer is not None:
        offer.status = status
        offer.answered_at = now
    return offer


# --- the person's answer ------------------------------------------------------------------

def accept(application: Application, now: datetime) -> bool:
    """The person takes the offered seat through their link. False when there is no open
    offer any more (answered, withdrawn, or past its deadline: the periodic step passes
    it on)."""
    group = courses.lock_course(application.group_id)
    db.session.refresh(application)
    offer = open_offer(application.id)
    if (group is None or offer is None or application.status != Status.WAITING
            or not capacity.offer_is_open(offer.expires_at, now)):
        return False
    # The places may have been lowered meanwhile: the seat must still be there.
    if capacity.decide(group.capacity or 0, courses.applicants(group.id), application.id,
                       capacity.Decision.ACCEPT).full:
        return False
    offer.status = OfferStatus.ACCEPTED
    offer.answered_at = now
    courses.accept_offered(application, now)
    audit.record("offer.accept", actor=None, subject="application", subject_id=application.id,
                 changes={"status": [Status.WAITING.value, Status.ACCEPTED.value]})
    db.session.flush()
    return True


def decline(application: Application, now: datetime) -> bool:
    """The person says no: the application is withdrawn and the seat offered on at once."""
    courses.lock_course(application.group_id)
    db.session.refresh(application)
    if open_offer(application.id) is None or application.status != Status.WAITING:
        return False
    courses.withdraw_application(application, now, offer_status=OfferStatus.DECLINED)
    audit.record("offer.decline", actor=None, subject="application", subject_id=application.id,
                 changes={"status": [Status.WAITING.value, Status.WITHDRAWN.value]})
    return True


# --- the deadline ---------------------------------------------------------------------------

def due_offer_ids(now: datetime) -> list[int]:
    return list(db.session.scalars(
        select(SeatOffer.id).where(SeatOffer.status == OfferStatus.OPEN,
                                   SeatOffer.expires_at <= now).order_by(SeatOffer.id)))


def expire(offer_id: int, now: datetime) -> list[SeatOffer] | None:
    """One offer past its deadline lapses and its seat goes to the next person. Returns the
    offers made in its place ([] when nobody is left); None when the offer was answered
    meanwhile or is not yet due."""
    offer = db.session.get(SeatOffer, offer_id)
    if offer is None:
        return None
    group = courses.lock_course(offer.group_id)
    offer = open_offer(offer.application_id)
    if group is None or offer is None or offer.id != offer_id or offer.expires_at > now:
        return None
    following = capacity.lapse(group.capacity or 0, courses.applicants(group.id),
                               offer.application_id)
    offer.status = OfferStatus.EXPIRED
    offer.answered_at = now
    audit.record("offer.expire", actor=None, subject="application",
                 subject_id=offer.application_id, changes={"offer": [offer.id, None]})
    _queue_lapsed_mail(offer.application)
    made = make_offers(group, following, now)
    db.session.flush()
    return made


# --- staff ----------------------------------------------------------------------------------

def withdraw_by_staff(group_id: int, application_id: int, by: User,
                      now: datetime) -> SeatOffer | None:
    """Staff take an open offer back. The seat stays free for them to fill directly (they
    may accept anyone); the person stays on the waiting list. None when nothing was open."""
    courses.lock_course(group_id)
    offer = open_offer(application_id)
    if offer is None or offer.group_id != group_id:
        return None
    offer.status = OfferStatus.WITHDRAWN
    offer.answered_at = now
    audit.record("offer.withdraw", actor=by, subject="application", subject_id=application_id,
                 changes={"offer": [offer.id, None]})
    db.session.flush()
    return offer


def new_places(group: Group, added: int, now: datetime) -> list[SeatOffer]:
    """The course got more places: offer them to the first on the waiting list."""
    if added <= 0 or group.capacity is None:
        return []
    locked = courses.lock_course(group.id)
    if locked is None or locked.capacity is None:
        return []
    chosen = capacity.new_places(locked.capacity, courses.applicants(group.id), added)
    return make_offers(locked, chosen, now)


# --- data care ------------------------------------------------------------------------------

def export_offers(application: Application) -> dict[str, Any]:
    rows = db.session.scalars(select(SeatOffer).where(SeatOffer.application_id == application.id)
                              .order_by(SeatOffer.id))
    return {"seat_offers": [
        {"offered_at": o.offered_at.isoformat(), "expires_at": o.expires_at.isoformat(),
         "status": o.status.value,
         "answered_at": o.answered_at.isoformat() if o.answered_at else None}
        for o in rows]}


def erase_offers(application: Application) -> None:
    db.session.execute(delete(SeatOffer).where(SeatOffer.application_id == application.id)
                       .execution_options(synchronize_session=False))

