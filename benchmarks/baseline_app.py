"""The baseline: a bare Flask app that returns a fixed short page. Served by gunicorn with
the same gunicorn.conf.py as the real app, it shows what this machine, gunicorn and Flask
can do at best, so the real pages' numbers read as a fraction of it."""

from __future__ import annotations

from flask import Flask

PAGE = (
    '<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Perustaso</title>'
    "</head><body><p>Perustaso: kiinteä lyhyt sivu.</p></body></html>"
)

app = Flask(__name__)


@app.get("/")
def fixed_page() -> str:
    return PAGE


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
