"""The exchange board's database work: post, answer, agree, decline, withdraw.

Agreeing makes the exchange with the series service's own functions, so it works as any
series change does (locks, double-booking check, calendar invites, SEQUENCE):
- an answered *offer* adds the sessions to the answering area's group as extra sessions
  (`series.service.add_extra_session`) hosted by the offering area, with its facilitators;
- an answered *request* hands the requested sessions over (`series.service.change_host`) to
  the answering area and its facilitators.
The offering (host) area becomes a co-running area of the group when it is not one yet.
Then the exchange is recorded for the balance report, and every step in the audit log.

Nothing here commits: the view does, once. Refusals are `ExchangeError` (field, code) or
the series service's `ClashError`, raised before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..calendar import invites
from ..extensions import db
from ..groups.booking import lock_booking, lock_facilitators_time
from ..groups.models import Group, GroupArea, InstructionLanguage, Session, SessionStatus, Theme
from ..i18n import local_time
from ..people.models import Role, User
from ..reports.queries import ReportFilter, session_minutes, sessions_matching
from ..rules.balance import ExchangeRow
from ..rules.rotation import Problem, SeriesError, local_to_utc
from ..series import service as series
from ..series.service import ClashError
from ..transactions import lock_rows
from . import notify
from .models import (
    Exchange,
    ExchangePost,
    ExchangeReply,
    ExchangeSession,
    PostKind,
    PostStatus,
    ReplyStatus,
)

MAX_SESSIONS = 52
LANGUAGES = ("fi", "sv")


class ExchangeError(SeriesError):
    """An exchange refused: `problems` as the series rules report them (field, code)."""


__all__ = ["ClashError", "ExchangeError", "Problem", "SeriesError"]


# --- reading --------------------------------------------------------------------------------


def posts(status: PostStatus | None = PostStatus.OPEN, limit: int = 200) -> list[ExchangePost]:
    query = select(ExchangePost).options(
        selectinload(ExchangePost.area), selectinload(ExchangePost.replies),
        selectinload(ExchangePost.group))
    if status is not None:
        query = query.where(ExchangePost.status == status)
    return list(db.session.scalars(query.order_by(ExchangePost.created_at.desc(),
                                                  ExchangePost.id.desc()).limit(limit)))


def area_groups(area_id: int, language: str | None = None) -> list[Group]:
    """Groups the area co-runs (not archived), in `language` (or both) when given."""
    query = (select(Group).join(GroupArea, GroupArea.group_id == Group.id)
             .where(GroupArea.area_id == area_id, Group.archived_at.is_(None))
             .order_by(Group.id))
    if language is not None:
        query = query.where(Group.instruction_language.in_(
            [InstructionLanguage(language), InstructionLanguage.BOTH]))
    return list(db.session.scalars(query))


def upcoming_sessions(group: Group, now: datetime) -> list[Session]:
    return [s for s in group.sessions if s.starts_at > now and not s.is_cancelled]


def post_sessions(post: ExchangePost) -> list[Session]:
    if not post.session_ids:
        return []
    return list(db.session.scalars(
        select(Session).where(Session.id.in_(post.session_ids)).order_by(Session.starts_at)
        .options(selectinload(Session.facilitators), selectinload(Session.host_area))))


def planned_times(reply: ExchangeReply) -> list[tuple[datetime, datetime]]:
    """The sessions an answer to an offer proposes, in UTC."""
    if reply.first_date is None or reply.start_time is None or reply.end_time is None:
        return []
    days = [reply.first_date + timedelta(weeks=i * reply.interval_weeks)
            for i in range(reply.count or 0)]
    return [(local_to_utc(d, reply.start_time), local_to_utc(d, reply.end_time)) for d in days]


def area_facilitators(area_id: int, ids: Sequence[int] | None = None) -> list[User]:
    query = select(User).where(User.area_id == area_id, User.active.is_(True),
                               User.role == Role.FACILITATOR)
    if ids is not None:
        query = query.where(User.id.in_(list(ids) or [0]))
    return list(db.session.scalars(query.order_by(User.first_name, User.last_name)))


# --- posting --------------------------------------------------------------------------------


def post_offer(actor: User, language: str, theme: Theme, session_count: int, period: tuple[
        date, date], when_text: str, descriptions: dict[str, str], today: date) -> ExchangePost:
    problems = []
    start, end = period
    if start < today:
        problems.append(Problem("period_start", "in_the_past"))
    if end < start:
        problems.append(Problem("period_end", "end_before_start"))
    if not 0 < session_count <= MAX_SESSIONS:
        problems.append(Problem("session_count", "bad_count"))
    if problems:
        raise ExchangeError(problems)
    post = ExchangePost(kind=PostKind.OFFER, area_id=actor.area_id, author_id=actor.id,
                        language=language, theme=theme, session_count=session_count,
                        period_start=start, period_end=end, when_text=when_text.strip(),
                        description_fi=descriptions.get("fi", "").strip(),
                        description_sv=descriptions.get("sv", "").strip())
    db.session.add(post)
    db.session.flush()
    audit.record("exchange.offer", actor=actor, subject="exchange_post", subject_id=post.id,
                 changes={"language": [None, language], "sessions": [None, session_count]})
    return post


def post_request(actor: User, group: Group, sessions: Sequence[Session], language: str,
                 descriptions: dict[str, str], now: datetime) -> ExchangePost:
    problems = []
    if actor.role != Role.ADMIN and actor.area_id not in {ga.area_id for ga in group.group_areas}:
        problems.append(Problem("group", "not_your_group"))
    wanted = [s for s in sessions if s.group_id == group.id]
    if not wanted:
        problems.append(Problem("sessions", "no_sessions"))
    elif any(s.starts_at <= now or s.is_cancelled for s in wanted):
        problems.append(Problem("sessions", "started"))
    if problems:
        raise ExchangeError(problems)
    days = [local_time(s.starts_at).date() for s in wanted]
    post = ExchangePost(kind=PostKind.REQUEST, area_id=actor.area_id, author_id=actor.id,
                        language=language, theme=group.theme, session_count=len(wanted),
                        period_start=min(days), period_end=max(days), group_id=group.id,
                        session_ids=sorted(s.id for s in wanted),
                        description_fi=descriptions.get("fi", "").strip(),
                        description_sv=descriptions.get("sv", "").strip())
    db.session.add(post)
    db.session.flush()
    audit.record("exchange.request", actor=actor, subject="exchange_post", subject_id=post.id,
                 changes={"language": [None, language], "sessions": [None, len(wanted)]})
    return post


def withdraw_post(post: ExchangePost, actor: User) -> None:
    if post.status != PostStatus.OPEN:
        raise ExchangeError([Problem("post", "not_open")])
    post.status = PostStatus.WITHDRAWN
    waiting = set()
    for reply in post.replies:
        if reply.status == ReplyStatus.PROPOSED:
            reply.status = ReplyStatus.WITHDRAWN
            waiting.add(reply.area_id)
    for area_id in sorted(waiting):  # the areas whose answers were waiting on the post
        notify.tell_area(area_id, "post_withdrawn", post, actor, post.area_id)
    audit.record("exchange.withdraw", actor=actor, subject="exchange_post", subject_id=post.id,
                 changes={"status": ["open", "withdrawn"]})
    db.session.flush()


# --- answering ------------------------------------------------------------------------------


def _check_open(post: ExchangePost, actor: User) -> list[Problem]:
    if post.status != PostStatus.OPEN:
        return [Problem("post", "not_open")]
    if actor.area_id == post.area_id:
        return [Problem("post", "own_area")]
    return []


def answer_offer(actor: User, post: ExchangePost, group: Group | None, first_date: date,
                 start: time, end: time, count: int, interval_weeks: int, message: str,
                 now: datetime) -> ExchangeReply:
    """Propose one of the answering area's groups and the dates for an offer."""
    problems = _check_open(post, actor)
    if group is None or group.id not in {g.id for g in area_groups(actor.area_id,
                                                                   post.language)}:
        problems.append(Problem("group", "not_your_group"))
    if end <= start:
        problems.append(Problem("end_time", "end_before_start"))
    if not 0 < count <= post.session_count:
        problems.append(Problem("count", "too_many"))
    # Built without its relationships, so a refused answer is never added to the session.
    reply = ExchangeReply(post_id=post.id, area_id=actor.area_id,
                          group_id=group.id if group else None, first_date=first_date,
                          start_time=start, end_time=end, count=count,
                          interval_weeks=interval_weeks, message=message.strip(),
                          replied_by_id=actor.id)
    times = planned_times(reply) if not problems else []
    if times and times[0][0] <= now:
        problems.append(Problem("first_date", "in_the_past"))
    elif times:
        last = local_time(times[-1][0]).date()
        if first_date < post.period_start or last > post.period_end:
            problems.append(Problem("first_date", "outside_period"))
    if problems:
        raise ExchangeError(problems)
    db.session.add(reply)
    db.session.flush()
    audit.record("exchange.answer", actor=actor, subject="exchange_reply", subject_id=reply.id,
                 changes={"post": [None, post.id], "group": [None, group.id if group else None],
                          "sessions": [None, count]})
    notify.tell_area(post.area_id, "answered", post, actor, actor.area_id)
    return reply


