"""Self-assessment in the database: a course's scale, answers under a pseudonym, the report,
and the application's part in export and erasure. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..groups.models import Group, Session, SessionStatus
from ..i18n import HELSINKI
from ..rules import assessment as rules
from ..rules.assessment import Phase, ScaleRange
from .models import (
    AssessmentItem,
    AssessmentPseudonym,
    AssessmentResponse,
    AssessmentScale,
    AssessmentScore,
)


class ScaleLocked(Exception):
    """The scale has answers: changing it would change what the answers mean."""


def local_day(now: datetime) -> date:
    return now.astimezone(HELSINKI).date()


# --- the scale ----------------------------------------------------------------------------

def scale_of(group_id: int) -> AssessmentScale | None:
    return db.session.get(AssessmentScale, group_id)


def has_answers(group_id: int) -> bool:
    return bool(db.session.scalar(
        select(exists().where(AssessmentResponse.group_id == group_id))))


def answer_counts(group_id: int) -> dict[Phase, int]:
    rows = db.session.execute(
        select(AssessmentResponse.phase, func.count())
        .where(AssessmentResponse.group_id == group_id).group_by(AssessmentResponse.phase))
    return {Phase(phase): n for phase, n in rows}


def _editable_scale(group: Group) -> AssessmentScale:
    if has_answers(group.id):
        raise ScaleLocked(group.id)
    scale = scale_of(group.id)
    if scale is None:
        scale = AssessmentScale(group_id=group.id, scale_range=ScaleRange.ONE_TO_FIVE, preset="")
        db.session.add(scale)
        db.session.flush()
    return scale


def use_preset(group: Group, key: str) -> AssessmentScale:
    """Replace the course's items with a ready-made set."""
    chosen = rules.preset(key)
    if chosen is None:
        raise ValueError(key)
    scale = _editable_scale(group)
    scale.items.clear()
    db.session.flush()
    scale.scale_range = chosen.scale
    scale.preset = chosen.key
    for position, item in enumerate(chosen.items):
        scale.items.append(AssessmentItem(position=position, text_fi=item.text_fi,
                                          text_sv=item.text_sv, text_en=item.text_en))
    db.session.flush()
    return scale


def set_range(group: Group, scale_range: ScaleRange) -> AssessmentScale:
    scale = _editable_scale(group)
    scale.scale_range = scale_range
    db.session.flush()
    return scale


def save_item(group: Group, item_id: int | None, text_fi: str, text_sv: str,
              text_en: str) -> AssessmentItem:
    scale = _editable_scale(group)
    item = next((i for i in scale.items if i.id == item_id), None) if item_id else None
    if item_id and item is None:
        raise LookupError(item_id)
    if item is None:
        if len(scale.items) >= rules.MAX_ITEMS:
            raise OverflowError(rules.MAX_ITEMS)
        item = AssessmentItem(position=len(scale.items))
        scale.items.append(item)
    item.text_fi, item.text_sv, item.text_en = text_fi, text_sv, text_en
    db.session.flush()
    return item


def change_item(group: Group, item_id: int, action: str) -> None:
    """Move an item "up" or "down", or "remove" it."""
    scale = _editable_scale(group)
    items = list(scale.items)
    index = next((n for n, i in enumerate(items) if i.id == item_id), None)
    if index is None:
        raise LookupError(item_id)
    if action == "remove":
        scale.items.remove(items.pop(index))
    elif action == "up" and index > 0:
        items[index - 1], items[index] = items[index], items[index - 1]
    elif action == "down" and index < len(items) - 1:
        items[index + 1], items[index] = items[index], items[index + 1]
    for position, item in enumerate(items):
        item.position = position
    db.session.flush()
    db.session.expire(scale, ["items"])


# --- when and who -------------------------------------------------------------------------

def session_times(group_id: int) -> list[tuple[datetime, datetime]]:
    return [(s, e) for s, e in db.session.execute(
        select(Session.starts_at, Session.ends_at)
        .where(Session.group_id == group_id, Session.status != SessionStatus.CANCELLED))]


