"""Several instances behave as one: rate limits live in Redis, readiness follows the database."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from remote_groups import create_app

if TYPE_CHECKING:
    import redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_URI = os.environ.get("TEST_REDIS_URI", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> redis.Redis:
    import redis

    client = redis.Redis.from_url(REDIS_URI, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URI} is not reachable: {error}")
        pytest.skip(f"Redis at {REDIS_URI} is not reachable (set REQUIRE_REDIS=1 to fail)")
    return client


@contextmanager
def _instances(storage_uri: str, prefix: str, count: int = 2) -> Iterator[list[str]]:
    """`count` separate processes, each its own app, like instances behind a load balancer."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.web.limited_instance", storage_uri, prefix],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        for _ in range(count)
    ]
    try:
        yield [f"http://127.0.0.1:{_port_of(proc)}/limited" for proc in procs]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def _port_of(proc: subprocess.Popen[str], seconds: float = 60) -> int:
    """The port the instance printed; fail instead of hanging if it never starts."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], seconds)
    line = proc.stdout.readline() if ready else ""
    if not line.strip().isdigit():
        pytest.fail(f"an app instance did not start within {seconds:.0f} s")
    return int(line)


def _allowed(urls: list[str], tries_each: int = 4) -> int:
    """Requests answered 200 when calls alternate between the instances."""
    statuses = [requests.get(url, timeout=5).status_code
                for _ in range(tries_each) for url in urls]
    assert set(statuses) <= {200, 429}
    return statuses.count(200)


def test_two_instances_share_one_rate_limit_through_redis() -> None:
    client = _redis_or_skip()
    prefix = f"rg-test-{uuid.uuid4().hex[:8]}"
    try:
        with _instances(REDIS_URI, prefix) as urls:
            assert _allowed(urls) == 3  # "3 per minute" for the pair, not for each
    finally:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)


def test_without_a_shared_store_each_instance_counts_alone() -> None:
    """The control: memory:// lets each instance allow its own 3, which is why production
    sets RATELIMIT_STORAGE_URI to Redis."""
    with _instances("memory://", "rg-test-memory") as urls:
        assert _allowed(urls) == 6


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_readyz_says_503_when_the_database_is_unreachable_and_healthz_still_answers() -> None:
    app = create_app({
        "RG_MODE": "test",
        "SQLALCHEMY_DATABASE_URI":
            f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nowhere?connect_timeout=2",
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json == {"status": "database unreachable"}
    assert ready.headers["Cache-Control"] == "private, no-store"
    assert client.get("/healthz").status_code == 200


def test_behind_one_load_balancer_the_client_address_comes_from_its_header() -> None:
    """Rate limits count per client, not per load balancer; a forged extra hop is ignored."""
    from flask import Flask, request

    from remote_groups.proxies import trust_proxies

    def seen_address() -> str:
        return request.remote_addr or ""

    direct, behind = Flask("direct"), trust_proxies(Flask("behind"), hops=1)
    for app in (direct, behind):
        app.add_url_rule("/who", view_func=seen_address)
    forged = {"X-Forwarded-For": "203.0.113.66, 198.51.100.7"}  # client forged the first
    environ = {"REMOTE_ADDR": "10.0.0.2"}
    assert behind.test_client().get("/who", headers=forged,
                                    environ_base=environ).text == "198.51.100.7"
    assert direct.test_client().get("/who", headers=forged,
                                    environ_base=environ).text == "10.0.0.2"
