"""Series operations for the coordinator's pages: plan, save, edit the future, cancel one
session, add an extra one, change a host.

The planning decisions are the pure rules' (`rules.rotation`, `rules.overlaps`); this
module reads and writes the database around them. Nothing here commits: the view commits
once, so a change and the calendar messages it causes are saved together or not at all.
Problems come back as `SeriesError` with `Problem(field, code)`, or as `ClashError` listing
each facilitator booked twice, so the forms can put a message next to the right field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import signals
from ..calendar import invites
from ..extensions import db
from ..groups.booking import busy_outside_sessions, lock_booking, lock_facilitators_time
from ..groups.models import (
    Group,
    GroupKind,
    InstructionLanguage,
    Session,
    SessionStatus,
    Theme,
    session_facilitators,
)
from ..people.models import Area, Role, User
from ..rules.overlaps import Booking, find_overlaps
from ..rules.rotation import (
    PlannedSession,
    Problem,
    SeriesError,
    SeriesPlan,
    SeriesSpec,
    local_to_utc,
    plan_series,
    replan_future,
)
from . import notify
from .models import Series, SeriesSession


@dataclass(frozen=True)
class Clash:
    """`person` would be in the planned meeting at `starts_at` and in `other` at once, or
    `busy` then with something that is not a session (an intake call); one of the two."""

    person: User
    starts_at: datetime
    other: Session | None
    busy: signals.Busy | None = None


class ClashError(ValueError):
    """A facilitator would be booked in two overlapping sessions."""

    def __init__(self, clashes: list[Clash]) -> None:
        super().__init__(f"{len(clashes)} double bookings")
        self.clashes = clashes


@dataclass(frozen=True)
class Preview:
    plan: SeriesPlan
    host_order: tuple[int, ...]


# --- reading --------------------------------------------------------------------------------


def host_order(group: Group) -> tuple[int, ...]:
    """The rotation: co-running areas by `GroupArea.position`."""
    return tuple(ga.area_id for ga in sorted(group.group_areas, key=lambda ga: ga.position))


def series_of(group: Group) -> Series | None:
    return db.session.scalar(
        select(Series).where(Series.group_id == group.id).options(
            selectinload(Series.members).selectinload(SeriesSession.session)
            .selectinload(Session.facilitators),
            selectinload(Series.facilitator_links),
        )
    )


def series_session_ids(group: Group) -> set[int]:
    """Ids of the group's sessions that its series planned (the others are extras)."""
    series = series_of(group)
    return {m.session_id for m in series.members} if series else set()


def facilitator_choices(areas: Iterable[Area]) -> list[User]:
    """Active facilitators of the given areas, by area and name, for the forms."""
    ids = [a.id for a in areas]
    return list(db.session.scalars(
        select(User).where(User.area_id.in_(ids), User.active.is_(True),
                           User.role == Role.FACILITATOR)
        .order_by(User.area_id, User.first_name, User.last_name)
    ))


def rotation_problems(order: Sequence[int | None]) -> list[str]:
    """Codes for a rotation typed into a form: empty, neighbours equal, or an area twice.

    The rotation is stored as one position per co-running area, so an area can be listed
    only once; neighbours (the last hands over to the first) are the rules' own check."""
    chosen = [a for a in order if a]
    if not chosen:
        return ["no_areas"]
    codes = []
    if len(chosen) > 1 and any(a == b for a, b in zip(chosen, chosen[1:] + chosen[:1],
                                                      strict=True)):
        codes.append("same_area_twice_in_a_row")
    if len(set(chosen)) != len(chosen) and "same_area_twice_in_a_row" not in codes:
        codes.append("listed_twice")
    return codes


# --- double bookings ------------------------------------------------------------------------


