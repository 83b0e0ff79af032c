"""Staff accounts from the web: invite, change, deactivate and reactivate.

Who may manage whom is `may_manage`; what a change means for the person's sessions and swap
requests is `step_down` (see docs/staff.md). Every change is written to the audit log.
Nothing here commits: the view does, once, so a change, its audit entry and its mails are
saved together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from .. import audit
from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Session, SessionStatus
from ..links import external_url
from ..mail.notify import queue_mail
from . import security
from .models import Area, FacilitatorKind, Role, User

INVITE_TTL = timedelta(days=7)
PROFILE_FIELDS = ("first_name", "last_name", "email", "role", "area_id", "facilitator_kind",
                  "language")


class AccountError(ValueError):
    """A change refused, with the form field it is about and a translated message."""

    def __init__(self, field_name: str, message: object) -> None:
        super().__init__(str(message))
        self.field = field_name
        self.message = message


@dataclass
class Profile:
    """What a form says about a person (the same for an invitation and a change)."""

    email: str
    first_name: str
    last_name: str
    role: Role
    area_id: int
    facilitator_kind: FacilitatorKind | None
    language: str


@dataclass
class SteppedDown:
    """What leaving a role or an area undid: sessions the person was taken off, and their
    open swap requests that were withdrawn."""

    sessions: list[Session] = field(default_factory=list)
    withdrawn_requests: int = 0


# --- who may manage whom -------------------------------------------------------------------


def may_manage(actor: User, person: User | None = None) -> bool:
    """Admins manage everyone; a coordinator manages the facilitators and coordinators of
    their own area (never an admin). Nobody else manages accounts."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role != Role.COORDINATOR:
        return False
    return person is None or (person.area_id == actor.area_id and person.role != Role.ADMIN)


def roles_for(actor: User) -> list[Role]:
    """The roles the actor may give."""
    if actor.role == Role.ADMIN:
        return list(Role)
    return [Role.FACILITATOR, Role.COORDINATOR]


def areas_for(actor: User) -> list[Area]:
    """The areas the actor may put someone in: active areas (and the actor's own)."""
    if actor.role == Role.ADMIN:
        return list(db.session.scalars(
            select(Area).where(Area.active.is_(True)).order_by(Area.name_fi)))
    return [actor.area]


def people_for(actor: User) -> list[User]:
    query = select(User).order_by(User.active.desc(), User.last_name, User.first_name)
    if actor.role != Role.ADMIN:
        query = query.where(User.area_id == actor.area_id)
    return list(db.session.scalars(query))


def _check(actor: User, profile: Profile, person: User | None) -> None:
    email = profile.email.strip().lower()
    taken = db.session.scalar(select(User.id).where(func.lower(User.email) == email))
    if taken is not None and (person is None or taken != person.id):
        raise AccountError("email", _l("Someone has an account with this address already."))
    if profile.role not in roles_for(actor):
        raise AccountError("role", _l("You cannot give this role."))
    if profile.area_id not in {a.id for a in areas_for(actor)} and not (
            person is not None and person.area_id == profile.area_id):
        raise AccountError("area_id", _l("Choose an area from the list."))
    if person is not None and person.id == actor.id and profile.role != person.role:
        raise AccountError("role", _l("You cannot change your own role. Ask another admin."))


# --- invite ------------------------------------------------------------------------------


def invite(actor: User, profile: Profile, now: datetime | None = None) -> User:
    """Create the account without a password and mail a one-time link to set one."""
    _check(actor, profile, None)
    user = User(email=profile.email, first_name=profile.first_name.strip(),
                last_name=profile.last_name.strip(), role=profile.role,
                area_id=profile.area_id, language=profile.language,
                facilitator_kind=_kind(profile))
    db.session.add(user)
    db.session.flush()
    send_invitation(user, actor, now)
    audit.record("user.invite", actor=actor, subject="user", subject_id=user.id,
                 changes=audit.diff({}, _profile_values(user)))
    return user


def send_invitation(user: User, actor: User, now: datetime | None = None) -> None:
    """The invitation mail: who invited, and the link (valid INVITE_TTL, works once)."""
    token = security.issue_reset_token(user, now, ttl=INVITE_TTL)
    link = external_url("staff.reset_password", lang=user.language, token=token)
    queue_mail(kind="staff_invite", recipient=user.email, language=user.language,
               template="staff_invite", subject=_l("Your account for the remote groups"),
               link=link, days=INVITE_TTL.days, inviter=actor.full_name,
               area=user.area if user.area is not None else db.session.get(Area, user.area_id),
               role=user.role, lang_code=user.language)


