"""Feedback in the database: seeding items, sending course-end links, storing answers.

Callers commit, except where noted; every function here works inside one transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..extensions import db
from ..groups.models import Group, Session, SessionStatus, session_facilitators
from ..i18n import HELSINKI, localized
from ..links import external_url
from ..mail.notify import queue_mail
from .models import (
    CourseSurvey,
    FacilitatorAnswer,
    FacilitatorAnswered,
    FacilitatorRating,
    FeedbackAnswer,
    FeedbackItem,
    FeedbackRating,
    SurveyKind,
    SurveyToken,
)
from .rules import COURSE_SURVEY_DAYS, DEFAULT_ITEMS, FilledSurvey, token_hash


def ensure_default_items() -> None:
    """Seed the pilots' items the first time feedback is used (an empty item table).

    Done on first use rather than in the migration, so a database emptied by tests or a fresh
    install behaves the same."""
    if db.session.scalar(select(func.count()).select_from(FeedbackItem)):
        return
    for position, item in enumerate(DEFAULT_ITEMS):
        db.session.add(FeedbackItem(
            position=position, text_fi=item.text_fi, text_sv=item.text_sv, text_en=item.text_en,
            in_course_survey=True, in_session_survey=item.in_session_survey,
        ))
    db.session.flush()


def survey_items(kind: SurveyKind) -> list[FeedbackItem]:
    ensure_default_items()
    column = (FeedbackItem.in_course_survey if kind == SurveyKind.COURSE
              else FeedbackItem.in_session_survey)
    return list(db.session.scalars(
        select(FeedbackItem).where(FeedbackItem.active, column)
        .order_by(FeedbackItem.position, FeedbackItem.id)
    ))


def local_today(now: datetime) -> date:
    return now.astimezone(HELSINKI).date()


def store_answer(kind: SurveyKind, group_id: int, session_id: int | None,
                 filled: FilledSurvey, now: datetime) -> FeedbackAnswer:
    """Add an answer holding only the group, the session, the date and what was said."""
    answer = FeedbackAnswer(kind=kind, group_id=group_id, session_id=session_id,
                            answered_on=local_today(now), comment=filled.comment)
    answer.ratings = [FeedbackRating(item_id=i, score=s) for i, s in sorted(filled.scores.items())]
    db.session.add(answer)
    return answer


def survey_recipients(group: Group) -> list[tuple[str, str]] | None:
    """Everyone the receivers of `course_survey_recipients` name for the course (each
    address once), or None when nobody answers (closed courses not in use). Closed courses
    answer with their accepted participants, so this package needs no knowledge of
    applications."""
    answers = signals.answers(signals.course_survey_recipients, group=group)
    if answers is None:
        return None
    seen: dict[str, str] = {}
    for pairs in answers:
        for email, language in pairs:
            seen.setdefault(email.strip().lower(), language)
    return sorted(seen.items())


@dataclass(frozen=True)
class SurveyState:
    sent_at: datetime
    closes_on: date
    unused_links: int


def survey_states(group_ids: list[int]) -> dict[int, SurveyState]:
    """Sent surveys and how many links are still unused (a count: nothing about who)."""
    if not group_ids:
        return {}
    unused = dict(db.session.execute(
        select(SurveyToken.group_id, func.count()).where(SurveyToken.group_id.in_(group_ids))
        .group_by(SurveyToken.group_id)
    ).all())
    return {
        s.group_id: SurveyState(s.sent_at, s.closes_on, unused.get(s.group_id, 0))
        for s in db.session.scalars(
            select(CourseSurvey).where(CourseSurvey.group_id.in_(group_ids)))
    }


class SurveyAlreadySent(Exception):
    """A course gets one set of links; a second set would let people answer twice."""


def course_survey_url(token: str, lang: str) -> str:
    """The personal link to the course-end survey."""
    return external_url("feedback.course_feedback", lang=lang, token=token)


def send_course_survey(group: Group, recipients: Iterable[tuple[str, str]],
                       now: datetime) -> int:
    """Mail each (e-mail, language) of a course's accepted participants a personal,
    single-use survey link. Returns how many were queued; the caller commits.

    Only the hash of each link is stored, with the course and nothing about the person."""
    if db.session.get(CourseSurvey, group.id) is not None:
        raise SurveyAlreadySent(group.id)
    closes_on = local_today(now) + timedelta(days=COURSE_SURVEY_DAYS)
    db.session.add(CourseSurvey(group_id=group.id, sent_at=now, closes_on=closes_on))
    db.session.flush()
    sent = 0
    for email, language in recipients:
        lang = language if language in ("fi", "sv", "en") else "fi"
        token = secrets.token_urlsafe(32)
        db.session.add(SurveyToken(token_hash=token_hash(token), group_id=group.id))
        title, _code = localized(group, "title", lang)
        queue_mail(kind="course_survey", recipient=email, language=lang,
                   template="feedback_course_survey",
                   subject=_l("Your feedback on %(title)s"), subject_params={"title": title},
                   title=title, survey_url=course_survey_url(token, lang), closes_on=closes_on,
                   group=group)
        signals.answers(signals.course_survey_link_sent, group=group, email=email,
                        language=lang, url=course_survey_url(token, lang))
        sent += 1
    return sent


@dataclass(frozen=True)
class OpenLink:
    group: Group
    closes_on: date


def open_link(token: str, now: datetime) -> OpenLink | None:
    """The course an unused, unexpired link belongs to, or None."""
    row = db.session.execute(
        select(Group, CourseSurvey.closes_on)
        .join(SurveyToken, SurveyToken.group_id == Group.id)
        .join(CourseSurvey, CourseSurvey.group_id == Group.id)
        .where(SurveyToken.token_hash == token_hash(token))
    ).first()
    if row is None or local_today(now) > row.closes_on:
        return None
    return OpenLink(group=row[0], closes_on=row.closes_on)


def answer_with_link(token: str, filled: FilledSurvey, now: datetime) -> bool:
    """Use up the link and store the answer in one transaction; False if it was already used.

    The DELETE's row count decides, so two tabs sending at once store one answer."""
    link = open_link(token, now)
    if link is None:
        return False
    result = db.session.execute(
        delete(SurveyToken).where(SurveyToken.token_hash == token_hash(token))
    )
    # Another tab used it a moment ago: nothing was changed.
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    store_answer(SurveyKind.COURSE, link.group.id, None, filled, now)
    return True


