"""Two tabs sending the same answer at the same instant store it once, without an error:
real concurrent transactions (most telling on PostgreSQL)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from remote_groups.assessment.models import AssessmentPseudonym, AssessmentResponse
from remote_groups.assessment.service import use_preset
from remote_groups.feedback.models import FacilitatorAnswer, FacilitatorAnswered

from ..races import at_once
from .conftest import participant, shift_to_end


def test_two_tabs_answer_the_start_once(app, course, db_session):
    items = [i.id for i in use_preset(course.group, "coping").items]
    _app, token = participant(db_session, course, 1)
    db_session.commit()
    barrier = threading.Barrier(2)
    statuses: list[int | str] = []

    def send() -> None:
        client = app.test_client()
        try:
            barrier.wait(timeout=20)
            response = client.post(f"/fi/my/{token}/assessment/start",
                                   data={f"item-{i}": "3" for i in items})
            statuses.append(response.status_code)
        except Exception as error:  # the test client re-raises what would be a 500
            statuses.append(repr(error))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Saved (303), or the later one finds it answered and shows so (200): never an error.
    assert sorted(statuses) in ([303, 303], [200, 303]), statuses
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(AssessmentResponse)) == 1
    assert db_session.scalar(select(func.count()).select_from(AssessmentPseudonym)) == 1


def test_a_facilitator_in_two_tabs_answers_once(app, course, db_session):
    shift_to_end(course, db_session)
    url = f"/fi/staff/feedback/courses/{course.group.id}/facilitators"
    email = course.facilitators[0].email
    answers = at_once(app, [(email, lambda c: c.post(url, data={"item-1": "4"}))] * 2)
    assert not any(a.failed for a in answers), [a.error for a in answers]
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(FacilitatorAnswer)) == 1
    assert db_session.scalar(select(func.count()).select_from(FacilitatorAnswered)) == 1
