"""Participants answer at the start and at the end through their private link; the report
pairs the answers by pseudonym; export, erasure and retention take the answers along."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, inspect, select, text

from remote_groups.assessment.models import (
    AssessmentPseudonym,
    AssessmentResponse,
    AssessmentScore,
)
from remote_groups.assessment.service import store, use_preset
from remote_groups.courses.service import anonymise, export_person
from remote_groups.db_types import utcnow
from remote_groups.rules.assessment import Phase
from remote_groups.rules.capacity import Status

from .conftest import participant, shift_to_end


def _csrf(page: str) -> str:
    """The form's CSRF token (the test app switches CSRF off, so often none)."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def _scale(course, db_session, key="wellbeing"):
    scale = use_preset(course.group, key)
    db_session.commit()
    return [i.id for i in scale.items]


def _answer(client, token, phase, scores, lang="fi"):
    url = f"/{lang}/my/{token}/assessment/{phase}"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {"csrf_token": _csrf(page.get_data(as_text=True))}
    data.update({f"item-{i}": str(s) for i, s in scores.items()})
    return client.post(url, data=data)


def test_the_status_page_offers_the_start_assessment(client, course, db_session):
    _scale(course, db_session)
    _app, token = participant(db_session, course, 1)
    db_session.commit()
    page = client.get(f"/fi/my/{token}").get_data(as_text=True)
    assert f"/fi/my/{token}/assessment/start" in page
    assert f"/fi/my/{token}/assessment/end" not in page  # not open yet


def test_nothing_is_offered_without_statements_or_before_acceptance(client, course, db_session):
    _app, token = participant(db_session, course, 1)
    _app2, waiting = participant(db_session, course, 2, status=Status.WAITING)
    db_session.commit()
    assert "/assessment/" not in client.get(f"/fi/my/{token}").get_data(as_text=True)
    assert client.get(f"/fi/my/{token}/assessment/start").status_code == 404
    _scale(course, db_session)
    assert "/assessment/" not in client.get(f"/fi/my/{waiting}").get_data(as_text=True)
    assert client.get(f"/fi/my/{waiting}/assessment/start").status_code == 404
    assert client.get(f"/fi/my/{token}/assessment/middle").status_code == 404
    assert client.get("/fi/my/not-a-token/assessment/start").status_code == 404


def test_a_missing_answer_is_shown_next_to_its_statement_and_nothing_is_lost(
        client, course, db_session):
    items = _scale(course, db_session)
    _app, token = participant(db_session, course, 1, lang="sv")
    db_session.commit()
    response = _answer(client, token, "start", {i: 4 for i in items[:-1]}, lang="sv")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="item-{items[-1]}-error"' in body
    for item_id in items[:-1]:  # what was chosen stays chosen
        assert f'id="item-{item_id}-4" name="item-{item_id}" value="4" checked' in body
    assert db_session.scalar(select(func.count()).select_from(AssessmentResponse)) == 0


def test_start_then_end_once_each(client, course, db_session):
    items = _scale(course, db_session)
    _application, token = participant(db_session, course, 1)
    db_session.commit()
    response = _answer(client, token, "start", {i: 2 for i in items})
    assert response.status_code == 303 and response.location.endswith(f"/fi/my/{token}")
    page = client.get(f"/fi/my/{token}").get_data(as_text=True)
    assert "assessment/start" not in page
    # A second answer is not taken: the page says it was answered.
    again = client.get(f"/fi/my/{token}/assessment/start")
    assert again.status_code == 200 and "<form" not in again.get_data(as_text=True).split(
        "<main")[1]
    assert client.get(f"/fi/my/{token}/assessment/end").get_data(as_text=True).count(
        'type="radio"') == 0
    shift_to_end(course, db_session)
    assert f"/fi/my/{token}/assessment/end" in client.get(f"/fi/my/{token}").get_data(
        as_text=True)
    assert _answer(client, token, "end", {i: 4 for i in items}).status_code == 303
    rows = db_session.scalars(select(AssessmentResponse)).all()
    assert sorted(r.phase for r in rows) == [Phase.END, Phase.START]
    assert len({r.pseudonym for r in rows}) == 1


