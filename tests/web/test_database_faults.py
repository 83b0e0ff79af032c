"""The database stalled (accepting connections, answering nothing) or gone: /readyz says so
within two seconds, /healthz never asks it, and people see the service's own translated
"temporarily unavailable" page instead of a bare server error. PostgreSQL is reached through
a loopback proxy that the test stalls and cuts; the shared server is never touched."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask

from remote_groups import create_app
from remote_groups.extensions import db

from ..faults import TcpProxy

FIGURES: dict[str, Any] = {}
PASSWORD = "correct horse battery"


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)
    netloc = (host[0] + "@" if len(host) == 2 else "") + f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture
def pg_proxy(app: Flask) -> Iterator[TcpProxy]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgresql+psycopg://…)")
    with TcpProxy(urlsplit(url).port or 5432) as proxy:
        yield proxy


@pytest.fixture
def proxied_app(app: Flask, pg_proxy: TcpProxy, db_session: Any) -> Iterator[Flask]:
    proxied = create_app({
        "RG_MODE": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "SQLALCHEMY_DATABASE_URI": _through(app.config["SQLALCHEMY_DATABASE_URI"],
                                            pg_proxy.port),
    })
    try:
        yield proxied
    finally:
        pg_proxy.close()
        with proxied.app_context():
            db.engine.dispose()


def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_readyz_answers_503_within_two_seconds_when_the_database_stalls_or_is_gone(
        proxied_app, pg_proxy, make, db_session):
    user = make.user(email="vuoro@example.com")
    db_session.commit()
    client = proxied_app.test_client()
    assert client.post("/fi/staff/login", data={"email": user.email, "password": PASSWORD}
                       ).status_code == 302
    ready, _ = _timed(lambda: client.get("/readyz"))
    assert ready.status_code == 200

    pg_proxy.stall()
    ready, seconds = _timed(lambda: client.get("/readyz"))
    assert ready.status_code == 503 and seconds < 2.0
    again, again_seconds = _timed(lambda: client.get("/readyz"))  # the stuck probe is reused
    assert again.status_code == 503 and again_seconds < 0.5
    health, health_seconds = _timed(lambda: client.get("/healthz"))  # signed-in cookie too
    assert health.status_code == 200 and health_seconds < 0.5
    FIGURES["stalled"] = {"readyz": round(seconds, 2), "readyz again": round(again_seconds, 3),
                          "healthz": round(health_seconds, 3)}

    pg_proxy.cut()
    ready, cut_seconds = _timed(lambda: client.get("/readyz"))
    assert ready.status_code == 503 and cut_seconds < 2.0
    FIGURES["gone"] = {"readyz": round(cut_seconds, 3)}

    pg_proxy.restore()
    deadline = time.monotonic() + 10
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "readyz did not recover"
        time.sleep(0.2)
    assert client.get("/fi/staff/").status_code == 200  # still signed in afterwards
    print("\nreadyz/healthz seconds:", FIGURES)


@pytest.mark.parametrize(("lang", "heading"), [
    ("fi", "Palvelu ei ole juuri nyt käytettävissä"),
    ("sv", "Tjänsten är tillfälligt otillgänglig"),
])
def test_during_an_outage_everyone_gets_the_translated_unavailable_page(
        proxied_app, pg_proxy, make, db_session, lang, heading):
    user = make.user(email=f"katko-{lang}@example.com")
    db_session.commit()
    staff = proxied_app.test_client()
    assert staff.post(f"/{lang}/staff/login", data={"email": user.email, "password": PASSWORD}
                      ).status_code == 302
    visitor = proxied_app.test_client()
    pg_proxy.cut()
    seen = {}
    for who, client, path in (("staff", staff, f"/{lang}/staff/"),
                              ("visitor", visitor, f"/{lang}/"),
                              ("visitor", visitor, f"/{lang}/groups")):
        response, seconds = _timed(lambda c=client, p=path: c.get(p))
        html = response.get_data(as_text=True)
        assert response.status_code == 503, (who, path, response.status_code)
        assert heading in html and f'<html lang="{lang}">' in html
        assert response.headers["Retry-After"] == "30"
        assert seconds < 2.0
        seen[f"{who} {path}"] = (response.status_code, round(seconds, 3))
    assert visitor.get("/healthz").status_code == 200
    pg_proxy.restore()
    assert staff.get(f"/{lang}/staff/").status_code == 200  # nothing lost: still signed in
    print(f"\noutage ({lang}):", seen)