def find_clashes(planned: Sequence[tuple[datetime, datetime, Sequence[User]]],
                 ignore_session_ids: set[int]) -> list[Clash]:
    """Facilitators of the planned meetings who already have another session at that time.

    `planned` is (starts_at, ends_at, facilitators) per meeting; sessions in
    `ignore_session_ids` (the ones being replaced) and cancelled sessions do not count.
    Their intake calls (published or booked) count too, through `signals.facilitator_busy`.
    A change that will book these people locks their time first (`groups.booking`), so
    that nobody else books them between this check and the commit."""
    people = {u.id: u for _, _, users in planned for u in users}
    if not planned or not people:
        return []
    earliest = min(s for s, _, _ in planned)
    latest = max(e for _, e, _ in planned)
    others = list(db.session.execute(
        select(Session, session_facilitators.c.user_id)
        .join(session_facilitators, session_facilitators.c.session_id == Session.id)
        .where(session_facilitators.c.user_id.in_(people), Session.ends_at > earliest,
               Session.starts_at < latest, Session.status == SessionStatus.SCHEDULED)
        .execution_options(populate_existing=True)  # as committed, if read before a lock
    ))
    bookings = [Booking(person=uid, session=("db", s.id), starts_at=s.starts_at, ends_at=s.ends_at)
                for s, uid in others if s.id not in ignore_session_ids]
    by_id = {s.id: s for s, _ in others}
    # Intake calls and the like count as the person's bookings too (signals.facilitator_busy).
    busy = busy_outside_sessions(people, earliest, latest)
    bookings += [Booking(person=b.user_id, session=("busy", n), starts_at=b.starts_at,
                         ends_at=b.ends_at) for n, b in enumerate(busy)]
    for n, (starts, ends, users) in enumerate(planned):
        bookings += [Booking(person=u.id, session=("new", n), starts_at=starts, ends_at=ends)
                     for u in users]
    clashes = []
    for overlap in find_overlaps(bookings):
        kinds = {overlap.first[0], overlap.second[0]}  # type: ignore[index]
        if "new" not in kinds or len(kinds) != 2:
            continue
        new, old = ((overlap.first, overlap.second) if overlap.first[0] == "new"  # type: ignore[index]
                    else (overlap.second, overlap.first))
        starts = planned[new[1]][0]  # type: ignore[index]
        if old[0] == "busy":  # type: ignore[index]
            clashes.append(Clash(person=people[overlap.person], starts_at=starts, other=None,
                                 busy=busy[old[1]]))  # type: ignore[index]
        else:
            clashes.append(Clash(person=people[overlap.person], starts_at=starts,
                                 other=by_id[old[1]]))  # type: ignore[index]
    return sorted(clashes, key=lambda c: (c.starts_at, c.person.id))


def _hosts_facilitators(host_id: int, facilitators: Sequence[User]) -> list[User]:
    return [u for u in facilitators if u.area_id == host_id]


def _check_plan_clashes(sessions: Sequence[PlannedSession], facilitators: Sequence[User],
                        ignore: set[int]) -> None:
    planned = [(p.starts_at, p.ends_at, _hosts_facilitators(p.host, facilitators))
               for p in sessions]
    clashes = find_clashes(planned, ignore)
    if clashes:
        raise ClashError(clashes)


# --- groups ---------------------------------------------------------------------------------


def create_group(kind: GroupKind, theme: Theme, instruction_language: InstructionLanguage,
                 texts: dict[str, str], areas: Sequence[Area], capacity: int | None = None,
                 applications_window: tuple[datetime | None, datetime | None] | None = None,
                 ) -> Group:
    """A new group co-run by `areas`, in that rotation order. `texts` holds title, summary
    and description per language (`title_fi`, …), stripped here. Only a closed course keeps
    a capacity and an application window."""
    closed = kind == GroupKind.CLOSED
    group = Group(kind=kind, theme=theme, instruction_language=instruction_language,
                  capacity=capacity if closed else None)
    for name, text in texts.items():
        setattr(group, name, text.strip())
    if closed and applications_window is not None:
        group.applications_open_at, group.applications_close_at = applications_window
    group.set_areas(list(areas))
    db.session.add(group)
    db.session.flush()
    return group


# --- the series -----------------------------------------------------------------------------


def preview_series(group: Group, spec: SeriesSpec, facilitators: Sequence[User],
                   now: datetime) -> Preview:
    """What saving would do: the whole plan for a new series, the future part for an edit.

    Raises SeriesError or ClashError, exactly as saving would."""
    series = series_of(group)
    if series is None:
        plan = plan_series(spec)
        ignore: set[int] = set()
    else:
        members = [m.session for m in series.members]
        plan = replan_future([_Held(s) for s in members], spec, now)
        ignore = {s.id for s in members if s.starts_at >= now}
    _check_plan_clashes(plan.sessions, facilitators, ignore)
    return Preview(plan=plan, host_order=spec.host_order)


@dataclass(frozen=True)
class _Held:
    """A stored session as `replan_future` sees it (its Helsinki date and start)."""

    session: Session

    @property
    def starts_at(self) -> datetime:
        return self.session.starts_at

    @property
    def local_date(self) -> date:
        from ..i18n import local_time

        return local_time(self.session.starts_at).date()


def set_rotation(group: Group, order: Sequence[int]) -> None:
    """Store the rotation as the co-running areas' positions (areas not listed go last)."""
    rank = {area_id: i for i, area_id in enumerate(order)}
    for ga in group.group_areas:
        ga.position = rank.get(ga.area_id, len(order) + ga.position)


Topics = dict[int, dict[str, str]]


