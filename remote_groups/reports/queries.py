"""The report's SQL: a fixed handful of GROUP BY queries whatever the amount of data, each
returning the plain rows that `figures` adds up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from flask import current_app
from sqlalchemy import Select, case, extract, func, literal_column, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ..feedback.models import (
    FacilitatorAnswer,
    FacilitatorRating,
    FeedbackAnswer,
    FeedbackItem,
    FeedbackRating,
)
from ..groups.models import Group, GroupArea, GroupKind, Session, SessionStatus
from ..i18n import HELSINKI
from ..people.models import Area
from .figures import ApplicationRow, AttendanceRow, RatingRow, SessionRow

# The columns a query selects, kept through the functions that only add conditions.
_Columns = TypeVarTuple("_Columns")


@dataclass(frozen=True)
class ReportFilter:
    """What the report covers. Dates are Finnish calendar days, both ends included."""

    area_id: int | None = None
    group_id: int | None = None
    start: date | None = None
    end: date | None = None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=HELSINKI)


def sessions_matching(query: Select[*_Columns], f: ReportFilter) -> Select[*_Columns]:
    """The report filter on a query over sessions: host area, group, and the period in
    Helsinki days (from the start of `start` to the end of `end`)."""
    if f.area_id is not None:
        query = query.where(Session.host_area_id == f.area_id)
    if f.group_id is not None:
        query = query.where(Session.group_id == f.group_id)
    if f.start is not None:
        query = query.where(Session.starts_at >= _local_midnight(f.start))
    if f.end is not None:
        query = query.where(Session.starts_at < _local_midnight(f.end + timedelta(days=1)))
    return query


def session_minutes() -> ColumnElement[Any]:
    """Session length in minutes, in each database's own date arithmetic."""
    if db.engine.dialect.name == "postgresql":
        return extract("epoch", Session.ends_at - Session.starts_at) / 60
    return (func.julianday(Session.ends_at) - func.julianday(Session.starts_at)) * 1440


def session_rows(f: ReportFilter, now: datetime) -> list[SessionRow]:
    """Sessions in the period (by start), grouped by host area, group and status. Area means
    the host area: hours offered count for the area that ran them."""
    past = case((Session.ends_at <= now, 1), else_=0)
    query = (
        select(Session.host_area_id, Session.group_id, Group.instruction_language, Group.kind,
               Session.status, past.label("past"), func.count(),
               func.sum(session_minutes()), func.sum(Session.join_count))
        .join(Group, Group.id == Session.group_id)
        # By the label: PostgreSQL would see a repeated CASE with its own bound `now` as a
        # different expression.
        .group_by(Session.host_area_id, Session.group_id, Group.instruction_language,
                  Group.kind, Session.status, literal_column("past"))
    )
    query = sessions_matching(query, f)
    return [
        SessionRow(area_id=area, group_id=group, language=str(language),
                   open_group=kind == GroupKind.OPEN, cancelled=status == SessionStatus.CANCELLED,
                   past=bool(is_past), sessions=n, minutes=round(float(minutes or 0)),
                   joins=int(joins or 0))
        for area, group, language, kind, status, is_past, n, minutes, joins
        in db.session.execute(query)
    ]


def _answer_filter(query: Any, f: ReportFilter, table: Any = FeedbackAnswer) -> Any:
    """Feedback follows the group: an area sees answers on the groups it co-runs. `table`
    is the clients' answers or the facilitators' (the same columns)."""
    if f.area_id is not None:
        query = query.where(table.group_id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == f.area_id)))
    if f.group_id is not None:
        query = query.where(table.group_id == f.group_id)
    if f.start is not None:
        query = query.where(table.answered_on >= f.start)
    if f.end is not None:
        query = query.where(table.answered_on <= f.end)
    return query


def rating_rows(f: ReportFilter) -> list[RatingRow]:
    query = (
        select(FeedbackRating.item_id, FeedbackRating.score, func.count())
        .join(FeedbackAnswer, FeedbackAnswer.id == FeedbackRating.answer_id)
        .group_by(FeedbackRating.item_id, FeedbackRating.score)
    )
    return [RatingRow(item, score, n) for item, score, n in db.session.execute(
        _answer_filter(query, f))]


def facilitator_rating_rows(f: ReportFilter) -> list[RatingRow]:
    """The facilitators' scores by statement number (as `item_id`) and score."""
    query = (
        select(FacilitatorRating.item_no, FacilitatorRating.score, func.count())
        .join(FacilitatorAnswer, FacilitatorAnswer.id == FacilitatorRating.answer_id)
        .group_by(FacilitatorRating.item_no, FacilitatorRating.score)
    )
    return [RatingRow(item, score, n) for item, score, n in db.session.execute(
        _answer_filter(query, f, FacilitatorAnswer))]


