"""Course-end survey: links by mail, one answer per link, and no way back to the person."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select

from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.feedback.models import FeedbackAnswer, FeedbackItem, SurveyToken
from remote_groups.feedback.rules import token_hash
from remote_groups.feedback.service import SurveyAlreadySent, send_course_survey
from remote_groups.i18n import HELSINKI
from remote_groups.mail.models import OutboxMessage

PARTICIPANTS = [("aino.esimerkki@example.com", "fi"), ("bo.exempel@example.com", "sv"),
                ("cecilia.testi@example.com", "fi")]
LINK = re.compile(r"https://etaryhmat\.example\.fi/(fi|sv)/feedback/([A-Za-z0-9_-]+)")


def _send(app, course):
    with app.test_request_context("/fi/"):
        assert send_course_survey(course, PARTICIPANTS, utcnow()) == 3
        db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient)).all()
    return {m.recipient: (m, LINK.search(m.body_text)) for m in mails}


def _all_values(table_name):
    table = db.metadata.tables[table_name]
    return [tuple(row) for row in db.session.execute(select(table))]


def test_each_participant_gets_a_personal_link_in_their_language(app, course, db_session):
    sent = _send(app, course)
    assert set(sent) == {e for e, _ in PARTICIPANTS}
    mail, link = sent["bo.exempel@example.com"]
    assert link.group(1) == "sv"
    assert "Vardagsfärdigheter" in mail.subject
    assert link.group(0) in mail.body_html
    links = {m[1].group(2) for m in sent.values()}
    assert len(links) == 3


def test_answers_cannot_be_linked_to_a_participant_in_the_database(app, client, course,
                                                                   db_session):
    sent = _send(app, course)
    _mail, link = sent["aino.esimerkki@example.com"]
    token = link.group(2)

    page = client.get(f"/fi/feedback/{token}")
    assert page.status_code == 200
    item_ids = db.session.scalars(select(FeedbackItem.id).where(FeedbackItem.in_course_survey))
    form = {f"item-{i}": "4" for i in item_ids}
    form["comment"] = "Mukava ryhmä"
    assert client.post(f"/fi/feedback/{token}", data=form).status_code == 302

    # The tables' columns are exactly these; none can hold a person, a link or a time of day.
    columns = {t: {c["name"] for c in inspect(db.engine).get_columns(t)}
               for t in ("feedback_answers", "feedback_ratings", "survey_tokens")}
    assert columns == {
        "feedback_answers": {"id", "kind", "group_id", "session_id", "answered_on", "comment"},
        "feedback_ratings": {"answer_id", "item_id", "score"},
        "survey_tokens": {"token_hash", "group_id"},
    }
    # And no stored value is the e-mail, the link or its hash.
    secrets_of_aino = {"aino.esimerkki@example.com", token, token_hash(token)}
    for table in ("feedback_answers", "feedback_ratings", "survey_tokens", "course_surveys"):
        for row in _all_values(table):
            for value in row:
                assert not any(s in str(value) for s in secrets_of_aino), (table, row)
    # The used link is gone; the others are still waiting, unlinked to the answer.
    remaining = set(db.session.scalars(select(SurveyToken.token_hash)))
    assert remaining == {token_hash(m[1].group(2)) for e, m in sent.items() if e != _mail.recipient}
    answer = db.session.scalars(select(FeedbackAnswer)).one()
    assert answer.answered_on == utcnow().astimezone(HELSINKI).date()
    assert type(answer.answered_on) is date  # a date, not a datetime
    assert re.fullmatch(r"[0-9a-f]{32}", answer.id)  # random key: no order of arrival
    assert answer.comment == "Mukava ryhmä" and {r.score for r in answer.ratings} == {4}


def test_a_link_works_once(app, client, course, db_session):
    token = _send(app, course)["bo.exempel@example.com"][1].group(2)
    assert client.post(f"/sv/feedback/{token}", data={"comment": "Bra"}).status_code == 302
    again = client.post(f"/sv/feedback/{token}", data={"comment": "Bra igen"})
    assert again.status_code == 404
    assert "Länken har redan använts" in again.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackAnswer)) == 1


def test_an_unknown_or_expired_link_shows_a_plain_explanation(app, client, course, db_session):
    assert client.get("/fi/feedback/not-a-real-link").status_code == 404
    token = _send(app, course)["cecilia.testi@example.com"][1].group(2)
    from remote_groups.feedback.models import CourseSurvey

    db.session.get(CourseSurvey, course.id).closes_on = date.today() - timedelta(days=2)
    db.session.commit()
    response = client.get(f"/fi/feedback/{token}")
    assert response.status_code == 404
    assert "Linkki on jo käytetty" in response.get_data(as_text=True)


def test_a_course_survey_is_sent_once(app, course, db_session):
    _send(app, course)
    with app.test_request_context("/fi/"), pytest.raises(SurveyAlreadySent):
        send_course_survey(course, PARTICIPANTS[:1], utcnow())


def test_a_bad_answer_keeps_what_was_typed_and_says_what_is_wrong(app, client, course,
                                                                  db_session):
    token = _send(app, course)["aino.esimerkki@example.com"][1].group(2)
    client.get(f"/fi/feedback/{token}")
    item_id = db.session.scalars(select(FeedbackItem.id)).first()
    assert item_id is not None
    response = client.post(f"/fi/feedback/{token}",
                           data={f"item-{item_id}": "9", "comment": "Tämä jää talteen"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Valitse numero 1–5." in body and "Tämä jää talteen" in body
    assert db.session.scalar(select(SurveyToken).where(
        SurveyToken.token_hash == token_hash(token))) is not None


def test_the_course_survey_sets_no_cookie(app, client, course, db_session, monkeypatch):
    token = _send(app, course)["bo.exempel@example.com"][1].group(2)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert "Set-Cookie" not in client.get(f"/sv/feedback/{token}").headers
    answered = client.post(f"/sv/feedback/{token}", data={"comment": "Bra"})
    assert answered.status_code == 302 and "Set-Cookie" not in answered.headers
