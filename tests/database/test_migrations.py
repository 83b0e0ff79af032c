"""`flask db upgrade` on an empty database gives exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from remote_groups.extensions import db


def _drift():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_give_exactly_the_models_schema(app):
    with app.app_context():
        assert _drift() == []


def test_migrations_go_down_and_up_again_without_drift(app, db_session):
    downgrade(revision="base")
    upgrade()
    assert _drift() == []


def test_the_history_has_one_head_and_upgrade_reaches_it(app):
    """Two helpers' revisions on the same parent give two heads, and `db upgrade` then refuses
    to run; the history must stay one line ending in the revision the database is at."""
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    assert current == tuple(heads)
