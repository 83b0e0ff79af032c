"""Open-group feedback after a session: anonymous, once per browser, only after the session."""

from datetime import timedelta

from sqlalchemy import func, select

from remote_groups.db_types import utcnow
from remote_groups.feedback.models import FeedbackAnswer, FeedbackItem, SurveyKind
from remote_groups.groups.models import GroupKind


def _items(db_session):
    return db_session.scalars(select(FeedbackItem).where(FeedbackItem.in_session_survey)).all()


def test_the_form_asks_the_short_session_items_in_swedish(client, open_session, db_session):
    body = client.get(f"/sv/sessions/{open_session.id}/feedback").get_data(as_text=True)
    assert "Jag skulle rekommendera gruppen." in body
    assert "Mitt välbefinnande har blivit bättre." not in body  # a course item only
    assert body.count("<fieldset") == 3 and body.count("<legend") == 3
    assert body.count('type="radio"') == 15


def test_an_answer_is_stored_and_a_second_one_from_the_same_browser_is_refused(
        client, open_session, db_session):
    url = f"/fi/sessions/{open_session.id}/feedback"
    client.get(url)
    form = {f"item-{i.id}": "5" for i in _items(db_session)}
    first = client.post(url, data=form)
    assert first.status_code == 302 and first.headers["Location"].endswith("/fi/feedback/thanks")
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    again = client.post(url, data=form)
    assert "Olet jo antanut palautetta" in again.get_data(as_text=True)
    answers = db_session.scalars(select(FeedbackAnswer)).all()
    assert len(answers) == 1
    assert answers[0].kind == SurveyKind.SESSION and answers[0].session_id == open_session.id


def test_a_forged_cookie_is_ignored(client, open_session, db_session):
    url = f"/fi/sessions/{open_session.id}/feedback"
    client.set_cookie("rg_feedback_given", f"[{open_session.id}]")
    assert "<fieldset" in client.get(url).get_data(as_text=True)


def test_feedback_is_not_taken_before_the_session_or_on_a_course(client, make, db_session):
    future = make.session_(starts_at=utcnow() + timedelta(days=1))
    course = make.session_(group=make.group(kind=GroupKind.CLOSED),
                           starts_at=utcnow() - timedelta(hours=3))
    db_session.commit()
    assert client.get(f"/fi/sessions/{future.id}/feedback").status_code == 404
    assert client.post(f"/fi/sessions/{future.id}/feedback", data={"comment": "x"}
                       ).status_code == 404
    assert client.get(f"/fi/sessions/{course.id}/feedback").status_code == 404
    assert db_session.scalar(select(func.count()).select_from(FeedbackAnswer)) == 0


def test_an_empty_form_asks_for_at_least_one_answer(client, open_session, db_session):
    response = client.post(f"/fi/sessions/{open_session.id}/feedback", data={})
    assert response.status_code == 400
    assert "Valitse numero ainakin yhteen väittämään" in response.get_data(as_text=True)


def test_the_form_sets_no_cookie_and_an_answer_sets_only_the_answered_note(
        app, client, open_session, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    url = f"/sv/sessions/{open_session.id}/feedback"
    assert "Set-Cookie" not in client.get(url).headers
    items = _items(db_session)
    answered = client.post(url, data={f"item-{items[0].id}": "3"})
    assert answered.status_code == 302
    cookies = answered.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("rg_feedback_given=")
    assert "Max-Age=5184000" in cookies[0]  # 60 days, as the privacy page says
    assert "ett undantag" in client.get("/sv/privacy").get_data(as_text=True).lower()
