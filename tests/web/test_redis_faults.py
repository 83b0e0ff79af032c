"""Rate limits while Redis is unreachable or stalled: the limited routes (the join button,
applying, notices of absence, feedback, password reset) still answer, quickly, and the
limits still hold per process. Redis is reached through a loopback proxy that the test cuts
and stalls; the shared Redis server itself is never touched."""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from remote_groups import create_app
from remote_groups.db_types import utcnow
from remote_groups.extensions import limiter

from ..faults import TcpProxy

REDIS_PORT = 6379
CLIENT = {"REMOTE_ADDR": "10.20.30.40"}
FIGURES: dict[str, Any] = {}


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_proxy() -> Iterator[TcpProxy]:
    if not _redis_is_up():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    with TcpProxy(REDIS_PORT) as proxy:
        yield proxy


@pytest.fixture
def limited_app(app: Flask, redis_proxy: TcpProxy, db_session: Any) -> Iterator[Flask]:
    """An app whose rate limits count in Redis, through the proxy."""
    was_enabled = limiter.enabled
    limited = create_app({
        "RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "SERVER_NAME": None,
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_proxy.port}/0",
        "RATELIMIT_KEY_PREFIX": f"rg-test-{uuid.uuid4().hex}",
        "FORGOT_PASSWORD_MIN_SECONDS": 0,
    })
    try:
        yield limited
    finally:
        # The limiter is one object for every app: give it back a memory store, switched
        # back to how the other tests had it.
        limiter._storage_dead = False
        create_app({"RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"})
        limiter.enabled = was_enabled
        with limited.app_context():
            from remote_groups.extensions import db

            db.engine.dispose()


def _timed(call: Any) -> tuple[int, float]:
    started = time.monotonic()
    response = call()
    return response.status_code, time.monotonic() - started


def _limited_requests(client: Any, session_id: int) -> dict[str, Any]:
    """One request to each rate-limited route a visitor uses."""
    return {
        "join": lambda: client.post(f"/fi/sessions/{session_id}/join/video",
                                    environ_base=CLIENT),
        "feedback": lambda: client.post(f"/fi/sessions/{session_id}/feedback", data={},
                                        environ_base=CLIENT),
        "forgot": lambda: client.post("/fi/staff/password/forgot",
                                      data={"email": "ei-ole@example.com"}, environ_base=CLIENT),
    }


EXPECTED = {"join": 303, "feedback": 400, "forgot": 302}


def test_redis_cut_or_stalled_never_blocks_the_limited_routes(limited_app, redis_proxy, make,
                                                              db_session, caplog):
    caplog.set_level(logging.INFO)
    session = make.session_(starts_at=utcnow() - timedelta(minutes=5))
    db_session.commit()
    client = limited_app.test_client()
    routes = _limited_requests(client, session.id)

    for phase in ("up", "cut", "stalled", "cut again"):
        if phase.startswith("cut"):
            redis_proxy.cut()
        elif phase == "stalled":
            redis_proxy.restore()
            limiter._storage_dead = False  # as after a recovery check: Redis is tried again
            redis_proxy.stall()
        timings = {}
        for name, call in routes.items():
            status, seconds = _timed(call)
            assert status == EXPECTED[name], (phase, name, status)
            timings[name] = round(seconds * 1000)
            assert seconds < 1.0, (phase, name, seconds)
        FIGURES[phase] = timings
    assert "falling back to in-memory storage" in caplog.text
    assert CLIENT["REMOTE_ADDR"] not in caplog.text  # the warning names no visitor
    print("\nrate-limited routes, milliseconds per phase:", FIGURES)


def test_limits_still_hold_in_memory_while_redis_is_down(limited_app, redis_proxy, db_session):
    client = limited_app.test_client()
    redis_proxy.cut()
    codes = [client.post("/fi/staff/password/forgot", data={"email": f"x{n}@example.com"},
                         environ_base=CLIENT).status_code for n in range(11)]
    assert codes == [302] * 10 + [429]  # "10 per hour", counted in this process meanwhile
    other = client.post("/fi/staff/password/forgot", data={"email": "y@example.com"},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 302


def test_with_redis_up_the_limits_are_counted_in_redis(limited_app, redis_proxy, db_session):
    client = limited_app.test_client()
    before = redis_proxy.connections
    answer = client.post("/fi/staff/password/forgot", data={"email": "z@example.com"},
                         environ_base=CLIENT)
    assert answer.status_code == 302
    assert answer.headers["X-RateLimit-Limit"] == "10"
    assert redis_proxy.connections > before  # the count went through the proxy to Redis
