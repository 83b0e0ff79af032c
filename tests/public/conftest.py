"""Fixtures for the public pages: a clock the test sets, a Jitsi deployment that exists only
on paper (no external network), and its dial-in APIs on a loopback HTTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from remote_groups.extensions import db
from remote_groups.groups.models import Session

JITSI = "https://meet.example.invalid"
MUC = "conference.meet.example.invalid"
# Thursday 3 December 2026, 13:00 in Helsinki (UTC+2 in winter).
THURSDAY_1300 = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


@pytest.fixture
def jitsi(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at an invented Jitsi deployment, dial-in off, a fresh dial-in client."""
    monkeypatch.setitem(app.config, "JITSI_BASE_URL", JITSI)
    monkeypatch.setitem(app.config, "JITSI_MUC_DOMAIN", MUC)
    monkeypatch.setitem(app.config, "JITSI_DIALIN_NUMBERS_URL", "")
    monkeypatch.setitem(app.config, "JITSI_DIALIN_CONFCODE_URL", "")
    monkeypatch.setitem(app.config, "JITSI_APP_ID", "")
    monkeypatch.setitem(app.config, "JITSI_APP_SECRET", "")
    app.extensions.pop("remote_groups.video", None)
    yield JITSI
    app.extensions.pop("remote_groups.video", None)


@pytest.fixture
def dialin(
    app: Any, jitsi: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> HTTPServer:
    """Dial-in APIs on loopback, as the deployment's `dialInNumbersUrl` and
    `dialInConfCodeUrl` would be; a short timeout so the slow-server tests stay fast."""
    config, url = app.config, httpserver.url_for
    monkeypatch.setitem(config, "JITSI_DIALIN_NUMBERS_URL", url("/phoneNumberList"))
    monkeypatch.setitem(config, "JITSI_DIALIN_CONFCODE_URL", url("/conferenceMapper"))
    monkeypatch.setitem(app.config, "JITSI_HTTP_TIMEOUT", 0.3)
    return httpserver


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """`clock(moment)` makes the public pages believe it is `moment` (aware UTC)."""
    from remote_groups.groups import public_views

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(public_views, "utcnow", lambda: moment)

    return set_now


@pytest.fixture
def join_count(db_session: Any) -> Callable[[Session], int]:
    """The stored count, read afresh from the database (not from the ORM's memory)."""

    def read(session: Session) -> int:
        db.session.expire_all()
        return int(db.session.scalar(db.select(Session.join_count).where(Session.id == session.id)))

    return read


@pytest.fixture
def on_now(make: Any) -> Session:
    """An open group's session that began ten minutes ago, with one facilitator."""
    area = make.area(name_fi="Länsi-Uusimaa", name_sv="Västra Nyland", languages="fi,sv")
    facilitator = make.user(area=area, first_name="Aino", last_name="Testinen")
    group = make.group(areas=[area], title_fi="Liikettä arkeen", title_sv="Rörelse i vardagen",
                       title_en="Moving every day")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    return make.session_(group=group, starts_at=start, facilitators=[facilitator])
