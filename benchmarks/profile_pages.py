"""Where a page's time goes: CPU per request, SQL statements per request and the top of a
cProfile, for each page the benchmark measures, at national scale, without page memory.

    .venv/bin/python benchmarks/profile_pages.py            # fills rg_bench unless --reuse
    .venv/bin/python benchmarks/profile_pages.py --reuse --top 25 --only "group feed"

In one process with Flask's test client (no gunicorn, no network), so the figures are the
app's own cost: what `cpu ms` in `benchmarks/run.py` measures, minus the server's share.
Uses the same database and fill as `run.py` (it drops and re-creates `rg_bench`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402


def _facts_from_db(app: Any) -> dict[str, Any]:
    """The same group, session and user `run.fill` picks, read back from a filled database."""
    from sqlalchemy import func, select

    from remote_groups.extensions import db
    from remote_groups.groups.models import Group, GroupArea, Session
    from remote_groups.people.models import Role, User

    with app.app_context():
        counts = dict(db.session.execute(
            select(GroupArea.group_id, func.count()).group_by(GroupArea.group_id)).all())
        busiest = max(counts, key=lambda g: (g % 4 != 0, counts[g]))
        now = datetime.now(UTC)
        session_id = db.session.scalar(
            select(Session.id).where(Session.group_id == busiest, Session.starts_at > now)
            .order_by(Session.starts_at).offset(1).limit(1))
        area = db.session.scalar(select(GroupArea.area_id).where(
            GroupArea.group_id == busiest, GroupArea.position == 0))
        staff = db.session.scalar(select(User.email).where(
            User.area_id == area, User.role == Role.FACILITATOR).order_by(User.id).limit(1))
        coordinator = db.session.scalar(select(User.email).where(
            User.area_id == area, User.role == Role.COORDINATOR).limit(1))
        group_exists = db.session.get(Group, busiest) is not None
    assert group_exists
    return {"group_id": busiest, "session_id": session_id, "user_email": staff,
            "coordinator_email": coordinator}


def _sign_in(client: Any, email: str) -> None:
    page = client.get("/fi/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": run.BENCH_PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    answer = client.post("/fi/staff/login", data=data)
    if answer.status_code != 302:
        sys.exit(f"sign-in failed with {answer.status_code}")


def pages(facts: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    g, s = facts["group_id"], facts["session_id"]
    return [
        ("front page", "/fi/", None),
        ("group page", f"/fi/groups/{g}", None),
        ("join page", f"/fi/sessions/{s}/join", None),
        ("group feed", f"/fi/groups/{g}/calendar.ics", None),
        ("staff session list", "/fi/staff/", facts["user_email"]),
        ("staff home", "/fi/staff/", facts["coordinator_email"]),
        ("API session list", "/api/v1/sessions?limit=50", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=f"postgresql+psycopg://postgres@{run.LOOPBACK}:5432")
    parser.add_argument("--db", default="rg_bench")
    parser.add_argument("--reuse", action="store_true", help="use the filled database as is")
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    parser.add_argument("--top", type=int, default=0, help="print the profile's top N")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--sql", action="store_true", help="print each page's statements")
    args = parser.parse_args()
    run._loopback_only(args.pg)
    os.environ.update({"RG_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(32),
                       "DATA_KEY": os.environ.get("DATA_KEY", "x" * 64),
                       "PUBLIC_PAGE_CACHE_SECONDS": "0", "SESSION_COOKIE_SECURE": "0"})
    url = f"{args.pg}/{args.db}"
    if not args.reuse:
        url = run.create_database(args.pg, args.db)
        app = run.make_app(url)
        run.migrate(app)
        run.fill(app, datetime.now(UTC))
    app = run.make_app(url)
    facts = _facts_from_db(app)

    from sqlalchemy import event

    from remote_groups.extensions import db

    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql))

    print(f"{'page':24} {'cpu ms':>7} {'p50 ms':>7} {'queries':>7} {'bytes':>8}")
    from benchmarks.baseline_app import app as baseline

    bare = baseline.test_client()
    cpu_times = []
    for _ in range(max(args.requests, 200)):
        cpu = time.process_time()
        bare.get("/")
        cpu_times.append((time.process_time() - cpu) * 1000)
    print(f"{'baseline (bare Flask)':24} {statistics.median(cpu_times):7.2f}")
    for name, path, email in pages(facts):
        if args.only and args.only not in name:
            continue
        client = app.test_client()
        if email:
            _sign_in(client, email)
        first = client.get(path)
        if first.status_code == 404:
            print(f"{name:24} skipped: not present")
            continue
        if first.status_code != 200:
            sys.exit(f"{path}: {first.status_code}")
        statements.clear()
        client.get(path)
        queries = list(statements)
        cpu_times, wall = [], []
        profile = cProfile.Profile(time.process_time) if args.top else None  # CPU, not waits
        for _ in range(args.requests):
            start, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            client.get(path)
            if profile:
                profile.disable()
            cpu_times.append((time.process_time() - cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
        print(f"{name:24} {statistics.median(cpu_times):7.2f} {statistics.median(wall):7.2f} "
              f"{len(queries):7d} {len(first.get_data()):8d}", flush=True)
        if args.sql:
            for sql in queries:
                print("    " + " ".join(sql.split())[:300])
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
