"""Reference areas and the commands a newcomer meets first: `setup` keeps an admin's edits,
areas are edited and added from the web, and every command's --help needs no settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from remote_groups.audit import AuditEntry
from remote_groups.cli import cli
from remote_groups.people.models import Area, Role
from remote_groups.people.reference import AREAS, load_reference_areas

ROOT = Path(__file__).resolve().parents[2]


def test_reference_areas_are_the_21_counties_and_helsinki(db_session):
    assert len(AREAS) == 22 and len({a.code for a in AREAS}) == 22
    assert sum(a.name_fi.endswith("hyvinvointialue") for a in AREAS) == 21
    assert all(a.name_sv.endswith(("välfärdsområde", "stad")) for a in AREAS)
    bilingual = {a.code for a in AREAS if "," in a.languages}
    assert bilingual == {"ita-uusimaa", "keski-pohjanmaa", "lansi-uusimaa", "pohjanmaa",
                         "vantaa-kerava", "varsinais-suomi", "helsinki"}


def test_loading_again_keeps_an_admins_edits(db_session):
    load_reference_areas()
    area = db_session.scalar(select(Area).where(Area.code == "lappi"))
    area.name_sv, area.active = "Lapplands välfärdsområde (rättat)", False
    db_session.commit()
    assert load_reference_areas() == []
    db_session.expire_all()
    area = db_session.scalar(select(Area).where(Area.code == "lappi"))
    assert area.name_sv.endswith("(rättat)") and not area.active
    assert db_session.scalar(select(func.count()).select_from(Area)) == 22


def test_admin_edits_and_adds_areas_with_messages_next_to_fields(client, make, login,
                                                                  db_session):
    admin = make.user(role=Role.ADMIN)
    area = make.area(code="testi", name_sv="Gammalt namn")
    db_session.commit()
    login(admin)
    wrong = client.post(f"/fi/staff/areas/{area.id}", data={
        "name_fi": "Testialue", "name_sv": "Nytt namn", "languages": ["fi", "sv"],
        "contact_phone": "soita heti", "contact_email": "ei-osoite"}).get_data(True)
    assert 'id="contact_phone-error"' in wrong and 'id="contact_email-error"' in wrong
    assert 'value="Nytt namn"' in wrong
    done = client.post(f"/fi/staff/areas/{area.id}", data={
        "name_fi": "Testialue", "name_sv": "Nytt namn", "languages": ["fi", "sv"],
        "active": "y", "contact_phone": "09 123 4567", "contact_hours_fi": "ma–pe klo 9–15",
        "contact_email": "apu@example.fi"})
    assert done.status_code == 302
    db_session.expire_all()
    area = db_session.get(Area, area.id)
    assert (area.name_sv, area.languages, area.code) == ("Nytt namn", "fi,sv", "testi")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "area.change"))
    assert entry.changes["name_sv"] == ["Gammalt namn", "Nytt namn"]

    clash = client.post("/fi/staff/areas/new", data={
        "code": "testi", "name_fi": "Toinen", "name_sv": "Annat", "languages": ["fi"]})
    assert "Toisella alueella on jo tämä tunnus." in clash.get_data(True)
    added = client.post("/fi/staff/areas/new", data={
        "code": "kela-verkosto", "name_fi": "Verkoston jäsen", "name_sv": "Nätverksmedlem",
        "languages": ["sv"]})
    assert added.status_code == 302
    new = db_session.scalar(select(Area).where(Area.code == "kela-verkosto"))
    assert new.languages == "sv" and not new.active  # the box was not ticked


def test_an_inactive_area_is_offered_for_nothing_new(client, make, login, db_session):
    admin = make.user(role=Role.ADMIN)
    gone = make.area(name_fi="Lakkautettu alue", active=False)
    db_session.commit()
    login(admin)
    for path in ("/fi/staff/people/invite", "/fi/staff/series/groups/new"):
        assert "Lakkautettu alue" not in client.get(path).get_data(True), path
    assert _invite_into(client, gone).status_code == 200


def _invite_into(client, area):
    return client.post("/fi/staff/people/invite", data={
        "first_name": "A", "last_name": "B", "email": "ab@example.fi", "role": "facilitator",
        "area_id": str(area.id), "language": "fi"})


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "DATA_KEY", "RG_MODE", "DATABASE_URL")}
    clean.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "remote_groups.cli", *args], env=clean,
                          capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)


def test_help_works_everywhere_without_settings(monkeypatch):
    top = _cli("--help")
    assert top.returncode == 0 and "Traceback" not in top.stderr, top.stderr
    listed = {line.split()[0] for line in top.stdout.split("Commands:")[1].splitlines()
              if line.strip()}
    assert {"setup", "users", "areas", "db", "courses", "demo", "serve", "worker", "outbox",
            "swaps"} <= listed
    for name in ("SECRET_KEY", "DATA_KEY", "RG_MODE", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for command in (["setup"], ["users", "create"], ["db", "upgrade"], ["courses", "purge"],
                    ["demo"], ["worker"], ["outbox", "purge"], ["swaps", "expire"], ["areas"]):
        result = CliRunner().invoke(cli, [*command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, (command, result.output)


def test_a_missing_setting_is_named_in_one_line():
    result = _cli("setup", RG_MODE="production")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: SECRET_KEY is not set.")
    courses = _cli("courses", "purge", RG_MODE="production", SECRET_KEY="x" * 40)
    assert courses.stderr.strip().startswith("Error: DATA_KEY is not set")
    assert len(courses.stderr.strip().splitlines()) == 1


def test_demo_port_makes_links_point_at_that_port(monkeypatch, tmp_path):
    served = {}

    def fake_run_simple(host, port, app, **kw):
        served.update(host=host, port=port, base=app.config["PUBLIC_BASE_URL"])

    monkeypatch.setattr("remote_groups.cli.run_simple", fake_run_simple)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite'}")
    result = CliRunner().invoke(cli, ["demo", "--port", "5123"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert served == {"host": "127.0.0.1", "port": 5123, "base": "http://127.0.0.1:5123"}
    assert "Open http://127.0.0.1:5123/" in result.output


def test_users_create_names_setup_when_the_area_is_missing(app, db_session):
    result = CliRunner().invoke(cli, [
        "users", "create", "--email", "a@example.fi", "--first-name", "A", "--last-name", "B",
        "--area", "lansi-uusimaa", "--role", "admin"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code != 0 and "remote-groups setup" in result.output