def answer_request(actor: User, post: ExchangePost, facilitators: Sequence[User], message: str,
                   now: datetime) -> ExchangeReply:
    """Propose facilitators of the answering area for a request's sessions."""
    problems = _check_open(post, actor)
    mine = {u.id for u in area_facilitators(actor.area_id)}
    if not facilitators:
        problems.append(Problem("facilitators", "none"))
    elif any(u.id not in mine for u in facilitators):
        problems.append(Problem("facilitators", "not_of_your_area"))
    sessions = post_sessions(post)
    if any(s.starts_at <= now or s.is_cancelled for s in sessions):
        problems.append(Problem("post", "started"))
    if problems:
        raise ExchangeError(problems)
    clashes = series.find_clashes([(s.starts_at, s.ends_at, facilitators) for s in sessions],
                                  {s.id for s in sessions})
    if clashes:
        raise ClashError(clashes)
    reply = ExchangeReply(post_id=post.id, area_id=actor.area_id, message=message.strip(),
                          facilitator_ids=sorted(u.id for u in facilitators),
                          replied_by_id=actor.id)
    db.session.add(reply)
    db.session.flush()
    audit.record("exchange.answer", actor=actor, subject="exchange_reply", subject_id=reply.id,
                 changes={"post": [None, post.id], "facilitators": [None, reply.facilitator_ids]})
    notify.tell_area(post.area_id, "answered", post, actor, actor.area_id)
    return reply


