"""The README's deployment section, run as written on an empty database (SQLite, and
PostgreSQL when DATABASE_URL points at one): set up, create the first admin, and from there
on work through the web only: invite a facilitator, who sets a password and signs in; then
deactivate them, after which they can neither keep their open session nor sign in."""

from __future__ import annotations

import os
import re
import secrets
import shlex
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from remote_groups.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"
PLACEHOLDERS = {"--email": "paakayttaja@example.fi", "--first-name": "Pia",
                "--last-name": "Pääkäyttäjä", "--area": "helsinki"}


def deployment_commands() -> tuple[list[str], list[list[str]]]:
    """From the README's "Deployment with PostgreSQL" block: the variables it exports and
    each `remote-groups` command (the long-running worker left out), as written."""
    section = README.read_text(encoding="utf-8").split("## Deployment with PostgreSQL", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    exported: list[str] = []
    commands: list[list[str]] = []
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("export "):
            exported = [part.split("=", 1)[0] for part in shlex.split(line)[1:]]
        elif line.startswith(".venv/bin/remote-groups "):
            args = shlex.split(line)[1:]
            if args[0] != "worker":
                commands.append(args)
    return exported, commands


def fill(args: list[str]) -> list[str]:
    """Put a value where the README writes an ellipsis."""
    return [PLACEHOLDERS[args[i - 1]] if a == "…" else a for i, a in enumerate(args)]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        pytest.skip("PostgreSQL: run with DATABASE_URL=postgresql+psycopg://…")
    name = f"rg_deploy_{secrets.token_hex(4)}"
    admin = create_engine(make_url(server).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def csrf(page: bytes) -> str:
    found = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1).decode()


def post_form(client, path: str, data: dict[str, str], *, from_path: str | None = None):
    page = client.get(from_path or path)
    assert page.status_code == 200, (path, page.status_code)
    return client.post(path, data={**data, "csrf_token": csrf(page.data)})


def test_readme_deployment_on_an_empty_database(empty_database, monkeypatch, tmp_path):
    exported, commands = deployment_commands()
    assert [c[0] for c in commands] == ["setup", "users"], commands
    values = {"RG_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(48),
              "DATA_KEY": secrets.token_urlsafe(48), "DATABASE_URL": empty_database}
    assert set(exported) <= set(values), exported
    for name in exported:
        monkeypatch.setenv(name, values[name])
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://etaryhmat.example.fi")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")

    outputs = []
    for args in commands:
        result = CliRunner().invoke(cli, fill(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert "areas in all: 22" in outputs[0]
    again = CliRunner().invoke(cli, ["setup"], catch_exceptions=False)
    assert again.exit_code == 0 and "Areas added: 0; areas in all: 22" in again.output
    password = re.search(r"Password: (\S+)", outputs[1]).group(1)

    from remote_groups import create_app
    from remote_groups.extensions import db
    from remote_groups.people.models import Area

    app = create_app()
    with app.app_context():
        pohjanmaa = db.session.scalar(select(Area).where(Area.code == "pohjanmaa"))
        assert pohjanmaa.name_sv == "Österbottens välfärdsområde"
        assert pohjanmaa.language_codes == ("sv", "fi")
        area_id = pohjanmaa.id
    try:
        _walk_the_web(app, password, area_id)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _walk_the_web(app, admin_password: str, area_id: int) -> None:
    from remote_groups.extensions import db
    from remote_groups.mail.models import OutboxMessage

    admin = app.test_client()
    base = {"base_url": "https://etaryhmat.example.fi"}
    admin.get("/fi/staff/login", **base)
    signed_in = post_form(admin, "/fi/staff/login",
                          {"email": PLACEHOLDERS["--email"], "password": admin_password})
    assert signed_in.status_code == 302, signed_in.data[:500]

    invited = post_form(admin, "/sv/staff/people/invite", {
        "first_name": "Elin", "last_name": "Handledare", "email": "Elin.H@example.fi",
        "role": "facilitator", "area_id": str(area_id), "facilitator_kind": "experience_expert",
        "language": "sv"})
    assert invited.status_code == 302, invited.data.decode()[:2000]

    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.recipient == "elin.h@example.fi"))
        assert mail is not None and mail.kind == "staff_invite" and mail.language == "sv"
        link = re.search(r"https://etaryhmat\.example\.fi(/sv/staff/password/reset/\S+)",
                         mail.body_text)
    assert link, "the invitation carries a link to set a password"
    path = urlsplit(link.group(1)).path

    facilitator = app.test_client()
    page = facilitator.get(path)
    assert page.status_code == 200 and "Välj ditt lösenord".encode() in page.data
    new_password = "tre ord i rad räcker gott"
    chosen = facilitator.post(path, data={"password": new_password, "confirm": new_password,
                                          "csrf_token": csrf(page.data)})
    assert chosen.status_code == 302
    assert facilitator.get(path).status_code == 410  # the link works once
    signed = post_form(facilitator, "/sv/staff/login",
                       {"email": "elin.h@example.fi", "password": new_password})
    assert signed.status_code == 302
    home = facilitator.get("/sv/staff/")
    assert home.status_code == 200 and b"Elin" in home.data

    with app.app_context():
        from remote_groups.people.models import User

        elin_id = db.session.scalar(select(User.id).where(User.email == "elin.h@example.fi"))
    deactivated = post_form(admin, f"/fi/staff/people/{elin_id}/deactivate", {},
                            from_path=f"/fi/staff/people/{elin_id}")
    assert deactivated.status_code == 302
    assert "/staff/login" in facilitator.get("/sv/staff/").headers.get("Location", "")
    refused = post_form(facilitator, "/sv/staff/login",
                        {"email": "elin.h@example.fi", "password": new_password})
    assert refused.status_code == 200 and b"aria-invalid" in refused.data

    audit_page = admin.get("/fi/staff/audit")
    assert audit_page.status_code == 200
    for action in ("Kutsuttu", "Poistettu käytöstä"):
        assert action.encode() in audit_page.data