def save_series(group: Group, spec: SeriesSpec, facilitators: Sequence[User],
                now: datetime, topics: Topics | None = None) -> tuple[Series, int]:
    """Create the group's series, or apply an edit to its future sessions.

    Returns the series and how many sessions were created, moved or cancelled. Past
    sessions never change. A future session keeps its calendar UID when it moves, and gets
    a higher SEQUENCE and an updated invite; a session cancelled by hand stays cancelled.
    The plan's host wins over a host changed by hand on a future session. `topics` gives
    each meeting's topic by its number in the series (None leaves topics as they are).

    Locks the future sessions and the facilitators' time before checking for clashes."""
    held = series_of(group)
    lock_booking([m.session_id for m in held.members if m.session.starts_at >= now]
                 if held else [], [u.id for u in facilitators])
    preview = preview_series(group, spec, facilitators, now)
    with invites.batched():  # one message per person for the whole edit
        return _save_series(group, spec, facilitators, now, preview, topics)


def _save_series(group: Group, spec: SeriesSpec, facilitators: Sequence[User], now: datetime,
                 preview: Any, topics: Topics | None) -> tuple[Series, int]:
    set_rotation(group, spec.host_order)
    series = series_of(group)
    if series is None:
        series = Series(group=group)
        db.session.add(series)
        future: list[Session] = []
    else:
        future = [m.session for m in series.members if m.session.starts_at >= now]
    series.apply(spec)
    series.set_facilitators(list(facilitators))
    changed = 0
    for planned, existing in zip(preview.plan.sessions, future, strict=False):
        if _move(existing, planned, facilitators, _topic(topics, planned.index)):
            changed += 1
        _member(series, existing).index = planned.index
    for planned in preview.plan.sessions[len(future):]:
        session = _new_session(group, planned.starts_at, planned.ends_at, planned.host,
                               _hosts_facilitators(planned.host, facilitators),
                               _topic(topics, planned.index))
        series.members.append(SeriesSession(session=session, index=planned.index))
        db.session.flush()
        notify.session_created(session)
        changed += 1
    for leftover in future[len(preview.plan.sessions):]:
        series.members.remove(_member(series, leftover))
        if not leftover.is_cancelled:
            cancel_session(leftover)
            changed += 1
    db.session.flush()
    return series, changed


def _member(series: Series, session: Session) -> SeriesSession:
    return next(m for m in series.members if m.session_id == session.id)


def _topic(topics: Topics | None, index: int) -> dict[str, str] | None:
    if topics is None:
        return None
    given = topics.get(index, {})
    return {lang: given.get(lang, "") for lang in ("fi", "sv", "en")}


def _topic_of(session: Session) -> dict[str, str]:
    return {"fi": session.topic_fi, "sv": session.topic_sv, "en": session.topic_en}


def _set_topic(session: Session, topic: dict[str, str]) -> None:
    session.topic_fi, session.topic_sv, session.topic_en = topic["fi"], topic["sv"], topic["en"]


def _move(session: Session, planned: PlannedSession, facilitators: Sequence[User],
          topic: dict[str, str] | None = None) -> bool:
    """Bring a stored future session in line with the new plan; True if anything changed."""
    wanted = _hosts_facilitators(planned.host, facilitators)
    same = (session.starts_at == planned.starts_at and session.ends_at == planned.ends_at
            and session.host_area_id == planned.host
            and {u.id for u in session.facilitators} == {u.id for u in wanted}
            and (topic is None or topic == _topic_of(session)))
    if same or session.is_cancelled:
        return False
    before = notify.facilitator_recipients(session)
    if topic is not None:
        _set_topic(session, topic)
    session.starts_at, session.ends_at = planned.starts_at, planned.ends_at
    session.host_area_id = planned.host
    session.host_area = db.session.get(Area, planned.host)  # type: ignore[assignment]
    session.facilitators = list(wanted)
    session.bump_sequence()
    db.session.flush()
    notify.session_changed(session, before)
    return True


def _new_session(group: Group, starts_at: datetime, ends_at: datetime, host_id: int,
                 facilitators: Sequence[User], topic: dict[str, str] | None = None) -> Session:
    topic = topic or {}
    session = Session(group=group, starts_at=starts_at, ends_at=ends_at,
                      host_area=db.session.get(Area, host_id), facilitators=list(facilitators),
                      topic_fi=topic.get("fi", ""), topic_sv=topic.get("sv", ""),
                      topic_en=topic.get("en", ""))
    db.session.add(session)
    return session


# --- one session ----------------------------------------------------------------------------


def cancel_session(session: Session, reason: str = "") -> None:
    """Cancel one meeting; everyone's calendar gets a cancellation. Cancelling twice is a
    no-op, so a double click sends one message. The optional `reason` is shown to
    participants (pages and the cancellation)."""
    if session.is_cancelled:
        return
    session.cancel_reason = reason.strip()[:300]
    session.status = SessionStatus.CANCELLED
    session.bump_sequence()
    db.session.flush()
    notify.session_cancelled(session)


