"""A small, hand-counted data set for the reports (see the expected figures in the tests).

Period: March 2026 (Helsinki), 'now' 2026-03-20 12:00 UTC. Area A serves Finnish, B both.
G1 open/fi (A, B), G2 open/sv (B), G3 closed/both (A)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete

from remote_groups.feedback.models import FeedbackAnswer, FeedbackItem, FeedbackRating, SurveyKind
from remote_groups.groups.models import GroupKind, InstructionLanguage, SessionStatus

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def dataset(make: Any, db_session: Any) -> SimpleNamespace:
    a = make.area(code="a", languages="fi", name_fi="Alue A", name_sv="Område A")
    b = make.area(code="b", languages="fi,sv", name_fi="Alue B", name_sv="Område B")
    g1 = make.group(areas=[a, b], title_fi="Avoin suomeksi", title_sv="Öppen på finska",
                    instruction_language=InstructionLanguage.FI)
    g2 = make.group(areas=[b], title_fi="Avoin ruotsiksi", title_sv="Öppen på svenska",
                    instruction_language=InstructionLanguage.SV)
    g3 = make.group(areas=[a], kind=GroupKind.CLOSED, title_fi="Kurssi kahdella kielellä",
                    title_sv="Kurs på två språk", instruction_language=InstructionLanguage.BOTH)
    s = {}
    s[1] = make.session_(group=g1, host=a, starts_at=_at(2, 10), minutes=90, join_count=7)
    s[2] = make.session_(group=g1, host=b, starts_at=_at(9, 10), minutes=90, join_count=5)
    s[3] = make.session_(group=g1, host=a, starts_at=_at(16, 10), minutes=90,
                         status=SessionStatus.CANCELLED)
    s[4] = make.session_(group=g1, host=b, starts_at=_at(23, 10), minutes=90)
    s[5] = make.session_(group=g2, host=b, starts_at=_at(4, 12), minutes=120, join_count=3)
    s[6] = make.session_(group=g2, host=b, starts_at=_at(11, 12), minutes=120, join_count=4)
    s[7] = make.session_(group=g3, host=a, starts_at=_at(5, 8), minutes=150, join_count=2)
    s[8] = make.session_(group=g3, host=a, starts_at=_at(12, 8), minutes=150)
    # 1 March 00:30 in Helsinki (inside March) and 28 February 23:30 (outside).
    s[9] = make.session_(group=g1, host=a, starts_at=_at(28, 22, 30, month=2), minutes=60,
                         join_count=1)
    s[10] = make.session_(group=g1, host=a, starts_at=_at(28, 21, 30, month=2), minutes=30,
                          join_count=100)
    # Only this data set's two statements (the migration seeds the pilots' five).
    db_session.execute(delete(FeedbackItem))
    i1 = FeedbackItem(position=0, text_fi="Suosittelisin", text_sv="Rekommenderar",
                      text_en="Recommend", in_session_survey=True)
    i2 = FeedbackItem(position=1, text_fi="Selkeä", text_sv="Tydlig", text_en="Clear",
                      in_session_survey=True)
    db_session.add_all([i1, i2])
    db_session.flush()

    def answer(kind: SurveyKind, group: Any, session: Any, day: date,
               scores: dict[Any, int], comment: str = "") -> None:
        row = FeedbackAnswer(kind=kind, group_id=group.id,
                             session_id=session.id if session else None, answered_on=day,
                             comment=comment)
        row.ratings = [FeedbackRating(item_id=item.id, score=v) for item, v in scores.items()]
        db_session.add(row)

    answer(SurveyKind.SESSION, g1, s[1], date(2026, 3, 2), {i1: 5, i2: 4})
    answer(SurveyKind.SESSION, g2, s[5], date(2026, 3, 4), {i1: 3})
    answer(SurveyKind.COURSE, g3, None, date(2026, 3, 20), {i1: 4, i2: 2}, "Hyvä kurssi; kiitos")
    answer(SurveyKind.COURSE, g3, None, date(2026, 4, 2), {i1: 1}, "Liian aikaisin")
    # Applications to G3: in March two accepted, one waiting, one declined; one in April.
    from remote_groups.courses.models import Application
    from remote_groups.rules.capacity import Status

    for n, (status, applied) in enumerate([
        (Status.ACCEPTED, _at(1, 9)), (Status.ACCEPTED, _at(2, 9)), (Status.WAITING, _at(3, 9)),
        (Status.DECLINED, _at(4, 9)), (Status.PENDING, _at(2, 9, month=4)),
    ]):
        db_session.add(Application(group_id=g3.id, status=status, name=f"Hakija {n}",
                                   email=f"hakija{n}@example.com", language="sv" if n else "fi",
                                   applied_at=applied))
    db_session.commit()
    return SimpleNamespace(a=a, b=b, g1=g1, g2=g2, g3=g3, s=s, i1=i1, i2=i2)