def _kind(profile: Profile) -> FacilitatorKind | None:
    if profile.role != Role.FACILITATOR:
        return None
    return profile.facilitator_kind or FacilitatorKind.PROFESSIONAL


def _profile_values(user: User) -> dict[str, object]:
    return audit.snapshot(user, PROFILE_FIELDS)


# --- change, deactivate, reactivate --------------------------------------------------------


def change(actor: User, person: User, profile: Profile, now: datetime | None = None
           ) -> SteppedDown:
    """Apply a form's changes. Leaving the facilitator role or the area takes the person off
    their upcoming sessions and withdraws their open swap requests (`step_down`)."""
    _check(actor, profile, person)
    before = _profile_values(person)
    leaves = (person.role == Role.FACILITATOR and profile.role != Role.FACILITATOR) or (
        person.area_id != profile.area_id)
    person.first_name = profile.first_name.strip()
    person.last_name = profile.last_name.strip()
    person.email = profile.email
    person.role = profile.role
    person.area_id = profile.area_id
    person.area = db.session.get(Area, profile.area_id)  # type: ignore[assignment]
    person.facilitator_kind = _kind(profile)
    person.language = profile.language
    db.session.flush()
    result = step_down(person, now, tell_them=True) if leaves else SteppedDown()
    changes = audit.diff(before, _profile_values(person))
    if changes:
        audit.record("user.change", actor=actor, subject="user", subject_id=person.id,
                     changes=_with_step_down(changes, result))
    return result


def deactivate(actor: User, person: User, now: datetime | None = None) -> SteppedDown:
    """The account can no longer sign in (open pages sign out at the next click), gets no
    mail and is offered no sessions; past sessions keep their name."""
    if person.id == actor.id:
        raise AccountError("account", _l("You cannot deactivate your own account."))
    if not person.active:
        return SteppedDown()
    person.active = False
    db.session.flush()
    result = step_down(person, now, tell_them=False)
    audit.record("user.deactivate", actor=actor, subject="user", subject_id=person.id,
                 changes=_with_step_down({"active": [True, False]}, result))
    return result


def reactivate(actor: User, person: User) -> None:
    """Signing in works again (with the old password, or a reset link). Sessions taken
    away at deactivation are not given back: a coordinator plans them anew."""
    if person.active:
        return
    person.active = True
    audit.record("user.reactivate", actor=actor, subject="user", subject_id=person.id,
                 changes={"active": [False, True]})


def _with_step_down(changes: dict[str, list[object]], result: SteppedDown
                    ) -> dict[str, list[object]]:
    if result.sessions:
        changes["upcoming_sessions"] = [sorted(s.id for s in result.sessions), []]
    if result.withdrawn_requests:
        changes["open_swap_requests"] = [result.withdrawn_requests, 0]
    return changes


def step_down(person: User, now: datetime | None = None, *, tell_them: bool) -> SteppedDown:
    """Take the person off every upcoming session and withdraw their open swap requests.

    Everyone still on a session gets an updated invite; the person gets a cancellation only
    when `tell_them` (a changed role or area; a deactivated account gets no mail)."""
    from ..calendar import invites

    now = now or utcnow()
    result = SteppedDown()
    sessions = list(db.session.scalars(
        select(Session).where(Session.facilitators.any(User.id == person.id),
                              Session.starts_at > now,
                              Session.status == SessionStatus.SCHEDULED)
        .order_by(Session.starts_at)))
    for session in sessions:
        removed = [r for r in invites.facilitator_recipients(session)
                   if r.email == person.email] if tell_them else []
        session.facilitators = [u for u in session.facilitators if u.id != person.id]
        session.bump_sequence()
        db.session.flush()
        invites.queue_session_changed(session, removed=removed)
        result.sessions.append(session)
    result.withdrawn_requests = _withdraw_requests_of(person, now)
    return result


def _withdraw_requests_of(person: User, now: datetime) -> int:
    from ..swaps.models import SwapRequest, SwapStatus

    withdrawn = db.session.execute(
        update(SwapRequest)
        .where(SwapRequest.proposer_id == person.id, SwapRequest.status == SwapStatus.PROPOSED,
               SwapRequest.expires_at > now)
        .values(status=SwapStatus.WITHDRAWN).execution_options(synchronize_session=False))
    return int(withdrawn.rowcount or 0)  # type: ignore[attr-defined]
