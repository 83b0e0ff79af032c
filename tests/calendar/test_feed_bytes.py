"""A group feed is built once per ETag and data version, then answered with the same bytes;
a change the feed shows but its ETag does not name (an area renamed, a facilitator added)
still reaches the next download at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from remote_groups.extensions import db
from remote_groups.groups import versions


def _feed(client: Any, group_id: int, **headers: str) -> Any:
    return client.get(f"/fi/groups/{group_id}/calendar.ics", headers=headers)


def _text(response: Any) -> str:
    """The feed's text with folded lines joined again."""
    return response.data.replace(b"\r\n ", b"").decode()


def test_the_same_bytes_until_something_shown_changes(client, make, count_queries):
    versions.forget_all()
    area = make.area(name_fi="Kainuu")
    group = make.group(areas=[area], title_fi="Liikettä arkeen")
    session = make.session_(group=group, starts_at=datetime.now(UTC) + timedelta(days=2),
                            facilitators=[make.user(area=area, first_name="Aino")])
    db.session.commit()

    with count_queries() as built:
        first = _feed(client, group.id)
    with count_queries() as kept:
        second = _feed(client, group.id)
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    assert kept.count < built.count  # the sessions were not loaded in full again
    assert "Aino" in _text(first)

    area.name_fi = "Kainuun hyvinvointialue"
    session.facilitators.append(make.user(area=area, first_name="Eero"))
    db.session.commit()
    third = _feed(client, group.id)
    assert "Kainuun hyvinvointialue" in _text(third)
    assert "Eero" in _text(third)  # "Aino\\, Eero": commas are escaped in TEXT


def test_gzip_and_plain_answers_are_kept_apart(client, make):
    versions.forget_all()
    group = make.group(title_fi="Ryhmä")
    make.session_(group=group, starts_at=datetime.now(UTC) + timedelta(days=2))
    db.session.commit()
    plain = _feed(client, group.id, **{"Accept-Encoding": "identity"})
    zipped = _feed(client, group.id, **{"Accept-Encoding": "gzip"})
    again = _feed(client, group.id, **{"Accept-Encoding": "identity"})
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert "Content-Encoding" not in again.headers
    assert plain.data == again.data and plain.data.startswith(b"BEGIN:VCALENDAR")