def withdraw_reply(reply: ExchangeReply, actor: User) -> None:
    if reply.status != ReplyStatus.PROPOSED:
        raise ExchangeError([Problem("reply", "not_open")])
    reply.status = ReplyStatus.WITHDRAWN
    audit.record("exchange.answer_withdraw", actor=actor, subject="exchange_reply",
                 subject_id=reply.id, changes={"status": ["proposed", "withdrawn"]})
    notify.tell_area(reply.post.area_id, "answer_withdrawn", reply.post, actor, reply.area_id)
    db.session.flush()


def decline(reply: ExchangeReply, actor: User) -> None:
    if reply.status != ReplyStatus.PROPOSED:
        raise ExchangeError([Problem("reply", "not_open")])
    reply.status = ReplyStatus.DECLINED
    audit.record("exchange.decline", actor=actor, subject="exchange_reply", subject_id=reply.id,
                 changes={"status": ["proposed", "declined"]})
    notify.tell_area(reply.area_id, "declined", reply.post, actor, reply.post.area_id)
    db.session.flush()


# --- agreeing -------------------------------------------------------------------------------


def _lock_reply(reply_id: int) -> ExchangeReply:
    """The answer first (as a swap request is), then sessions and people: see transactions."""
    lock_rows(ExchangeReply, [reply_id])
    reply = db.session.scalar(select(ExchangeReply).where(ExchangeReply.id == reply_id)
                              .execution_options(populate_existing=True))
    if reply is None:
        raise ExchangeError([Problem("reply", "not_open")])
    db.session.refresh(reply.post)
    return reply


def _co_run(group: Group, area_id: int) -> None:
    """The host becomes a co-running area of the group (last in the rotation)."""
    if area_id in {ga.area_id for ga in group.group_areas}:
        return
    last = max((ga.position for ga in group.group_areas), default=-1)
    group.group_areas.append(GroupArea(group_id=group.id, area_id=area_id, position=last + 1))
    db.session.flush()


def agree(reply_id: int, actor: User, facilitator_ids: Sequence[int], now: datetime) -> Exchange:
    """The posting area agrees to an answer: the sessions are made, the exchange recorded.

    `facilitator_ids` are the offering area's facilitators for an offer (chosen now); a
    request's come from the answer. Raises ExchangeError or ClashError before writing."""
    reply = _lock_reply(reply_id)
    post = reply.post
    if reply.status != ReplyStatus.PROPOSED or post.status != PostStatus.OPEN:
        raise ExchangeError([Problem("reply", "not_open")])
    if post.is_offer:
        return _agree_offer(reply, post, actor, facilitator_ids, now)
    return _agree_request(reply, post, actor, now)