def test_the_answer_tables_name_nobody(course, db_session):
    """No column of the answer tables points at an application or a person; only the
    pseudonym table does."""
    for model in (AssessmentResponse, AssessmentScore):
        columns = {c.name for c in inspect(model).columns}
        foreign = {fk.column.table.name for c in inspect(model).columns for fk in c.foreign_keys}
        assert not columns & {"application_id", "email", "name", "user_id"}
        assert "course_applications" not in foreign
    assert {fk.column.table.name for c in inspect(AssessmentPseudonym).columns
            for fk in c.foreign_keys} == {"course_applications"}


def _pairs(course, db_session, items, n, start, end):
    for k in range(n):
        application, _token = participant(db_session, course, 100 + k)
        store(application.id, course.group.id, Phase.START, {i: start[k] for i in items},
              utcnow())
        store(application.id, course.group.id, Phase.END, {i: end[k] for i in items}, utcnow())
    db_session.commit()


def test_report_shows_the_average_change_from_five_pairs(client, login, course, db_session):
    items = _scale(course, db_session)
    # starts 1,2,3,2,2 (2.0); ends 3,3,4,4,2 (3.2); change 1.2
    _pairs(course, db_session, items, 5, [1, 2, 3, 2, 2], [3, 3, 4, 4, 2])
    login(course.facilitators[1])
    body = client.get(f"/fi/staff/assessment/courses/{course.group.id}/report").get_data(
        as_text=True)
    assert "+1,2" in body and "3,2" in body and ">5<" in body
    body = client.get(f"/sv/staff/assessment/courses/{course.group.id}/report").get_data(
        as_text=True)
    assert "+1,2" in body


def test_report_hides_figures_of_fewer_than_five_pairs(client, login, course, db_session):
    items = _scale(course, db_session)
    _pairs(course, db_session, items, 4, [1, 1, 1, 1], [5, 5, 5, 5])
    login(course.coordinator)
    body = client.get(f"/en/staff/assessment/courses/{course.group.id}/report").get_data(
        as_text=True)
    assert "Hidden: fewer than 5 pairs" in body
    assert "+4" not in body and ">4<" in body  # the number of pairs is shown


def test_export_includes_and_erasure_deletes_the_answers(course, db_session, app):
    items = _scale(course, db_session)
    application, _token = participant(db_session, course, 1)
    other, _t = participant(db_session, course, 2)
    for a in (application, other):
        store(a.id, course.group.id, Phase.START, {i: 3 for i in items}, utcnow())
    db_session.commit()
    with app.test_request_context("/fi/"):
        exported = export_person("osallistuja1@example.com")
    [entry] = exported["applications"]
    [start] = entry["self_assessment"]
    assert start["phase"] == "start"
    assert [a["score"] for a in start["answers"]] == [3] * len(items)
    assert start["answers"][0]["statement_fi"] == "Voin hyvin."
    assert json.dumps(exported)  # serialisable
    with app.test_request_context("/fi/"):
        anonymise(application, utcnow())
    db_session.commit()
    assert db_session.get(AssessmentPseudonym, application.id) is None
    remaining = db_session.execute(text("SELECT pseudonym FROM assessment_responses")).all()
    assert len(remaining) == 1  # the other participant's answers stay
    assert db_session.scalar(select(func.count()).select_from(AssessmentScore)) == len(items)


def test_retention_purge_removes_the_answers(app, course, db_session):
    items = _scale(course, db_session)
    application, _token = participant(db_session, course, 1)
    store(application.id, course.group.id, Phase.START, {i: 3 for i in items}, utcnow())
    from datetime import timedelta
    for s in course.sessions:
        s.starts_at = utcnow() - timedelta(days=100)
        s.ends_at = s.starts_at + timedelta(hours=2)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "purge"])
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(AssessmentResponse)) == 0
    assert db_session.scalar(select(func.count()).select_from(AssessmentPseudonym)) == 0