# --- facilitators' feedback ---------------------------------------------------------------

def course_facilitator_ids(group_id: int) -> set[int]:
    """Everyone who facilitated a session of the course (cancelled ones too: they planned it)."""
    return set(db.session.scalars(
        select(session_facilitators.c.user_id)
        .join(Session, Session.id == session_facilitators.c.session_id)
        .where(Session.group_id == group_id)))


def course_session_times(group_id: int) -> list[tuple[datetime, datetime]]:
    return [(s, e) for s, e in db.session.execute(
        select(Session.starts_at, Session.ends_at)
        .where(Session.group_id == group_id, Session.status != SessionStatus.CANCELLED))]


def facilitator_has_answered(group_id: int, user_id: int) -> bool:
    return db.session.get(FacilitatorAnswered, (group_id, user_id)) is not None


def store_facilitator_answer(group_id: int, user_id: int, filled: FilledSurvey,
                             now: datetime) -> bool:
    """Record that the facilitator answered and, apart from it, what they said; False when
    they already had. The primary key of `FacilitatorAnswered` keeps a second tab out."""
    if facilitator_has_answered(group_id, user_id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(FacilitatorAnswered(group_id=group_id, user_id=user_id))
            answer = FacilitatorAnswer(group_id=group_id, answered_on=local_today(now),
                                       comment=filled.comment)
            answer.ratings = [FacilitatorRating(item_no=i, score=s)
                              for i, s in sorted(filled.scores.items())]
            db.session.add(answer)
    except IntegrityError:  # the same facilitator in another tab, a moment ago
        return False
    return True
