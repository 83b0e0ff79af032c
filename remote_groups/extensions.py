"""The Flask extensions, created once and bound to an app in create_app()."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
# The base class of every model. It is `db.Model`; a type checker cannot follow an attribute of
# an object as a base class, so it is shown the declarative base that `db.Model` is built on.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class _NoClientAddress(logging.Filter):
    """Flask-Limiter logs each refused request with its key, which is the client's address:
    personal data that the logs must not hold (the access log leaves it out too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "exceeded at endpoint" in str(record.msg) and isinstance(record.args, tuple) \
                and len(record.args) == 3:
            record.args = (record.args[0], "…", record.args[2])
        return True


logging.getLogger("flask-limiter").addFilter(_NoClientAddress())
