"""More than one instance: two gunicorn app instances behind HAProxy (Debian's
/usr/sbin/haproxy, in the foreground with a generated config), sharing PostgreSQL and
Redis, all on 127.0.0.1. Shows, and exits non-zero unless all hold:

1. a member of staff signed in through one instance works through the other (same
   SECRET_KEY; Flask-Login's "strong" session protection sees the same client through
   either, because both take the client's address from HAProxy's X-Forwarded-For);
2. rate limits are shared: the join button's 60 presses a minute are counted in Redis,
   so the 61st press is refused whichever instance gets it;
3. the mail worker running beside each instance sends each queued message once (a real
   SMTP server on loopback counts the messages and their Message-IDs).

    .venv/bin/python benchmarks/instances.py        # about 30 s; --help for options

It drops and re-creates its own database (`rg_bench_instances`, --db) and uses Redis database 13
(--redis-db), which it empties first. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from benchmarks import run  # noqa: E402

HAPROXY = "/usr/sbin/haproxy"
AGENT = "remote-groups-instances-check"
STAFF_EMAIL = "aino.instances@example.com"
MAILS = 40


def _prepare(pg: str, db: str) -> tuple[str, dict[str, Any]]:
    """A small database: one area, one facilitator, one open group with a session."""
    url = run.create_database(pg, db)
    app = run.make_app(url)
    run.migrate(app)
    from werkzeug.security import generate_password_hash

    from remote_groups.extensions import db as sqla
    from remote_groups.groups.models import Group, GroupKind, InstructionLanguage, Session, Theme
    from remote_groups.people.models import Area, Role, User

    with app.app_context():
        area = Area(code="kainuu", name_fi="Kainuu", name_sv="Kajanaland", languages="fi")
        user = User(email=STAFF_EMAIL, first_name="Aino", last_name="Esimerkki",
                    role=Role.FACILITATOR, area=area, language="fi",
                    password_hash=generate_password_hash(run.BENCH_PASSWORD), active=True)
        group = Group(kind=GroupKind.OPEN, theme=Theme.EXERCISE,
                      instruction_language=InstructionLanguage.FI, title_fi="Liikettä",
                      title_sv="Rörelse", summary_fi="Lyhyesti", summary_sv="Kort")
        group.set_areas([area])
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
        session = Session(group=group, starts_at=start, ends_at=start + timedelta(minutes=90),
                          host_area=area, facilitators=[user])
        sqla.session.add_all([area, user, group, session])
        sqla.session.commit()
        return url, {"session_id": session.id, "app": app}


def _queue_mails(app: Any, count: int) -> None:
    from remote_groups.extensions import db as sqla
    from remote_groups.mail.notify import queue_mail

    with app.app_context(), app.test_request_context("/fi/"):
        for n in range(count):
            queue_mail(kind="password_reset", recipient=f"vastaanottaja{n}@example.com",
                       language="fi", template="password_reset", subject="Testiviesti",
                       link=f"https://etaryhmat.example.fi/fi/staff/password/reset/x{n}",
                       minutes=30)
        sqla.session.commit()


class _Inbox:
    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        found = re.search(rb"(?im)^Message-ID:\s*(\S+)", raw)
        self.message_ids.append(found.group(1).decode() if found else "?")
        return "250 Message accepted for delivery"


@contextmanager
def _smtp(port: int) -> Iterator[_Inbox]:
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname=run.LOOPBACK, port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def _process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[str]]:
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                text=True)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _haproxy_config(port: int, backends: list[int]) -> str:
    servers = "\n".join(f"    server app{i} {run.LOOPBACK}:{p} check inter 1s"
                        for i, p in enumerate(backends))
    return f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option forwardfor
    option http-server-close
frontend web
    bind {run.LOOPBACK}:{port}
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /healthz
{servers}
"""


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(requests.RequestException):
            if requests.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within {seconds:.0f} s")


def _served(log: Path) -> int:
    with suppress(OSError):
        return sum(1 for line in log.read_text().splitlines() if "/healthz" not in line)
    return 0


