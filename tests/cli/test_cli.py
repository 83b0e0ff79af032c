from click.testing import CliRunner
from sqlalchemy import func, select

from remote_groups.cli import cli
from remote_groups.courses.models import Application
from remote_groups.demo import seed_demo
from remote_groups.extensions import db
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.people.models import Area, User


def test_demo_data_has_three_areas_one_bilingual_open_groups_and_a_course(db_session):
    created = seed_demo()
    assert created and all(pw for _, pw in created)
    areas = db_session.scalars(select(Area)).all()
    assert len(areas) >= 3 and any(a.is_bilingual for a in areas)
    kinds = {g.kind for g in db_session.scalars(select(Group))}
    assert kinds == {GroupKind.OPEN, GroupKind.CLOSED}
    weeks = {s.starts_at.isocalendar()[1] for s in db_session.scalars(select(Session))}
    assert len(weeks) >= 4
    statuses = {a.status.value for a in db_session.scalars(select(Application))}
    assert statuses == {"pending", "accepted", "waiting"}
    assert seed_demo() == []  # a second run leaves existing data alone


def test_demo_passwords_work(client, db_session):
    email, password = seed_demo()[0]
    response = client.post("/fi/staff/login", data={"email": email, "password": password})
    assert response.status_code == 302


def test_users_create_command(app, db_session, make):
    area = make.area(code="pohjois-karjala")
    db_session.commit()
    result = CliRunner().invoke(
        cli,
        ["users", "create", "--email", "uusi@example.com", "--first-name", "Uusi",
         "--last-name", "Ohjaaja", "--area", area.code],
        obj=_script_info(app),
    )
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    again = CliRunner().invoke(
        cli,
        ["users", "create", "--email", "uusi@example.com", "--first-name", "U",
         "--last-name", "O", "--area", area.code],
        obj=_script_info(app),
    )
    assert again.exit_code != 0 and "exists already" in again.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