def facilitator_answers(f: ReportFilter) -> list[tuple[int, date, str]]:
    """(group id, date, comment) of every facilitator answer, comment or not, newest first;
    their number decides whether anything of them is shown."""
    query = (
        select(FacilitatorAnswer.group_id, FacilitatorAnswer.answered_on,
               FacilitatorAnswer.comment)
        .order_by(FacilitatorAnswer.answered_on.desc(), FacilitatorAnswer.id)
    )
    return [(g, d, c) for g, d, c in db.session.execute(
        _answer_filter(query, f, FacilitatorAnswer))]


def answer_counts(f: ReportFilter) -> dict[str, int]:
    """Answers per survey kind ("session", "course")."""
    query = select(FeedbackAnswer.kind, func.count()).group_by(FeedbackAnswer.kind)
    return {str(kind): n for kind, n in db.session.execute(_answer_filter(query, f))}


def comment_rows(f: ReportFilter) -> list[tuple[int, date, str]]:
    """(group id, date, comment) of answers with a comment, newest day first. Within a day the
    order is the random answer key, so it says nothing about who answered first."""
    query = (
        select(FeedbackAnswer.group_id, FeedbackAnswer.answered_on, FeedbackAnswer.comment)
        .where(FeedbackAnswer.comment != "")
        .order_by(FeedbackAnswer.answered_on.desc(), FeedbackAnswer.id)
    )
    return [(g, d, c) for g, d, c in db.session.execute(_answer_filter(query, f))]


def application_rows(f: ReportFilter) -> list[ApplicationRow] | None:
    """Applications per course and status (one GROUP BY), or None when closed courses are
    switched off. Filtered like feedback: courses the area co-runs, the group, and the day
    the application arrived (Helsinki) in the period."""
    if not current_app.extensions.get("rg_courses_in_reports"):
        return None
    from ..courses.models import Application

    query = (
        select(Application.group_id, Application.status, func.count())
        .group_by(Application.group_id, Application.status)
    )
    if f.area_id is not None:
        query = query.where(Application.group_id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == f.area_id)))
    if f.group_id is not None:
        query = query.where(Application.group_id == f.group_id)
    if f.start is not None:
        query = query.where(Application.applied_at >= _local_midnight(f.start))
    if f.end is not None:
        query = query.where(Application.applied_at < _local_midnight(f.end + timedelta(days=1)))
    return [ApplicationRow(group, str(getattr(status, "value", status)), n)
            for group, status, n in db.session.execute(query)]


def attendance_rows(f: ReportFilter) -> list[AttendanceRow] | None:
    """Attendance marks per status for course sessions in the filter (host area, group,
    period, like the sessions), or None when closed courses are switched off. Notices given
    for sessions not marked yet count as absences with notice."""
    if not current_app.extensions.get("rg_courses_in_reports"):
        return None
    from ..attendance.models import AttendanceMark

    query = (
        select(AttendanceMark.status, func.count())
        .join(Session, Session.id == AttendanceMark.session_id)
        .where(Session.status != SessionStatus.CANCELLED)
        .group_by(AttendanceMark.status)
    )
    query = sessions_matching(query, f)
    return [AttendanceRow(str(getattr(status, "value", status)), n)
            for status, n in db.session.execute(query)]


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.name_fi)))


def groups_for(area_id: int | None) -> list[Group]:
    """Groups to choose from: those the area co-runs, or all."""
    query = select(Group).order_by(Group.title_fi, Group.id)
    if area_id is not None:
        query = query.where(Group.id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == area_id)))
    return list(db.session.scalars(query))


def all_items() -> list[FeedbackItem]:
    return list(db.session.scalars(
        select(FeedbackItem).order_by(FeedbackItem.position, FeedbackItem.id)))


def groups_in_report(f: ReportFilter) -> list[Group]:
    """The groups the report covers (the area's or all, or the one chosen), with their
    co-running areas loaded, for the table of missing Finnish and Swedish texts."""
    query = (select(Group).options(selectinload(Group.group_areas).selectinload(GroupArea.area))
             .order_by(Group.title_fi, Group.id))
    if f.area_id is not None:
        query = query.where(Group.id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == f.area_id)))
    if f.group_id is not None:
        query = query.where(Group.id == f.group_id)
    return list(db.session.scalars(query))