def _sign_in(http: requests.Session, base: str) -> None:
    page = http.get(f"{base}/fi/staff/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": STAFF_EMAIL, "password": run.BENCH_PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    answer = http.post(f"{base}/fi/staff/login", data=data, timeout=10, allow_redirects=False)
    if answer.status_code != 302:
        sys.exit(f"sign-in through {base} failed with {answer.status_code}")


def check_sign_in(a: str, b: str, lb: str, logs: list[Path]) -> bool:
    """Signed in through A, working through B; then through the balancer, both serving."""
    ok = True
    with requests.Session() as http:
        http.headers["User-Agent"] = AGENT
        _sign_in(http, a)
        page = http.get(f"{b}/fi/staff/", timeout=10, allow_redirects=False)
        works = page.status_code == 200 and "Aino" in page.text
        print(f"  signed in through instance A, staff page through instance B: "
              f"{page.status_code} {'ok' if works else 'FAILED'}")
        ok &= works
    with requests.Session() as http:
        http.headers["User-Agent"] = AGENT
        before = [_served(log) for log in logs]
        _sign_in(http, lb)
        codes = [http.get(f"{lb}/fi/staff/", timeout=10, allow_redirects=False).status_code
                 for _ in range(10)]
        after = [_served(log) for log in logs]
        both = all(x > y for x, y in zip(after, before, strict=True))
        works = codes == [200] * 10 and both
        print(f"  signed in through the balancer, 10 staff pages: {codes.count(200)} x 200, "
              f"served by A {after[0] - before[0]} and B {after[1] - before[1]} requests: "
              f"{'ok' if works else 'FAILED'}")
        ok &= works
    return ok


def check_rate_limit(lb: str, session_id: int, logs: list[Path]) -> bool:
    """The join button allows 60 presses a minute per client: 60 pass, the 61st is refused,
    though the balancer spreads the presses over both instances."""
    before = [_served(log) for log in logs]
    codes = []
    with requests.Session() as http:
        for _ in range(61):
            codes.append(http.post(f"{lb}/fi/sessions/{session_id}/join/video",
                                   data={"display_name": ""}, timeout=10,
                                   allow_redirects=False).status_code)
    after = [_served(log) for log in logs]
    spread = [y - x for x, y in zip(before, after, strict=True)]
    works = all(c == 303 for c in codes[:60]) and codes[60] == 429 and min(spread) >= 25
    print(f"  61 presses of the join button through the balancer: {codes[:60].count(303)} "
          f"let in, the 61st answered {codes[60]}; served by A {spread[0]} and B {spread[1]}: "
          f"{'ok' if works else 'FAILED'}")
    return works


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=f"postgresql+psycopg://postgres@{run.LOOPBACK}:5432")
    parser.add_argument("--db", default="rg_bench_instances")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--ports", default="18721,18722,18723,18724",
                        help="instance A, instance B, HAProxy, SMTP")
    args = parser.parse_args()
    run._loopback_only(args.pg)
    if not Path(HAPROXY).exists():
        sys.exit(f"{HAPROXY} is missing: apt-get install -y haproxy")
    port_a, port_b, port_lb, port_smtp = (int(p) for p in args.ports.split(","))
    redis_url = f"redis://{run.LOOPBACK}:6379/{args.redis_db}"
    import redis

    redis.Redis.from_url(redis_url).flushdb()

    os.environ.update({"RG_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(32),
                       "DATA_KEY": secrets.token_urlsafe(48)})
    print(f"Database {args.db}: creating and migrating …", flush=True)
    url, facts = _prepare(args.pg, args.db)
    _queue_mails(facts["app"], MAILS)

    logs_dir = Path(tempfile.mkdtemp(prefix="rg-instances-"))
    env = {**os.environ, "DATABASE_URL": url, "SESSION_COOKIE_SECURE": "0",
           "RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": redis_url,
           "PROXY_HOPS": "1", "PUBLIC_PAGE_CACHE_SECONDS": "0", "WEB_CONCURRENCY": "2",
           "SMTP_HOST": run.LOOPBACK, "SMTP_PORT": str(port_smtp), "PYTHONPATH": str(ROOT)}
    access = [logs_dir / "access-a.log", logs_dir / "access-b.log"]
    results: list[bool] = []
    with ExitStack() as stack:
        inbox = stack.enter_context(_smtp(port_smtp))
        for port, log in zip((port_a, port_b), access, strict=True):
            log.write_text("")
            stack.enter_context(_process(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                 "--bind", f"{run.LOOPBACK}:{port}", "remote_groups.wsgi:app"],
                {**env, "GUNICORN_ACCESS_LOG": str(log)}, logs_dir / f"gunicorn-{port}.log"))
        config = logs_dir / "haproxy.cfg"
        config.write_text(_haproxy_config(port_lb, [port_a, port_b]))
        stack.enter_context(_process([HAPROXY, "-db", "-f", str(config)], env,
                                     logs_dir / "haproxy.log"))
        a, b, lb = (f"http://{run.LOOPBACK}:{p}" for p in (port_a, port_b, port_lb))
        for base in (a, b, lb):
            _wait(base + "/healthz")
        time.sleep(2)  # HAProxy's first health checks mark both servers up
        print("Two instances behind HAProxy, PostgreSQL and Redis shared:")
        results.append(check_sign_in(a, b, lb, access))
        results.append(check_rate_limit(lb, facts["session_id"], access))

        workers = [stack.enter_context(_process(
            [sys.executable, "-m", "remote_groups.cli", "worker", "--interval", "0.2"],
            {**env, "MAIL_BATCH_SIZE": "3"}, logs_dir / f"worker-{name}.log"))
            for name in ("a", "b")]
        deadline = time.monotonic() + 60
        while len(inbox.message_ids) < MAILS and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(2)  # a duplicate would arrive now
        alive = all(w.poll() is None for w in workers)
        for worker in workers:  # they print what they sent as they stop
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        sent = []
        for name in ("a", "b"):
            found = re.search(r"sent (\d+)", (logs_dir / f"worker-{name}.log").read_text())
            sent.append(int(found.group(1)) if found else 0)
        unique = len(set(inbox.message_ids))
        works = (len(inbox.message_ids) == MAILS and unique == MAILS and alive
                 and sum(sent) == MAILS and min(sent) > 0)
        print(f"  mail workers beside both instances: {MAILS} queued, worker A sent "
              f"{sent[0]} and worker B {sent[1]}; the SMTP server received "
              f"{len(inbox.message_ids)} with {unique} different Message-IDs: "
              f"{'ok' if works else 'FAILED'}")
        results.append(works)
    shutil.rmtree(logs_dir, ignore_errors=True)
    print("All hold." if all(results) else "Something FAILED (see above).")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
