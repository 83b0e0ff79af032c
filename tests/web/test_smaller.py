"""The smaller points: an empty SESSION_COOKIE_SECURE does not switch Secure off, HSTS and
Permissions-Policy headers, attendance only for sessions that have started, and the
database's timeouts come from configuration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups import create_app
from remote_groups.attendance.models import AttendanceMark
from remote_groups.config import ConfigError
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind
from remote_groups.rules.capacity import Status


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_session_cookie_secure_keeps_secure_cookies_in_production(
        monkeypatch, tmp_path, value):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("RG_MODE", "production")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_a_setting_that_is_neither_yes_nor_no_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "maybe")
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE"):
        create_app({"RG_MODE": "production",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_an_explicit_off_still_turns_secure_off_for_local_http(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    app = create_app({"RG_MODE": "production",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_database_timeouts_and_keepalives_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "4000")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT_SECONDS", "2")
    app = create_app({"RG_MODE": "test",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1:1/x"})
    args = app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
    assert args["connect_timeout"] == 2
    assert "statement_timeout=4000" in args["options"]
    assert "idle_in_transaction_session_timeout=60000" in args["options"]
    assert args["keepalives"] == 1 and args["keepalives_idle"] == 30
    lite = create_app({"RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/y"})
    assert lite.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"timeout": 5.0}


def test_the_statement_timeout_reaches_postgresql(app, db_session):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL")
    from sqlalchemy import text

    assert db_session.execute(text("SHOW statement_timeout")).scalar() == "15s"
    assert db_session.execute(text("SHOW idle_in_transaction_session_timeout")).scalar() == "1min"


def test_permissions_policy_everywhere_and_hsts_only_over_https(client, db_session):
    plain = client.get("/fi/")
    assert "camera=()" in plain.headers["Permissions-Policy"]
    assert "microphone=()" in plain.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/fi/", base_url="https://etaryhmat.example.fi")
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")


def _closed_course(make, db_session, starts_at):
    area = make.area()
    facilitator = make.user(area=area)
    group = make.group(areas=[area], kind=GroupKind.CLOSED, title_fi="Kurssi")
    session = make.session_(group=group, starts_at=starts_at, facilitators=[facilitator])
    person = Application(group_id=group.id, status=Status.ACCEPTED, name="Aino",
                         email="aino@example.com", applied_at=utcnow())
    db_session.add(person)
    db_session.commit()
    return facilitator, session, person


def test_attendance_cannot_be_marked_before_the_session_starts(client, login, make,
                                                               db_session):
    facilitator, coming, person = _closed_course(make, db_session,
                                                 utcnow() + timedelta(hours=2))
    login(facilitator)
    url = f"/sv/staff/sessions/{coming.id}/attendance"
    page = client.get(url)
    assert page.status_code == 200
    assert "Träffen har inte börjat ännu" in page.get_data(as_text=True)
    assert "<fieldset" not in page.get_data(as_text=True)
    refused = client.post(url, data={f"mark-{person.id}": "absent_no_notice"})
    assert refused.status_code == 409
    assert db_session.scalars(select(AttendanceMark)).all() == []
    follow_up = client.get("/fi/staff/follow-up")
    assert follow_up.status_code == 200 and "Aino" not in follow_up.get_data(as_text=True)


def test_attendance_can_be_marked_once_the_session_has_started(client, login, make,
                                                              db_session):
    facilitator, started, person = _closed_course(make, db_session,
                                                  utcnow() - timedelta(minutes=10))
    login(facilitator)
    done = client.post(f"/fi/staff/sessions/{started.id}/attendance",
                       data={f"mark-{person.id}": "present"})
    assert done.status_code == 302
    assert len(db_session.scalars(select(AttendanceMark)).all()) == 1
