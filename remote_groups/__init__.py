"""remote_groups: remote video groups co-run by Finland's wellbeing services counties."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from . import i18n
from .config import load_config
from .extensions import babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
TRANSLATIONS = PROJECT_ROOT / "translations"
MIGRATIONS = PROJECT_ROOT / "migrations"
STATIC = Path(__file__).resolve().parent / "static"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints; nothing else. The commands
    live on the `remote-groups` click group (cli.py), which builds the app when it needs one."""
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path, overrides))
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    i18n.compile_catalogs(TRANSLATIONS)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=i18n.current_language)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)

    from .models import register_models
    from .web import register_web

    register_models()
    register_web(app)
    return app
