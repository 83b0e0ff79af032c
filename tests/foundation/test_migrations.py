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
