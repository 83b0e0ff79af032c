"""Session cards are remembered per version of the data they show (groups/versions.py):
every committed change a card shows is on the next page at once, the clock's facts (on now,
join window open) are never remembered past their moment, and an uncommitted change is
neither served nor remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from remote_groups.extensions import db
from remote_groups.groups import versions
from remote_groups.groups.models import Session
from remote_groups.groups.queries import count_join

from .conftest import THURSDAY_1300


@pytest.fixture(autouse=True)
def _empty_memory() -> None:
    versions.forget_all()


def _version() -> int | None:
    return versions._read(versions.CARDS)


def _committed_session(make: Any, starts_at: datetime, **kw: Any) -> Session:
    area = make.area(name_fi="Kainuu", name_sv="Kajanaland")
    aino = make.user(area=area, first_name="Aino", last_name="Testinen")
    group = make.group(areas=[area], title_fi="Liikettä arkeen", **kw)
    session = make.session_(group=group, starts_at=starts_at, facilitators=[aino])
    db.session.commit()
    return session


def test_a_committed_change_shows_at_once_on_both_pages(client, make, clock):
    clock(THURSDAY_1300)
    session = _committed_session(make, THURSDAY_1300 + timedelta(days=2))
    before = _version()
    for path in ("/fi/", f"/fi/groups/{session.group_id}"):
        assert "Liikettä arkeen" in client.get(path).text or path != "/fi/"
        assert "Aino" in client.get(path).text  # the second answer comes from memory

    session.group.title_fi = "Uusi nimi"
    session.topic_fi = "Venyttely"
    db.session.commit()

    assert _version() != before
    front = client.get("/fi/").text
    assert "Uusi nimi" in front and "Liikettä arkeen" not in front
    assert "Venyttely" in client.get(f"/fi/groups/{session.group_id}").text


def test_a_new_facilitator_and_an_area_renamed_show_at_once(client, make, clock):
    clock(THURSDAY_1300)
    session = _committed_session(make, THURSDAY_1300 + timedelta(days=2))
    assert "Aino" in client.get("/fi/").text
    session.facilitators.append(make.user(area=session.host_area, first_name="Eero"))
    db.session.commit()
    assert "Aino, Eero" in client.get("/fi/").text
    session.host_area.name_fi = "Kainuun hyvinvointialue"
    db.session.commit()
    assert "Kainuun hyvinvointialue" in client.get("/fi/").text


def test_a_bulk_update_raises_the_version_and_the_join_count_does_not(client, make):
    session = _committed_session(make, datetime.now(UTC) + timedelta(days=2))
    first = _version()
    count_join(session.id)
    db.session.commit()
    assert _version() == first  # no card shows the count: cards stay remembered
    db.session.execute(update(Session).where(Session.id == session.id)
                       .values(topic_fi="Hengitys"))
    db.session.commit()
    assert _version() != first
    assert "Hengitys" in client.get("/fi/").text


def test_join_now_appears_when_the_window_opens(client, make, clock):
    start = THURSDAY_1300 + timedelta(hours=1)
    session = _committed_session(make, start)
    clock(start - timedelta(minutes=30))
    early = client.get(f"/fi/groups/{session.group_id}").text
    assert "Liity nyt" not in early and "Liity nyt" not in client.get("/fi/").text
    clock(start - timedelta(minutes=5))
    assert "Liity nyt" in client.get(f"/fi/groups/{session.group_id}").text
    assert "Liity nyt" in client.get("/fi/").text
    clock(start + timedelta(minutes=100))
    assert "Liity nyt" not in client.get("/fi/").text


def test_an_uncommitted_change_is_neither_served_nor_remembered(client, make, clock):
    clock(THURSDAY_1300)
    session = _committed_session(make, THURSDAY_1300 + timedelta(days=2))
    assert "Liikettä arkeen" in client.get("/fi/").text
    session.group.title_fi = "Kesken"
    db.session.flush()
    assert "Kesken" in client.get("/fi/").text  # this transaction sees its own change
    db.session.rollback()
    page = client.get("/fi/").text
    assert "Kesken" not in page and "Liikettä arkeen" in page


def test_remembered_cards_spare_the_queries_that_load_sessions(client, make, clock,
                                                                 count_queries):
    clock(THURSDAY_1300)
    _committed_session(make, THURSDAY_1300 + timedelta(days=2))
    client.get("/fi/")
    with count_queries() as cold:
        versions.forget_all()
        first = client.get("/fi/").text
    with count_queries() as warm:
        second = client.get("/fi/").text
    assert first == second
    assert warm.count < cold.count
