"""What happens to applications: submit, decide, withdraw, links, mails, invites, erasure.

Views call these functions and commit; every function works inside the caller's transaction,
so a decision, its mail and its calendar invites are saved together or not at all. Seat
decisions come from `rules.capacity`; this module loads the facts and applies the answer with
the course row locked, so two facilitators accepting the last seat at once cannot both win."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from .. import audit, signals
from ..attendance.models import AttendanceMark
from ..calendar import invites
from ..calendar.invites import Recipient
from ..extensions import db
from ..groups.models import Group, GroupKind, Session, SessionStatus
from ..i18n import localized
from ..links import external_url
from ..mail.notify import queue_mail
from ..offers.models import OfferStatus, SeatOffer
from ..people.models import User
from ..rules import capacity
from ..rules.capacity import Decision, Outcome, Status
from ..transactions import lock_rows
from . import needs
from .crypto import email_lookup_hash, token_hash
from .models import Application, ApplicationChange

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApplicantDetails:
    """What the form gives: plain values, already trimmed and validated."""

    name: str
    email: str
    phone: str
    home_area_id: int | None
    language: str
    motivation: str
    support_needs: str  # the "other needs" text
    wants_reminders: bool = False
    # Defaults, so details saved aside before the needs form (ApplicationChange) still load.
    needs: str = ""  # JSON of `needs.Needs`
    show_name: bool = False
    # The reminder choice on the form when text messages are offered ("sms", "email",
    # "both", "none"; "" when not offered: then `wants_reminders` alone decides), and the
    # mobile number for texts in E.164 ("" without texts).
    reminder_way: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class Submitted:
    application: Application
    # The new private link; None when the address already had an application and only a
    # confirmation link was mailed (nothing changed yet).
    status_token: str | None
    updated: bool  # the address already had an application to this course

# How long a confirmation link for details sent again keeps working.
CHANGE_TTL = timedelta(days=2)


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


# --- links --------------------------------------------------------------------------------

def issue_status_link(application: Application) -> str:
    """A new private status link; any earlier link stops working. Returns the token, which is
    never stored: only its hash is."""
    token = new_token()
    application.status_token_hash = token_hash(token)
    return token


def ensure_join_key(application: Application) -> str:
    """The key in the personal join links of this participant's calendar invites."""
    if not application.join_key:
        key = new_token()
        application.join_key = key
        application.join_key_hash = token_hash(key)
    return application.join_key


def revoke_links(application: Application) -> None:
    """The status link and the join links stop working at once."""
    application.status_token_hash = None
    application.join_key_hash = None
    application.join_key = ""


def status_url(application: Application, token: str) -> str:
    return external_url("courses.status", lang=application.language, token=token)


def personal_join_url(application: Application, session: Session) -> str:
    key = ensure_join_key(application)
    return external_url("courses.join", lang=application.language, token=key,
                        session_id=session.id)


def personal_course_url(application: Application) -> str:
    """The link on the participant's recurring calendar entry: it opens the personal join
    page of the course's next session."""
    key = ensure_join_key(application)
    return external_url("courses.join_next", lang=application.language, token=key)


def application_for_status_token(token: str) -> Application | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Application).where(Application.status_token_hash == token_hash(token))
    )


def application_for_any_token(token: str) -> Application | None:
    """The join page takes either the status token (from the status page) or the join key
    (from a calendar invite)."""
    if not token or len(token) > 100:
        return None
    digest = token_hash(token)
    return db.session.scalar(
        select(Application).where(
            (Application.status_token_hash == digest) | (Application.join_key_hash == digest)
        )
    )


# --- applying -----------------------------------------------------------------------------

def find_application(group_id: int, email: str) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.group_id == group_id, Application.email_hash == email_lookup_hash(email)
        )
    )


def apply_details(application: Application, details: ApplicantDetails) -> None:
    application.name = details.name
    application.phone = details.phone
    application.home_area_id = details.home_area_id
    application.language = details.language
    application.motivation = details.motivation
    application.support_needs = details.support_needs
    application.needs = details.needs
    application.show_name = details.show_name
    application.wants_reminders = details.wants_reminders


def _reminders_chosen(application: Application, details: ApplicantDetails,
                      now: datetime) -> None:
    """The reminder choice made on the form, stored with its time by the text-message
    feature (`signals.application_reminders_chosen`)."""
    if details.reminder_way:
        signals.answers(signals.application_reminders_chosen, application=application,
                        way=details.reminder_way, mobile=details.mobile, now=now)