def _agree_offer(reply: ExchangeReply, post: ExchangePost, actor: User,
                 facilitator_ids: Sequence[int], now: datetime) -> Exchange:
    host_id = post.area_id
    facilitators = area_facilitators(host_id, facilitator_ids)
    if not facilitators or len(facilitators) != len(set(facilitator_ids)):
        raise ExchangeError([Problem("facilitators", "none" if not facilitator_ids
                                     else "not_of_your_area")])
    times = planned_times(reply)
    if not times or times[0][0] <= now:
        raise ExchangeError([Problem("facilitators", "in_the_past")])
    group = reply.group
    assert group is not None
    lock_facilitators_time(u.id for u in facilitators)
    clashes = series.find_clashes([(s, e, facilitators) for s, e in times], set())
    if clashes:
        raise ClashError(clashes)
    _co_run(group, host_id)
    topic = {"fi": "", "sv": "", "en": ""}
    made = []
    with invites.batched():  # one message per person for the whole exchange
        for starts_at, ends_at in times:
            local_start, local_end = local_time(starts_at), local_time(ends_at)
            made.append(series.add_extra_session(
                group, local_start.date(), local_start.time().replace(tzinfo=None),
                local_end.time().replace(tzinfo=None), host_id, facilitators, topic))
    reply.facilitator_ids = sorted(u.id for u in facilitators)
    for session in made:
        audit.record("exchange.session", actor=actor, subject="session", subject_id=session.id,
                     session_id=session.id, host_after_id=host_id,
                     facilitators_after=reply.facilitator_ids)
    return _record(reply, post, actor, host_id, reply.area_id, made, now)


def _agree_request(reply: ExchangeReply, post: ExchangePost, actor: User,
                   now: datetime) -> Exchange:
    host_id = reply.area_id
    sessions = post_sessions(post)
    facilitators = area_facilitators(host_id, reply.facilitator_ids)
    if not facilitators:
        raise ExchangeError([Problem("facilitators", "none")])
    # The sessions, then everyone they book, before anything is read for the check.
    lock_booking([s.id for s in sessions], {u.id for s in sessions for u in
                                            (*s.facilitators, *facilitators)})
    for session in sessions:
        db.session.refresh(session)
    if not sessions or any(s.starts_at <= now or s.is_cancelled for s in sessions):
        raise ExchangeError([Problem("post", "started")])
    clashes = series.find_clashes([(s.starts_at, s.ends_at, facilitators) for s in sessions],
                                  {s.id for s in sessions})
    if clashes:
        raise ClashError(clashes)
    group = sessions[0].group
    _co_run(group, host_id)
    with invites.batched():
        for session in sessions:
            host_before = session.host_area_id
            people_before = sorted(u.id for u in session.facilitators)
            series.change_host(session, host_id, facilitators)
            audit.record("exchange.session", actor=actor, subject="session",
                         subject_id=session.id, session_id=session.id,
                         host_before_id=host_before, host_after_id=host_id,
                         facilitators_before=people_before,
                         facilitators_after=sorted(u.id for u in facilitators))
    return _record(reply, post, actor, host_id, post.area_id, sessions, now)


def _record(reply: ExchangeReply, post: ExchangePost, actor: User, host_id: int,
            receiver_id: int, sessions: Sequence[Session], now: datetime) -> Exchange:
    minutes = sum(round((s.ends_at - s.starts_at).total_seconds() / 60) for s in sessions)
    exchange = Exchange(reply_id=reply.id, host_area_id=host_id, receiving_area_id=receiver_id,
                        language=post.language, minutes=minutes,
                        members=[ExchangeSession(session_id=s.id) for s in sessions])
    db.session.add(exchange)
    reply.status = ReplyStatus.AGREED
    reply.agreed_by_id, reply.agreed_at = actor.id, now
    post.status = PostStatus.DONE
    notify.tell_area(reply.area_id, "agreed", post, actor, post.area_id)
    for other in post.replies:
        if other.id != reply.id and other.status == ReplyStatus.PROPOSED:
            other.status = ReplyStatus.DECLINED  # the others hear their answer was declined
            notify.tell_area(other.area_id, "declined", post, actor, post.area_id)
    db.session.flush()
    audit.record("exchange.agree", actor=actor, subject="exchange", subject_id=exchange.id,
                 changes={"host_area": [None, host_id], "receiving_area": [None, receiver_id],
                          "language": [None, post.language], "minutes": [None, minutes],
                          "sessions": [None, sorted(s.id for s in sessions)]},
                 asked_by_id=reply.replied_by_id, answered_by_id=actor.id)
    return exchange


# --- the balance report's rows --------------------------------------------------------------


def exchange_rows(f: ReportFilter) -> list[ExchangeRow]:
    """Minutes of exchange sessions (not cancelled) in the report's period, by host,
    receiving area and language."""
    query = (select(Exchange.host_area_id, Exchange.receiving_area_id, Exchange.language,
                    func.sum(session_minutes()))
             .join(ExchangeSession, ExchangeSession.exchange_id == Exchange.id)
             .join(Session, Session.id == ExchangeSession.session_id)
             .where(Session.status == SessionStatus.SCHEDULED)
             .group_by(Exchange.host_area_id, Exchange.receiving_area_id, Exchange.language))
    query = sessions_matching(query, ReportFilter(start=f.start, end=f.end))
    return [ExchangeRow(host=h, receiver=r, language=lang, minutes=round(float(m or 0)))
            for h, r, lang, m in db.session.execute(query)]
