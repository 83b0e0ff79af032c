"""Fixtures for feedback tests: a course that has ended and an open session that just ended."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind


@pytest.fixture
def course(make: Any, db_session: Any) -> Any:
    area = make.area(languages="fi,sv")
    group = make.group(areas=[area], kind=GroupKind.CLOSED, title_fi="Arjen taidot",
                       title_sv="Vardagsfärdigheter")
    make.session_(group=group, starts_at=utcnow() - timedelta(days=3))
    db_session.commit()
    return group


@pytest.fixture
def open_session(make: Any, db_session: Any) -> Any:
    area = make.area()
    group = make.group(areas=[area], title_fi="Avoin vertaisryhmä", title_sv="Öppen kamratgrupp")
    session = make.session_(group=group, starts_at=utcnow() - timedelta(hours=2), minutes=90)
    db_session.commit()
    return session
