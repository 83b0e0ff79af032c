"""Fixtures for the calendar and iMIP tests: plain event data, a second iCalendar parser
(Mozilla's ical.js under node). The SMTP server is the shared `smtp` (tests/smtp.py)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from remote_groups.calendar.ics import Attendee, Conference, EventData

HELSINKI = ZoneInfo("Europe/Helsinki")
JS_DIR = Path(__file__).resolve().parents[1] / "js"

FACILITATOR = Attendee("olli.ohjaaja@area-west.invalid", "Olli Ohjaaja", chair=True)
CO_FACILITATOR = Attendee(
    "saga.handledare@area-south.invalid", "Saga Handledare", chair=True, language="sv"
)
PARTICIPANT = Attendee("pirkko.osallistuja@mail.invalid", "Pirkko Osallistuja")
OTHER_PARTICIPANT = Attendee("kalle.asiakas@mail.invalid", "Kalle Asiakas")
ORGANIZER = ("noreply@remote-groups.invalid", "Etäryhmät")
DTSTAMP = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)


def _make_event(
    local_start: datetime,
    *,
    uid: str = "session-1@remote-groups.invalid",
    sequence: int = 0,
    minutes: int = 120,
    cancelled: bool = False,
    summary: str = "Hyvinvointiryhmä: liikunta",
    attendees: tuple[Attendee, ...] = (FACILITATOR, CO_FACILITATOR, PARTICIPANT, OTHER_PARTICIPANT),
) -> EventData:
    """A session planned in Helsinki wall-clock time and stored in UTC, as the service does."""
    starts_at = local_start.replace(tzinfo=HELSINKI).astimezone(UTC)
    return EventData(
        uid=uid,
        sequence=sequence,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        summary=summary,
        description="Tervetuloa! Liity videolla tai puhelimella.\nOta mukaan vesipullo.",
        url="https://remote-groups.invalid/join/abc123",
        location="https://remote-groups.invalid/join/abc123",
        cancelled=cancelled,
        last_modified=datetime(2026, 8, 30, 12, 0, tzinfo=UTC),
        conferences=(
            Conference("https://meet.remote-groups.invalid/ryhma-abc123", "VIDEO", "Video"),
            Conference("tel:+358000000000,,123456#", "PHONE", "Puhelin, PIN 123456#"),
        ),
        attendees=attendees,
    )


def _weekly_series(first_local_start: datetime, count: int, **kwargs: Any) -> list[EventData]:
    """Weekly sessions at the same Helsinki wall-clock time, one UID each."""
    return [
        _make_event(first_local_start + timedelta(weeks=i), uid=f"series-{i}@remote-groups.invalid",
                   **kwargs)
        for i in range(count)
    ]


@pytest.fixture()
def make_event() -> Callable[..., EventData]:
    """``make_event(datetime(2026, 10, 20, 13, 0), sequence=1, ...)``: one session whose
    start is given in Helsinki wall-clock time."""
    return _make_event


@pytest.fixture()
def weekly_series() -> Callable[..., list[EventData]]:
    """``weekly_series(first_local_start, count, **make_event_kwargs)``."""
    return _weekly_series


@pytest.fixture()
def people() -> SimpleNamespace:
    """Invented people and the fixed organizer/DTSTAMP the tests build with."""
    return SimpleNamespace(
        facilitator=FACILITATOR,
        co_facilitator=CO_FACILITATOR,
        participant=PARTICIPANT,
        other_participant=OTHER_PARTICIPANT,
        organizer=ORGANIZER,
        dtstamp=DTSTAMP,
    )


def install_ical_js(npm: str) -> None:
    """Install the locked npm packages (ical.js) into tests/js once. pytest-xdist workers
    ask at the same time: one installs, the others wait for it."""
    with (JS_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (JS_DIR / "node_modules" / "ical.js").is_dir():
            subprocess.run(
                [npm, "install", "--no-audit", "--no-fund"],
                cwd=JS_DIR,
                check=True,
                capture_output=True,
                timeout=300,
            )


@pytest.fixture(scope="session")
def ical_js() -> Callable[[bytes], dict[str, Any]]:
    """Parse an .ics with Mozilla's ical.js (tests/js/expand.mjs) and return its JSON view.

    Installs the locked npm packages on first use. Without node the tests are skipped,
    unless REQUIRE_NODE=1 (CI), where a missing node is a failure.
    """
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        reason = "node/npm not found: the ical.js cross-check needs Node.js 20 and npm"
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail(reason + " (REQUIRE_NODE=1)")
        pytest.skip(reason)
    install_ical_js(npm)

    def expand(ics: bytes) -> dict[str, Any]:
        result = subprocess.run(
            [node, str(JS_DIR / "expand.mjs")],
            input=ics,
            capture_output=True,
            check=False,
            timeout=60,
            # UTC on purpose: floating times (no usable VTIMEZONE) would show up 2-3 h off.
            env={**os.environ, "TZ": "UTC"},
        )
        assert result.returncode == 0, result.stderr.decode()
        return json.loads(result.stdout)

    return expand
