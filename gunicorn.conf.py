"""Gunicorn settings for production and for the benchmark (read from the working directory
by `gunicorn` and by `remote-groups serve`). Every value can be set from the environment, so
each host of a load-balanced deployment runs the same file.

    GUNICORN_BIND        address to listen on               127.0.0.1:8000
    WEB_CONCURRENCY      worker processes                   2 x CPU cores + 1
    GUNICORN_THREADS     threads per worker (gthread)       1 (plain sync workers)
    GUNICORN_TIMEOUT     seconds before a stuck worker is restarted      30
    GUNICORN_MAX_REQUESTS  restart a worker after this many requests (0: never)  0
    GUNICORN_ACCESS_LOG  "-" for stdout, a path, or empty for none (default none)

The access log, when on, records neither the client's address nor query strings (and
the secret part of private links is masked: remote_groups/access_log.py): the
service's visitors are clients of health and social services, and an address together
with the page they opened is personal data.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# Load the app once in the master: workers fork with the code (and the compiled translation
# catalogs) already in memory, start faster and share pages.
preload_app = True
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# Short request lines and headers are enough for this app; anything longer is not for us.
limit_request_line = 4094
limit_request_fields = 50

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# %(U)s is the path without the query string; no %(h)s (client address), no user agent.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Private links (status pages, surveys, password resets) have their secret masked in the path.
logger_class = "remote_groups.access_log.PrivateLinkLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Addresses of the load balancers allowed to say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server: Any) -> None:
    """After preloading, before the workers fork: move everything loaded so far out of the
    garbage collector's sight. Workers then do not scan (and copy) the app's many long-lived
    objects on every full collection; measured on the front page it saves a third."""
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """A forked worker must not reuse database connections the master may have opened while
    preloading: two processes on one socket garble each other's queries."""
    app = worker.app.wsgi()
    extensions = getattr(app, "extensions", {})
    if "sqlalchemy" in extensions:
        from remote_groups.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
