"""Fixtures for the public pages: a clock the test sets. The invented Jitsi deployment and
its loopback dial-in APIs (`jitsi`, `dialin`) are shared, in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from remote_groups.extensions import db
from remote_groups.groups.models import Session

from ..conftest import JITSI, MUC  # noqa: F401 (the public tests import them from here)

# Thursday 3 December 2026, 13:00 in Helsinki (UTC+2 in winter).
THURSDAY_1300 = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


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