def phase_window(group_id: int, phase: Phase) -> rules.Window | None:
    return rules.window(phase, session_times(group_id))


def pseudonym_of(application_id: int, *, create: bool) -> str | None:
    row = db.session.get(AssessmentPseudonym, application_id)
    if row is None and create:
        try:
            with db.session.begin_nested():
                row = AssessmentPseudonym(application_id=application_id)
                db.session.add(row)
        except IntegrityError:  # another tab made it a moment ago: use that one
            row = db.session.get(AssessmentPseudonym, application_id)
    return row.pseudonym if row is not None else None


def responses_of(application_id: int) -> dict[Phase, AssessmentResponse]:
    pseudonym = pseudonym_of(application_id, create=False)
    if pseudonym is None:
        return {}
    return {r.phase: r for r in db.session.scalars(
        select(AssessmentResponse).where(AssessmentResponse.pseudonym == pseudonym))}


def store(application_id: int, group_id: int, phase: Phase, scores: dict[int, int],
          now: datetime) -> bool:
    """Save one person's answers for a phase; False when they already answered it. The
    unique (pseudonym, phase) keeps two tabs from saving twice: the loser's savepoint is
    rolled back and it answers False."""
    pseudonym = pseudonym_of(application_id, create=True)
    assert pseudonym is not None
    if db.session.scalar(select(exists().where(AssessmentResponse.pseudonym == pseudonym,
                                               AssessmentResponse.phase == phase))):
        return False
    try:
        with db.session.begin_nested():
            response = AssessmentResponse(pseudonym=pseudonym, group_id=group_id, phase=phase,
                                          answered_on=local_day(now))
            response.scores = [AssessmentScore(item_id=i, score=s)
                               for i, s in sorted(scores.items())]
            db.session.add(response)
    except IntegrityError:  # another tab saved this phase a moment ago
        return False
    return True


# --- the report ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportRow:
    item: AssessmentItem
    change: rules.ItemChange


def course_changes(group_id: int) -> list[ReportRow]:
    scale = scale_of(group_id)
    if scale is None:
        return []
    answers = [rules.Answer(pseudonym=p, phase=Phase(phase), item_id=i, score=s)
               for p, phase, i, s in db.session.execute(
                   select(AssessmentResponse.pseudonym, AssessmentResponse.phase,
                          AssessmentScore.item_id, AssessmentScore.score)
                   .join(AssessmentScore, AssessmentScore.response_id == AssessmentResponse.id)
                   .where(AssessmentResponse.group_id == group_id))]
    changes = rules.average_changes(answers, [i.id for i in scale.items])
    return [ReportRow(item, change) for item, change in zip(scale.items, changes, strict=True)]


# --- data care ----------------------------------------------------------------------------

def erase(application_id: int) -> None:
    """Delete the pseudonym and every answer under it."""
    pseudonym = pseudonym_of(application_id, create=False)
    if pseudonym is None:
        return
    response_ids = select(AssessmentResponse.id).where(AssessmentResponse.pseudonym == pseudonym)
    db.session.execute(delete(AssessmentScore).where(AssessmentScore.response_id.in_(response_ids))
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(AssessmentResponse).where(AssessmentResponse.pseudonym == pseudonym)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(AssessmentPseudonym)
                       .where(AssessmentPseudonym.application_id == application_id)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


def export(application_id: int) -> dict[str, Any]:
    responses = responses_of(application_id)
    if not responses:
        return {}
    items = {i.id: i for i in db.session.scalars(select(AssessmentItem).where(
        AssessmentItem.id.in_({s.item_id for r in responses.values() for s in r.scores})))}
    return {"self_assessment": [
        {"phase": phase.value, "answered_on": r.answered_on.isoformat(),
         "answers": [{"statement_fi": items[s.item_id].text_fi,
                      "statement_sv": items[s.item_id].text_sv, "score": s.score}
                     for s in sorted(r.scores, key=lambda s: items[s.item_id].position)]}
        for phase, r in sorted(responses.items())]}
