"""Coordinators set up a course's statements through the web."""

from __future__ import annotations

import re

from sqlalchemy import select

from remote_groups.assessment.models import AssessmentItem, AssessmentScale
from remote_groups.assessment.service import store
from remote_groups.audit import AuditEntry
from remote_groups.db_types import utcnow
from remote_groups.rules.assessment import Phase, ScaleRange

from .conftest import participant

CSRF = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"')


def _csrf(client, url):
    """The page's CSRF token (the test app switches CSRF off, so often none)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    match = CSRF.search(page.get_data(as_text=True))
    return match.group(1) if match else ""


def _items(db_session, group_id):
    db_session.expire_all()
    return list(db_session.scalars(select(AssessmentItem).where(
        AssessmentItem.group_id == group_id).order_by(AssessmentItem.position)))


def test_a_coordinator_picks_a_ready_made_set(client, login, course, db_session):
    login(course.coordinator)
    url = f"/fi/staff/assessment/courses/{course.group.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Väittämiä ei vielä ole." in page
    token = _csrf(client, url)
    response = client.post(url, data={"form": "preset", "preset-csrf_token": token,
                                      "preset-preset": "work_ability"})
    assert response.status_code == 303
    scale = db_session.get(AssessmentScale, course.group.id)
    assert scale.scale_range == ScaleRange.ZERO_TO_TEN and scale.preset == "work_ability"
    items = _items(db_session, course.group.id)
    assert items[0].text_fi == "Työkykyni juuri nyt."
    page = client.get(url).get_data(as_text=True)
    assert "Työkykyni juuri nyt." in page and "Min arbetsförmåga just nu." in page
    entry = db_session.scalars(select(AuditEntry).where(
        AuditEntry.action == "assessment.preset")).one()
    assert entry.actor_id == course.coordinator.id and entry.subject_id == course.group.id


def test_no_preset_chosen_is_an_error_next_to_the_choice(client, login, course):
    login(course.coordinator)
    url = f"/sv/staff/assessment/courses/{course.group.id}"
    token = _csrf(client, url)
    response = client.post(url, data={"form": "preset", "preset-csrf_token": token})
    assert response.status_code == 400
    assert "Välj en färdig uppsättning." in response.get_data(as_text=True)


def test_add_edit_reorder_and_remove_statements(client, login, course, db_session):
    login(course.coordinator)
    base = f"/fi/staff/assessment/courses/{course.group.id}"
    new = base + "/items/new"
    # A mistake keeps what was typed and says what is missing, next to the field.
    token = _csrf(client, new)
    response = client.post(new, data={"csrf_token": token, "text_fi": "Jaksan hyvin.",
                                      "text_sv": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Jaksan hyvin." in body and 'id="text_sv-error"' in body
    for fi, sv in (("Eka.", "Första."), ("Toka.", "Andra."), ("Kolmas.", "Tredje.")):
        assert client.post(new, data={"csrf_token": token, "text_fi": fi, "text_sv": sv}
                           ).status_code == 303
    items = _items(db_session, course.group.id)
    assert [i.text_fi for i in items] == ["Eka.", "Toka.", "Kolmas."]
    token = _csrf(client, base)
    client.post(base, data={"form": "item", "item-csrf_token": token,
                            "action": f"up:{items[2].id}"})
    assert [i.text_fi for i in _items(db_session, course.group.id)] == ["Eka.", "Kolmas.",
                                                                         "Toka."]
    client.post(base, data={"form": "item", "item-csrf_token": token,
                            "action": f"remove:{items[0].id}"})
    assert [i.text_fi for i in _items(db_session, course.group.id)] == ["Kolmas.", "Toka."]
    edit = f"{base}/items/{items[1].id}"
    assert client.post(edit, data={"csrf_token": token, "text_fi": "Toinen.", "text_sv": "Andra.",
                                   "text_en": "Second."}).status_code == 303
    assert [i.text_en for i in _items(db_session, course.group.id)] == ["", "Second."]
    # Junk in the action is refused plainly, never a server error.
    assert client.post(base, data={"form": "item", "item-csrf_token": token,
                                   "action": "up:١"}).status_code == 400
    assert client.post(base, data={"form": "item", "item-csrf_token": token,
                                   "action": "up:999999"}).status_code == 404


def test_statements_are_locked_once_someone_answered(client, login, course, db_session):
    login(course.coordinator)
    base = f"/fi/staff/assessment/courses/{course.group.id}"
    token = _csrf(client, base)
    client.post(base, data={"form": "preset", "preset-csrf_token": token,
                            "preset-preset": "coping"})
    items = _items(db_session, course.group.id)
    application, _token = participant(db_session, course, 1)
    store(application.id, course.group.id, Phase.START, {i.id: 3 for i in items}, utcnow())
    db_session.commit()
    page = client.get(base).get_data(as_text=True)
    assert "Käytä tätä sarjaa" not in page
    response = client.post(base, data={"form": "preset", "preset-csrf_token": token,
                                       "preset-preset": "wellbeing"})
    assert response.status_code == 303
    assert [i.id for i in _items(db_session, course.group.id)] == [i.id for i in items]
    assert client.get(f"{base}/items/new").status_code == 303


def test_only_coordinators_of_a_co_running_area(client, login, course):
    url = f"/fi/staff/assessment/courses/{course.group.id}"
    login(course.facilitators[0])
    assert client.get(url).status_code == 403
    # Facilitators do see the report of their own course.
    assert client.get(url + "/report").status_code == 200
    client.post("/fi/staff/logout")
    login(course.outsider)
    assert client.get(url).status_code == 403
    assert client.get(url + "/report").status_code == 403
