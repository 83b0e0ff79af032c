"""The top-of-the-hour rush, for `benchmarks/run.py`: 300 clients open the join pages of the
sessions starting now and press the join button within 60 seconds, while 10 facilitators
work on their staff pages. Threads with their own keep-alive connections, in this process.

Each client arrives at a random moment within the first `arrive` seconds (the top of the
hour), opens a join page, reads it for 1-5 s and presses join (expects 303 into the video
room). Each facilitator loads their session list again and again, 0.5-1.5 s apart, until
the last client has pressed. Reports p50/p99 per kind of request and every error (a status
other than the expected one, or no answer within 10 s).
"""

from __future__ import annotations

import dataclasses
import http.client
import random
import statistics
import threading
import time
from urllib.parse import urlencode, urlsplit


@dataclasses.dataclass
class Kind:
    name: str
    latencies: list[float] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        cuts = (statistics.quantiles(self.latencies, n=100)
                if len(self.latencies) > 1 else [0.0] * 99)
        return (f"{self.name:34} {len(self.latencies):6d} {cuts[49]:7.1f} {cuts[98]:7.1f} "
                f"{len(self.errors):6d}")


def _request(conn: http.client.HTTPConnection, method: str, path: str, kind: Kind,
             expect: int, headers: dict[str, str], body: str | None = None) -> None:
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:
        kind.errors.append(type(error).__name__)
        conn.close()
        return
    kind.latencies.append((time.perf_counter() - start) * 1000)
    if response.status != expect:
        kind.errors.append(str(response.status))


def rush(base: str, session_ids: list[int], staff_cookies: list[str], agent: str,
         clients: int = 300, arrive: float = 20.0, seed: int = 1) -> tuple[list[Kind], float]:
    """Run the rush against `base`; returns the kinds of request and the seconds it took."""
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    rnd = random.Random(seed)
    page, press, staff = Kind("rush: join page (300 clients)"), \
        Kind("rush: join button (303)"), Kind("rush: staff session list (10)")
    lock = threading.Lock()
    done = threading.Event()
    plans = [(rnd.uniform(0, arrive), rnd.uniform(1, 5), rnd.choice(session_ids))
             for _ in range(clients)]

    def client(delay: float, reading: float, session_id: int) -> None:
        time.sleep(delay)
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine_page, mine_press = Kind(""), Kind("")
        _request(conn, "GET", f"/fi/sessions/{session_id}/join", mine_page, 200, {})
        time.sleep(reading)
        _request(conn, "POST", f"/fi/sessions/{session_id}/join/video", mine_press, 303,
                 {"Content-Type": "application/x-www-form-urlencoded"},
                 urlencode({"display_name": ""}))
        conn.close()
        with lock:
            for mine, total in ((mine_page, page), (mine_press, press)):
                total.latencies += mine.latencies
                total.errors += mine.errors

    def facilitator(cookie: str, seed: int) -> None:
        own = random.Random(seed)
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine = Kind("")
        headers = {"Cookie": cookie, "User-Agent": agent}
        while not done.is_set():
            _request(conn, "GET", "/fi/staff/", mine, 200, headers)
            if mine.errors and mine.errors[-1] in ("RemoteDisconnected", "ConnectionResetError"):
                conn = http.client.HTTPConnection(host, port, timeout=10)
            time.sleep(own.uniform(0.5, 1.5))
        conn.close()
        with lock:
            staff.latencies += mine.latencies
            staff.errors += mine.errors

    started = time.monotonic()
    staff_threads = [threading.Thread(target=facilitator, args=(c, i), daemon=True)
                     for i, c in enumerate(staff_cookies)]
    client_threads = [threading.Thread(target=client, args=plan, daemon=True) for plan in plans]
    for thread in (*staff_threads, *client_threads):
        thread.start()
    for thread in client_threads:
        thread.join(timeout=120)
    took = time.monotonic() - started
    done.set()
    for thread in staff_threads:
        thread.join(timeout=30)
    return [page, press, staff], took


def report(kinds: list[Kind], took: float) -> None:
    print(f"\n{'top-of-the-hour rush':34} {'count':>6} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6}")
    for kind in kinds:
        print(kind.line())
    errors = sum(len(k.errors) for k in kinds)
    seen = sorted({e for k in kinds for e in k.errors})
    print(f"All {len(kinds[1].latencies)} presses answered in {took:.0f} s "
          f"({'within' if took <= 60 else 'NOT within'} 60 s); "
          f"{'zero errors' if not errors else f'{errors} errors: ' + ', '.join(seen)}.")
