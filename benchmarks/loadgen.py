"""A small load generator for when `wrk` is not installed: N threads, each one keep-alive
HTTP/1.1 connection, for a fixed time. Prints `rps=… p50=… p99=… errors=…` (milliseconds).

    python benchmarks/loadgen.py http://127.0.0.1:18711/fi/ --connections 50 --seconds 8

Python threads share one core's worth of interpreter, so above a few thousand requests per
second this measures itself more than the server; wrk does not have that limit."""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

MAX_REQUESTS_PER_CONNECTION = 1_000_000  # bounded in count as well as in time


def worker(host: str, port: int, path: str, headers: dict[str, str], until: float,
           latencies: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    for _ in range(MAX_REQUESTS_PER_CONNECTION):
        if time.monotonic() >= until:
            break
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                errors.append(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
        except (OSError, http.client.HTTPException):
            errors.append(0)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=10)
            continue
        latencies.append((time.perf_counter() - start) * 1000)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    url = urlsplit(args.url)
    if url.hostname != "127.0.0.1":
        raise SystemExit("loadgen only talks to 127.0.0.1")
    headers = dict(h.split(": ", 1) for h in args.header)
    latencies: list[float] = []
    errors: list[int] = []
    started = time.monotonic()
    until = started + args.seconds
    threads = [
        threading.Thread(target=worker, daemon=True, args=(
            url.hostname, url.port or 80, url.path or "/", headers, until, latencies, errors))
        for _ in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 15)
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"rps={len(latencies) / elapsed:.1f} p50={cuts[49]:.2f} p99={cuts[98]:.2f} "
          f"errors={len(errors)}")


if __name__ == "__main__":
    main()
