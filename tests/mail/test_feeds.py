"""Calendar feeds over HTTP: parsed back by icalendar, cached with ETag and conditional GET,
with a fixed number of queries, and offered on the group page."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import SessionStatus


@pytest.fixture
def group(make, db_session):
    area = make.area(name_sv="Österbotten")
    facilitator = make.user(area=area, email="olli.ohjaaja@area.invalid")
    group = make.group(areas=[area], title_fi="Liikuntaryhmä", title_sv="Motionsgrupp")
    start = utcnow() + timedelta(days=2)
    make.session_(group=group, starts_at=start, facilitators=[facilitator], host=area)
    make.session_(group=group, starts_at=start + timedelta(weeks=1), host=area,
                  status=SessionStatus.CANCELLED, sequence=1)
    db_session.commit()
    return group


def _parse(response):
    return icalendar.Calendar.from_ical(response.data)


def test_group_feed_is_a_calendar_without_method_named_in_the_pages_language(client, group):
    response = client.get(f"/sv/groups/{group.id}/calendar.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    cache = response.cache_control
    assert cache.public and 0 < cache.max_age <= 3600
    calendar = _parse(response)
    assert "METHOD" not in calendar
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Motionsgrupp"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    events = calendar.walk("VEVENT")
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert {str(e["UID"]) for e in events} == {s.uid for s in group.sessions}
    assert all("ATTENDEE" not in e and "ORGANIZER" not in e for e in events)
    assert b"olli.ohjaaja" not in response.data  # a feed names no one's address
    assert calendar.walk("VTIMEZONE")
    assert "Arrangör: Österbotten" in str(events[0]["DESCRIPTION"])


def test_conditional_get_answers_304_until_a_session_changes(client, group, db_session):
    url = f"/fi/groups/{group.id}/calendar.ics"
    etag = client.get(url).headers["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag

    session = group.sessions[0]
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.bump_sequence()
    db_session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get(f"/sv/groups/{group.id}/calendar.ics").headers["ETag"] != etag


def test_if_modified_since_is_honoured(client, group):
    url = f"/fi/groups/{group.id}/calendar.ics"
    last_modified = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_feed_queries_do_not_grow_with_the_number_of_sessions(
    client, make, db_session, count_queries
):
    def feed_query_count(sessions):
        area = make.area()
        group = make.group(areas=[area])
        start = utcnow() + timedelta(days=1)
        for week in range(sessions):
            make.session_(group=group, starts_at=start + timedelta(weeks=week), host=area,
                          facilitators=[make.user(area=area)])
        db_session.commit()
        with count_queries() as counter:
            response = client.get(f"/fi/groups/{group.id}/calendar.ics")
        assert response.status_code == 200
        assert len(_parse(response).walk("VEVENT")) == sessions
        return counter.count

    assert feed_query_count(1) == feed_query_count(8)


def test_session_download_is_an_attachment_with_one_event(client, group):
    session = group.sessions[0]
    response = client.get(f"/en/sessions/{session.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="session-{session.id}.ics"'
    )
    calendar = _parse(response)
    assert "METHOD" not in calendar
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session.uid
    assert str(event["URL"]) == f"https://etaryhmat.example.fi/en/sessions/{session.id}/join"
    etag = response.headers["ETag"]
    assert client.get(f"/en/sessions/{session.id}/calendar.ics",
                      headers={"If-None-Match": etag}).status_code == 304


def test_unknown_group_or_session_is_404(client, db_session):
    assert client.get("/fi/groups/999999/calendar.ics").status_code == 404
    assert client.get("/fi/sessions/999999/calendar.ics").status_code == 404


def test_group_page_offers_subscription_and_downloads(client, group):
    page = client.get(f"/fi/groups/{group.id}").get_data(as_text=True)
    feed = f"etaryhmat.example.fi/fi/groups/{group.id}/calendar.ics"
    assert f'href="webcal://{feed}"' in page
    assert f'href="https://{feed}"' in page
    upcoming = group.sessions[0]
    assert f'href="/fi/sessions/{upcoming.id}/calendar.ics"' in page
    assert "Lisää kalenteriin" in page and "Tilaa kalenterisovellukseesi" in page


def test_a_feed_holds_the_last_90_days_onwards(client, make, db_session):
    group = make.group(title_fi="Pitkä ryhmä")
    now = utcnow()
    old = make.session_(group=group, starts_at=now - timedelta(days=120))
    recent = make.session_(group=group, starts_at=now - timedelta(days=80))
    ahead = make.session_(group=group, starts_at=now + timedelta(days=3))
    db_session.commit()
    calendar = _parse(client.get(f"/fi/groups/{group.id}/calendar.ics"))
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {recent.uid, ahead.uid}
    assert old.uid not in {str(e["UID"]) for e in calendar.walk("VEVENT")}


def test_a_feed_is_gzipped_when_the_client_accepts_it(client, group):
    import gzip

    plain = client.get(f"/fi/groups/{group.id}/calendar.ics")
    packed = client.get(f"/fi/groups/{group.id}/calendar.ics",
                        headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]  # two representations
    again = client.get(f"/fi/groups/{group.id}/calendar.ics",
                       headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_the_feed_name_is_escaped_like_any_text(client, make, db_session):
    group = make.group(title_fi="Ryhmä; tiistai, torstai\\ilta")
    make.session_(group=group)
    db_session.commit()
    response = client.get(f"/fi/groups/{group.id}/calendar.ics")
    assert b"NAME:Ryhm\xc3\xa4\\; tiistai\\, torstai\\\\ilta\r\n" in response.data
    assert b"X-WR-CALNAME:Ryhm\xc3\xa4\\; tiistai\\, torstai\\\\ilta\r\n" in response.data