def submit_application(group: Group, details: ApplicantDetails, now: datetime) -> Submitted:
    """Save a new application and queue the confirmation with its private link.

    If the address already has an application to the course, nothing stored changes: the
    details wait as an `ApplicationChange` and a confirmation link goes to that address
    (`queue_change_confirmation`). Only its owner can then update the application or send a
    withdrawn one back into the queue, and their private link keeps working meanwhile."""
    email = details.email.strip().lower()
    existing = find_application(group.id, email)
    if existing is not None:
        propose_change(existing, details, now)
        return Submitted(application=existing, status_token=None, updated=True)
    application = Application(
        group=group, email=email, email_hash=email_lookup_hash(email), applied_at=now,
        status=Status.PENDING,
    )
    db.session.add(application)
    apply_details(application, details)
    application.consent_at = now
    token = issue_status_link(application)
    db.session.flush()
    _reminders_chosen(application, details, now)
    queue_confirmation(application, token, updated=False)
    return Submitted(application=application, status_token=token, updated=False)


def propose_change(application: Application, details: ApplicantDetails, now: datetime) -> str:
    """Keep the sent details aside and mail the address a link that applies them."""
    token = new_token()
    db.session.add(ApplicationChange(
        application=application, token_hash=token_hash(token),
        details=json.dumps(asdict(details)), created_at=now, expires_at=now + CHANGE_TTL,
    ))
    db.session.flush()
    lang = details.language
    title = course_title(application.group, lang)
    queue_mail(
        kind="course_change", recipient=application.email, language=lang,
        template="course_change", subject=_l("Confirm your application: %(title)s"),
        subject_params={"title": title}, title=title, group=application.group,
        confirm_url=external_url("courses.confirm_change", lang=lang, token=token),
        hours=int(CHANGE_TTL.total_seconds() // 3600),
    )
    return token


def change_for_token(token: str, now: datetime) -> ApplicationChange | None:
    """The waiting change behind a confirmation link, if it is unused and unexpired and its
    application still exists with its data."""
    if not token or len(token) > 100:
        return None
    change = db.session.scalar(
        select(ApplicationChange).where(ApplicationChange.token_hash == token_hash(token)))
    if (change is None or change.used_at is not None or change.expires_at <= now
            or change.application.is_erased):
        return None
    return change


def confirm_change(change: ApplicationChange, now: datetime) -> str | None:
    """The address's owner confirmed: apply the details (a withdrawn application goes back in
    the queue, last in line; any decision stays), give a fresh private link and mail it.
    The link is claimed with one conditional UPDATE, so two clicks at once apply it once.
    Returns the new status token, or None when the link was already used."""
    claimed = db.session.execute(
        update(ApplicationChange)
        .where(ApplicationChange.id == change.id, ApplicationChange.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    application = change.application
    details = ApplicantDetails(**json.loads(change.details))
    if application.status == Status.WITHDRAWN:
        application.status = Status.PENDING
        application.applied_at = now
    apply_details(application, details)
    application.consent_at = now
    token = issue_status_link(application)
    db.session.flush()
    _reminders_chosen(application, details, now)
    queue_confirmation(application, token, updated=True)
    return token


def course_title(group: Group, lang: str) -> str:
    return localized(group, "title", lang)[0]


def queue_confirmation(application: Application, token: str, *, updated: bool) -> None:
    lang = application.language
    queue_mail(
        kind="course_application", recipient=application.email, language=lang,
        template="course_application", subject=_l("We received your application: %(title)s"),
        subject_params={"title": course_title(application.group, lang)},
        application=application, title=course_title(application.group, lang),
        group=application.group,
        status_url=status_url(application, token), updated=updated,
        retention_days=current_app.config["RETENTION_DAYS"],
    )


def queue_new_link(application: Application, now: datetime) -> str:
    """Staff sent a new private link (the old one stops working). If the join links were
    revoked too, an accepted participant's calendar entries get updated invites carrying
    the new personal join links."""
    token = issue_status_link(application)
    if application.status == Status.ACCEPTED and not application.join_key:
        sessions = upcoming_sessions(application.group, now)
        if sessions:
            invites.queue_entry(application.group,
                                participant_recipient(application, sessions[0]))
    lang = application.language
    queue_mail(
        kind="course_link", recipient=application.email, language=lang,
        template="course_link", subject=_l("Your new link: %(title)s"),
        subject_params={"title": course_title(application.group, lang)},
        title=course_title(application.group, lang), status_url=status_url(application, token),
        group=application.group,
    )
    return token


# --- seats --------------------------------------------------------------------------------

def lock_course(group_id: int) -> Group | None:
    """Lock the course row for the rest of the transaction and read it fresh.

    A second facilitator's transaction waits in `lock_rows` until the first commits, then
    counts the seats again (on SQLite, the no-op UPDATE there takes the database's write
    lock before the seats are counted)."""
    lock_rows(Group, [group_id])
    return db.session.get(Group, group_id, populate_existing=True)


def status_counts(group_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Applications per course and status, for the staff overview (one query)."""
    counts: dict[int, dict[str, int]] = {i: {} for i in group_ids}
    if not group_ids:
        return counts
    rows = db.session.execute(
        select(Application.group_id, Application.status, func.count())
        .where(Application.group_id.in_(group_ids), Application.erased_at.is_(None))
        .group_by(Application.group_id, Application.status)
    )
    for group_id, status, count in rows:
        counts[group_id][Status(status).value] = count
    return counts


def applicants(group_id: int) -> list[capacity.Applicant]:
    """The course's applications as the seat rules see them, open seat offers included."""
    rows = db.session.execute(
        select(Application.id, Application.status, Application.applied_at).where(
            Application.group_id == group_id
        )
    )
    offered: set[int] = set()
    passed: set[int] = set()
    for application_id, offer_status in db.session.execute(
            select(SeatOffer.application_id, SeatOffer.status)
            .where(SeatOffer.group_id == group_id)):
        if offer_status == OfferStatus.OPEN:
            offered.add(application_id)
        elif offer_status in (OfferStatus.EXPIRED, OfferStatus.WITHDRAWN):
            passed.add(application_id)
    return [capacity.Applicant(id=i, status=Status(s), applied_at=a, offered=i in offered,
                               passed_over=i in passed and i not in offered)
            for i, s, a in rows]


def upcoming_sessions(group: Group, now: datetime) -> list[Session]:
    return list(db.session.scalars(
        select(Session).where(
            Session.group_id == group.id, Session.ends_at > now,
            Session.status == SessionStatus.SCHEDULED,
        ).order_by(Session.starts_at)
    ))


def participant_recipient(application: Application, session: Session) -> Recipient:
    return Recipient(email=application.email, name=application.name,
                     language=application.language, chair=False,
                     join_url=personal_join_url(application, session),
                     reminders=application.wants_reminders,
                     entry_url=personal_course_url(application))


def participant_recipients(session: Session) -> list[Recipient]:
    """The participant source for calendar updates: accepted people on a closed course."""
    group = session.group
    if group is None or group.kind != GroupKind.CLOSED:
        return []
    accepted = db.session.scalars(
        select(Application).where(
            Application.group_id == group.id, Application.status == Status.ACCEPTED,
            Application.erased_at.is_(None),
        ).order_by(Application.id)
    )
    return [participant_recipient(a, session) for a in accepted]


def accepted_participants(group: Group) -> list[tuple[str, str]]:
    """Who gets the course-end survey, as (e-mail, language): accepted participants whose
    data is not erased."""
    rows = db.session.execute(
        select(Application.email, Application.language).where(
            Application.group_id == group.id, Application.status == Status.ACCEPTED,
            Application.erased_at.is_(None), Application.email != "",
        ).order_by(Application.id)
    )
    return [(email, language) for email, language in rows]


def _accept(application: Application, now: datetime, message: str, *, promoted: bool) -> None:
    application.status = Status.ACCEPTED
    application.decided_at = now
    sessions = upcoming_sessions(application.group, now)
    _queue_decision(application, "promoted" if promoted else "accepted", message, sessions)
    if sessions:  # one recurring entry for the whole course
        invites.queue_entry(application.group, participant_recipient(application, sessions[0]))


def accept_offered(application: Application, now: datetime) -> None:
    """The person accepted the seat offered to them (the offers feature closed the offer
    with the course locked): accepted, told by mail, invited."""
    _accept(application, now, "", promoted=True)


def _queue_decision(application: Application, kind: str, message: str,
                    sessions: Sequence[Session] = ()) -> None:
    lang = application.language
    title = course_title(application.group, lang)
    subjects = {
        "accepted": _l("You have a place on the course: %(title)s"),
        "promoted": _l("A place opened up for you: %(title)s"),
        "declined": _l("About your application: %(title)s"),
        "waiting": _l("You are on the waiting list: %(title)s"),
    }
    # "The course is full" only when it is: staff may put someone on the waiting list while
    # seats are still free (e.g. to decide later).
    course_full = (kind == "waiting" and application.group.capacity is not None
                   and capacity.seats_left(application.group.capacity,
                                           applicants(application.group_id)) <= 0)
    queue_mail(
        kind="course_decision", recipient=application.email, language=lang,
        template="course_decision", subject=subjects[kind], subject_params={"title": title},
        title=title, decision=kind, message=message, group=application.group,
        course_full=course_full,
        join_links=[(s, personal_join_url(application, s)) for s in sessions],
    )
    signals.answers(signals.application_decided, application=application, decision=kind)


def decide_application(group_id: int, application_id: int, decision: Decision, message: str,
                       by: User, now: datetime) -> Outcome | None:
    """Apply a facilitator's decision with the course locked. Returns None when the
    application is not on this course. The caller commits (which releases the lock)."""
    group = lock_course(group_id)
    if group is None or group.capacity is None:
        return None
    application = db.session.get(Application, application_id, populate_existing=True)
    if application is None or application.group_id != group_id or application.is_erased:
        return None
    outcome = capacity.decide(group.capacity, applicants(group_id), application_id, decision)
    if not outcome.changed:
        return outcome
    was_accepted = application.status == Status.ACCEPTED
    # Staff decide directly: an open offer to this person ends with their decision (taken
    # up when they accept, withdrawn otherwise; the seat then stays free for staff to fill).
    offer = db.session.scalar(select(SeatOffer).where(
        SeatOffer.application_id == application.id, SeatOffer.status == OfferStatus.OPEN))
    if offer is not None:
        offer.status = (OfferStatus.ACCEPTED if outcome.status == Status.ACCEPTED
                        else OfferStatus.WITHDRAWN)
        offer.answered_at = now
        audit.record("offer.accept" if offer.status == OfferStatus.ACCEPTED
                     else "offer.withdraw", actor=by, subject="application",
                     subject_id=application.id, changes={"offer": [offer.id, None]})
    application.decided_by_id = by.id
    application.decision_message = message
    if outcome.status == Status.ACCEPTED:
        _accept(application, now, message, promoted=False)
    else:
        application.status = outcome.status
        application.decided_at = now
        _queue_decision(application, "declined" if outcome.status == Status.DECLINED
                        else "waiting", message)
        if was_accepted:
            _cancel_invites(application, now)
    return outcome


def _cancel_invites(application: Application, now: datetime) -> None:
    # What other features booked for the participant goes too (an intake call).
    signals.answers(signals.participant_leaving, application=application, now=now)
    sessions = upcoming_sessions(application.group, now)
    if sessions:  # one CANCEL of the person's entry, without STATUS: the course goes on
        invites.queue_leaving(application.group, participant_recipient(application, sessions[0]))


def withdraw_application(application: Application, now: datetime, *,
                         offer_status: OfferStatus = OfferStatus.WITHDRAWN) -> list[Application]:
    """The applicant withdraws (or declines the seat offered to them: `offer_status`). An
    accepted participant's calendar entries are cancelled, and the seat they held (or were
    offered) is offered to the first on the waiting list (`offers.service.make_offers`).
    Returns the applications that got an offer."""
    from ..offers.service import make_offers

    group = lock_course(application.group_id)
    db.session.refresh(application)
    if group is None or application.status == Status.WITHDRAWN:
        return []
    offered_ids = capacity.withdraw(group.capacity or 0, applicants(group.id), application.id)
    if application.status == Status.ACCEPTED:
        _cancel_invites(application, now)
    offer = db.session.scalar(select(SeatOffer).where(
        SeatOffer.application_id == application.id, SeatOffer.status == OfferStatus.OPEN))
    if offer is not None:
        offer.status = offer_status
        offer.answered_at = now
    application.status = Status.WITHDRAWN
    application.decided_at = now
    db.session.flush()
    made = make_offers(group, offered_ids, now)
    db.session.flush()
    return [o.application for o in made]


# --- data care ----------------------------------------------------------------------------

def anonymise(application: Application, now: datetime) -> None:
    """Erase everything that identifies the person; keep the course, status, home area,
    language and dates, which are needed for participation figures and are not personal."""
    application.name = ""
    application.email = ""
    application.email_hash = None
    application.phone = ""
    application.motivation = ""
    application.support_needs = ""
    application.needs = ""
    application.show_name = False
    application.decision_message = ""
    revoke_links(application)
    application.erased_at = now
    # Staff's follow-up notes on absences are about the person too (often why they were
    # away: health); the marks themselves stay for the attendance figures.
    db.session.execute(
        update(AttendanceMark).where(AttendanceMark.application_id == application.id)
        .values(follow_up_note="").execution_options(synchronize_session="fetch")
    )
    # Details sent again and never confirmed are the person's data too.
    db.session.execute(delete(ApplicationChange)
                       .where(ApplicationChange.application_id == application.id)
                       .execution_options(synchronize_session=False))
    # What other features keep about the person (intake, assessments, messages, numbers).
    signals.answers(signals.application_erasing, application=application, now=now)


def course_end(group: Group) -> datetime | None:
    """When the course's last session ends (or, without sessions, when applications closed)."""
    last = db.session.scalar(select(func.max(Session.ends_at)).where(Session.group_id == group.id))
    return last or group.applications_close_at


def purge_expired(now: datetime, retention_days: int) -> int:
    """Anonymise the applications of courses that ended `retention_days` ago or earlier.
    Returns how many applications were anonymised; safe to run again and again (cron)."""
    cutoff = now - timedelta(days=retention_days)
    group_ids = db.session.scalars(
        select(Application.group_id).where(Application.erased_at.is_(None)).distinct()
    )
    erased = 0
    for group_id in list(group_ids):
        group = db.session.get(Group, group_id)
        end = course_end(group) if group else None
        if end is None or end > cutoff:
            continue
        for application in db.session.scalars(
            select(Application).where(Application.group_id == group_id,
                                      Application.erased_at.is_(None))
        ):
            anonymise(application, now)
            erased += 1
    db.session.execute(delete(ApplicationChange).where(ApplicationChange.expires_at <= now)
                       .execution_options(synchronize_session=False))
    log.info("courses purge: %d applications anonymised", erased)
    return erased


def applications_of_person(email: str) -> list[Application]:
    return list(db.session.scalars(
        select(Application).where(Application.email_hash == email_lookup_hash(email))
        .order_by(Application.id)
    ))


def export_person(email: str) -> dict[str, Any]:
    """Everything stored about one person, for a data-access request."""
    items = []
    for a in applications_of_person(email):
        items.append({
            "course": {"id": a.group_id, "title_fi": a.group.title_fi,
                       "title_sv": a.group.title_sv},
            "status": a.status.value,
            "name": a.name, "email": a.email, "phone": a.phone,
            "home_area": a.home_area.name_fi if a.home_area else None,
            "language": a.language,
            "why_join": a.motivation, "support_needs": a.support_needs,
            "needs": needs.export(a.needs), "name_shown_in_video_room": a.show_name,
            "wants_reminders": a.wants_reminders,
            "message_from_facilitators": a.decision_message,
            "consent_at": _iso(a.consent_at), "applied_at": _iso(a.applied_at),
            "updated_at": _iso(a.updated_at), "decided_at": _iso(a.decided_at),
            "attendance": _attendance_of(a.id),
            **_more_of(a),
        })
    return {"applications": items}


def _more_of(application: Application) -> dict[str, Any]:
    """What the other features keep about the person, each under its own keys."""
    more: dict[str, Any] = {}
    for part in signals.answers(signals.application_exporting, application=application) or []:
        more.update(part or {})
    return more


def _attendance_of(application_id: int) -> list[dict[str, Any]]:
    marks = db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.application_id == application_id)
        .order_by(AttendanceMark.session_id))
    return [{"session": m.session_id, "status": m.status.value, "notice_at": _iso(m.notice_at),
             "contacted_at": _iso(m.contacted_at), "follow_up_note": m.follow_up_note}
            for m in marks]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def erase_person(email: str, now: datetime) -> int:
    """Erase one person's data on request. An application still in play is withdrawn first,
    so calendar entries are cancelled and a waiting person gets the seat."""
    applications = applications_of_person(email)
    for application in applications:
        if application.status in (Status.ACCEPTED, Status.PENDING, Status.WAITING):
            withdraw_application(application, now)
        anonymise(application, now)
    return len(applications)


def cancel_course(group: Group, reason: str, now: datetime) -> int:
    """Cancel every session still ahead. Each person on the course gets one CANCEL of their
    calendar entry (STATUS:CANCELLED), with the reason when staff gave one; the sessions'
    own cancellations are not sent one by one. Returns how many people were told."""
    sessions = upcoming_sessions(group, now)
    people = [r for s in sessions for r in invites.current_recipients(s)]
    for session in sessions:
        session.status = SessionStatus.CANCELLED
        if hasattr(session, "cancel_reason"):
            session.cancel_reason = reason.strip()[:300]
        session.bump_sequence()
    db.session.flush()
    return invites.queue_group_cancelled(group, people, reason.strip())