def _host_problems(group: Group, host_id: int, facilitators: Sequence[User]) -> list[Problem]:
    problems = []
    if host_id not in host_order(group):
        problems.append(Problem("host", "not_co_running"))
    elif any(u.area_id != host_id for u in facilitators):
        problems.append(Problem("facilitators", "not_of_host_area"))
    return problems


def add_extra_session(group: Group, day: date, start: time, end: time, host_id: int,
                      facilitators: Sequence[User], topic: dict[str, str] | None = None) -> Session:
    """A meeting outside the series' rhythm (it is not replanned when the series is edited).

    Locks the facilitators' time before checking for clashes."""
    problems = _host_problems(group, host_id, facilitators)
    if end <= start:
        problems.append(Problem("end_time", "end_before_start"))
    if problems:
        raise SeriesError(problems)
    starts_at, ends_at = local_to_utc(day, start), local_to_utc(day, end)
    lock_facilitators_time(u.id for u in facilitators)
    clashes = find_clashes([(starts_at, ends_at, facilitators)], set())
    if clashes:
        raise ClashError(clashes)
    session = _new_session(group, starts_at, ends_at, host_id, facilitators, topic)
    db.session.flush()
    notify.session_created(session)
    return session


def change_host(session: Session, host_id: int, facilitators: Sequence[User]) -> None:
    """Another co-running area hosts this one meeting, with facilitators of its own.

    Locks the session and the facilitators' time before checking for clashes."""
    problems = _host_problems(session.group, host_id, facilitators)
    if problems:
        raise SeriesError(problems)
    lock_booking([session.id], [u.id for u in facilitators])
    db.session.refresh(session)  # its time as committed by whoever held the lock before
    clashes = find_clashes([(session.starts_at, session.ends_at, facilitators)], {session.id})
    if clashes:
        raise ClashError(clashes)
    before = notify.facilitator_recipients(session)
    session.host_area_id = host_id
    session.host_area = db.session.get(Area, host_id)  # type: ignore[assignment]
    session.facilitators = list(facilitators)
    session.bump_sequence()
    db.session.flush()
    notify.session_changed(session, before)



def change_session(session: Session, day: date, start: time, end: time,
                   facilitators: Sequence[User], topic: dict[str, str],
                   now: datetime) -> dict[str, list[object]]:
    """Move one meeting, change its facilitators or its topic. It keeps its calendar UID;
    everyone on it gets an updated invite, and facilitators taken off get a cancellation.

    Returns what changed (field -> [before, after]) for the audit log; empty when nothing
    did, and then nobody is mailed. Double bookings are checked like every other change
    (`find_clashes`, against the facilitators' other scheduled sessions) after
    `groups.booking.lock_booking` has locked the session and the people it books."""
    problems = []
    if session.is_cancelled:
        problems.append(Problem("session", "cancelled"))
    elif session.starts_at <= now:
        problems.append(Problem("session", "started"))
    if end <= start:
        problems.append(Problem("end_time", "end_before_start"))
    if any(u.area_id != session.host_area_id for u in facilitators):
        problems.append(Problem("facilitators", "not_of_host_area"))
    if problems:
        raise SeriesError(problems)
    starts_at, ends_at = local_to_utc(day, start), local_to_utc(day, end)
    if starts_at <= now:
        raise SeriesError([Problem("day", "in_the_past")])
    # The session, then everyone it books (before and after), locked before the overlap
    # check, so two changes booking the same person run one after the other.
    lock_booking([session.id], {u.id for u in (*session.facilitators, *facilitators)})
    clashes = find_clashes([(starts_at, ends_at, facilitators)], {session.id})
    if clashes:
        raise ClashError(clashes)
    before = {"starts_at": session.starts_at, "ends_at": session.ends_at,
              "facilitators": sorted(u.id for u in session.facilitators), **{
                  f"topic_{lang}": text for lang, text in _topic_of(session).items()}}
    after = {"starts_at": starts_at, "ends_at": ends_at,
             "facilitators": sorted(u.id for u in facilitators),
             **{f"topic_{lang}": (topic.get(lang) or "").strip() for lang in ("fi", "sv", "en")}}
    from ..audit import diff

    changes = diff(before, after)
    if not changes:
        return {}
    recipients_before = notify.facilitator_recipients(session)
    session.starts_at, session.ends_at = starts_at, ends_at
    session.facilitators = list(facilitators)
    _set_topic(session, {lang: str(after[f"topic_{lang}"]) for lang in ("fi", "sv", "en")})
    session.bump_sequence()
    db.session.flush()
    notify.session_changed(session, recipients_before)
    return changes
