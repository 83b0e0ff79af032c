"""Entry point for gunicorn: `gunicorn remote_groups.wsgi:app`."""

from . import create_app

app = create_app()
