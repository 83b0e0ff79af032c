"""Retention, erasure on request, export, the data key and rate limits."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from remote_groups import create_app
from remote_groups.config import ConfigError
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Status

from .conftest import form_data, outbox, status_token


def _apply(client, course, email, **kw):
    client.post(f"/fi/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], email=email, **kw))
    return status_token(outbox(kind="course_application", recipient=email)[-1])


def _raw_rows(db_session):
    return [dict(r) for r in db_session.execute(
        text("SELECT * FROM course_applications ORDER BY id")).mappings()]


def _end_course(course, db_session, days_ago):
    for s in course.sessions:
        s.starts_at = utcnow() - timedelta(days=days_ago + 1)
        s.ends_at = s.starts_at + timedelta(hours=2)
    db_session.commit()


def test_purge_erases_personal_data_after_the_retention_time(app, client, course, db_session):
    _apply(client, course, "vanha@example.com")
    runner = app.test_cli_runner()
    _end_course(course, db_session, days_ago=29)
    result = runner.invoke(args=["courses", "purge"])
    assert result.exit_code == 0, result.output
    assert "Anonymised 0" in result.output
    _end_course(course, db_session, days_ago=31)
    result = runner.invoke(args=["courses", "purge"])
    assert "Anonymised 1" in result.output
    [row] = _raw_rows(db_session)
    dumped = json.dumps(row, default=str)
    for personal in ("vanha@example.com", "Testi Hakija", "040 000 0000"):
        assert personal not in dumped
    assert row["motivation"] == "" and row["support_needs"] == "" and row["email_hash"] is None
    assert row["erased_at"] is not None
    # What is left is a count, by status and home area.
    assert row["status"] == "pending" and row["home_area_id"] == course.areas[0].id


def test_purge_keeps_data_of_a_course_still_running(app, client, course, db_session):
    _apply(client, course, "nyt@example.com")
    result = app.test_cli_runner().invoke(args=["courses", "purge", "--days", "0"])
    assert "Anonymised 0" in result.output
    assert _raw_rows(db_session)[0]["email"] == "nyt@example.com"


def test_an_admin_exports_one_persons_data_as_json(client, course, make, login, db_session):
    _apply(client, course, "pyytaja@example.com", support_needs="Viittomakielen tulkki.")
    _apply(client, course, "joku@example.com")
    admin = make.user(course.areas[0], role=Role.ADMIN, email="admin@example.com")
    db_session.commit()
    login(admin)
    response = client.post("/fi/staff/courses/data-requests",
                           data={"email": "Pyytaja@Example.com", "action": "export"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.data)
    [item] = data["applications"]
    assert item["email"] == "pyytaja@example.com"
    assert item["support_needs"] == "Viittomakielen tulkki."
    assert item["course"]["title_fi"] == "Mielen hyvinvoinnin kurssi"


def test_facilitators_cannot_use_data_requests(client, course, login):
    login(course.facilitator)
    response = client.post("/fi/staff/courses/data-requests",
                           data={"email": "x@example.com", "action": "export"})
    assert response.status_code == 403


def test_an_admin_erases_one_person_and_their_seat_goes_on(
        client, course, make, login, db_session):
    _apply(client, course, "poista@example.com")
    _apply(client, course, "jonossa@example.com")
    admin = make.user(course.areas[0], role=Role.ADMIN, email="admin@example.com")
    db_session.commit()
    login(admin)
    course.group.capacity = 1
    first, second = db_session.scalars(select(Application).order_by(Application.id)).all()
    db_session.commit()
    base = f"/fi/staff/courses/{course.group.id}/applications"
    client.post(f"{base}/{first.id}/decision", data={"decision": "accept"})
    client.post(f"{base}/{second.id}/decision", data={"decision": "waitlist"})
    response = client.post("/fi/staff/courses/data-requests",
                           data={"email": "poista@example.com", "action": "erase"})
    assert response.status_code == 303
    rows = _raw_rows(db_session)
    assert "poista@example.com" not in json.dumps(rows, default=str)
    assert rows[0]["erased_at"] is not None and rows[0]["status"] == "withdrawn"
    db_session.expire_all()
    # The freed seat is offered to the next person (issue 18), who decides.
    assert db_session.get(Application, second.id).status == Status.WAITING
    assert len(outbox(kind="course_offer", recipient="jonossa@example.com")) == 1
    assert len(outbox(kind="left", recipient="poista@example.com")) == 1  # one CANCEL


def test_production_refuses_to_start_courses_without_a_data_key(monkeypatch, tmp_path):
    monkeypatch.setenv("RG_MODE", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("DATA_KEY", raising=False)
    monkeypatch.setenv("COURSES_ENABLED", "1")
    with pytest.raises(ConfigError, match="DATA_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite",
                    "RATELIMIT_ENABLED": False})


def test_production_without_courses_needs_no_data_key(monkeypatch, tmp_path):
    monkeypatch.setenv("RG_MODE", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("DATA_KEY", raising=False)
    monkeypatch.delenv("COURSES_ENABLED", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite",
                      "RATELIMIT_ENABLED": False})
    assert "courses" not in app.blueprints


def test_texts_written_with_one_key_cannot_be_read_with_another(app, client, course, db_session):
    _apply(client, course, "avain@example.com")
    db_session.expire_all()
    app.config["DATA_KEY"] = "another key entirely"
    try:
        with pytest.raises(ConfigError, match="cannot be decrypted"):
            db_session.scalar(select(Application.motivation))
    finally:
        app.config["DATA_KEY"] = ""


@pytest.fixture
def limited_app_config():
    """The shared rate-limited app (tests/conftest.py), with a low limit on applications."""
    return {"COURSE_APPLY_RATE_LIMIT": "3 per minute"}


def test_too_many_applications_from_one_address_get_a_429_in_the_visitors_language(
        limited_app, course, db_session):
    client = limited_app.test_client()
    url = f"/sv/courses/{course.group.id}/apply"
    with limited_app.app_context():
        codes = [client.post(url, data=form_data(course.areas[0], email=f"r{n}@example.com"))
                 .status_code for n in range(4)]
        assert codes == [303, 303, 303, 429]
        page = client.post(url, data=form_data(course.areas[0])).get_data(as_text=True)
        assert "För många försök" in page and 'lang="sv"' in page
        assert client.get(url).status_code == 200  # reading the form is never limited
        db.session.remove()
