"""Coordinators edit the survey statements in Finnish and Swedish."""

from sqlalchemy import select

from remote_groups.feedback.models import FeedbackItem
from remote_groups.people.models import Role


def test_coordinator_sees_the_default_items_and_edits_one(client, make, login, db_session):
    login(make.user(role=Role.COORDINATOR))
    page = client.get("/fi/staff/feedback/items").get_data(as_text=True)
    assert "Sain tukea muilta osallistujilta." in page
    item = db_session.scalars(select(FeedbackItem).order_by(FeedbackItem.position)).first()
    response = client.post(f"/fi/staff/feedback/items/{item.id}", data={
        "text_fi": "Voin paremmin kuin ennen.", "text_sv": "Jag mår bättre än förut.",
        "text_en": "", "position": "0", "in_course_survey": "y", "active": "y",
    })
    assert response.status_code == 302
    db_session.refresh(item)
    assert (item.text_fi, item.text_sv, item.in_session_survey) == (
        "Voin paremmin kuin ennen.", "Jag mår bättre än förut.", False)


def test_a_statement_needs_both_languages(client, make, login, db_session):
    login(make.user(role=Role.COORDINATOR))
    response = client.post("/fi/staff/feedback/items/new", data={
        "text_fi": "Uusi väittämä", "text_sv": "", "position": "7", "active": "y"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kirjoita väittämä ruotsiksi." in body and 'value="Uusi väittämä"' in body
    assert db_session.scalar(select(FeedbackItem).where(
        FeedbackItem.text_fi == "Uusi väittämä")) is None


def test_facilitators_cannot_edit_items(client, make, login, db_session):
    login(make.user(role=Role.FACILITATOR))
    assert client.get("/fi/staff/feedback/items").status_code == 403
