"""Feeds and the embeddable listing for the areas' own sites, through the real app: what a
calendar app reads, and what an area's web page shows in its iframe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest

from remote_groups import csp


def _events(body: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["URL"]).rsplit("/", 2)[-2]: e for e in calendar.walk("VEVENT")}


def test_an_areas_feed_holds_the_sessions_of_every_group_it_co_runs(client, scene):
    response = client.get(f"/fi/areas/{scene.karelia.id}/calendar.ics")
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=900"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Etäryhmät: Pohjois-Karjala"
    assert "METHOD" not in calendar
    events = _events(response.data)
    expected = {scene.past, scene.next_open, scene.cancelled, scene.course_session}
    assert set(events) == {str(s.id) for s in expected}
    next_open = events[str(scene.next_open.id)]
    assert next_open.decoded("DTSTART") == scene.next_open.starts_at
    assert str(next_open["SUMMARY"]) == "Liikettä arkeen"
    assert str(events[str(scene.cancelled.id)]["STATUS"]) == "CANCELLED"
    assert "ATTENDEE" not in next_open and "ORGANIZER" not in next_open


def test_the_all_groups_feed_takes_the_public_filters_and_a_date_range(client, scene):
    every = _events(client.get("/sv/calendar.ics").data)
    assert str(scene.swedish_session.id) in every and str(scene.past.id) in every
    culture = _events(client.get("/sv/calendar.ics?theme=culture").data)
    assert set(culture) == {str(scene.swedish_session.id)}
    assert str(culture[str(scene.swedish_session.id)]["SUMMARY"]) == "Kulturstund"
    ostro = _events(client.get(f"/fi/calendar.ics?area={scene.ostro.id}&language=sv").data)
    assert set(ostro) == {str(scene.swedish_session.id)}
    day = (scene.next_open.starts_at + timedelta(hours=2)).date()
    one_day = _events(client.get(f"/fi/calendar.ics?from={day}&to={day}").data)
    assert set(one_day) == {str(scene.next_open.id)}


def test_a_feed_poll_with_its_etag_is_a_304_until_a_session_changes(client, scene,
                                                                    db_session):
    url = f"/fi/areas/{scene.west.id}/calendar.ics"
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Cache-Control"] == "public, max-age=900"
    scene.open_group.title_fi = "Liikettä joka päivään"
    db_session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Liikettä joka päivään" in changed.get_data(as_text=True)


@pytest.mark.parametrize(("url", "status"), [
    ("/fi/calendar.ics?theme=yoga", 400),
    ("/fi/calendar.ics?from=1.12.2026", 400),
    ("/fi/calendar.ics?area=x", 400),
    ("/fi/calendar.ics?area=424242", 404),
    ("/fi/areas/424242/calendar.ics", 404),
    ("/fi/areas/{west}/calendar.ics?area=1", 400),
])
def test_bad_feed_filters_are_refused_plainly(client, scene, url, status):
    response = client.get(url.format(west=scene.west.id))
    assert response.status_code == status
    if status == 400:
        assert response.content_type == "text/plain; charset=utf-8"


def test_the_embed_lists_the_areas_next_sessions_with_links_to_their_join_pages(client,
                                                                               scene):
    response = client.get(f"/sv/areas/{scene.karelia.id}/embed")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html and "Kommande träffar: Norra Karelen" in html
    for session in (scene.next_open, scene.cancelled):
        assert f'href="/sv/sessions/{session.id}/join" target="_top"' in html
    # A course's session leads to the course's page: participants have their own links.
    assert f'href="/sv/groups/{scene.course.id}" target="_top"' in html
    assert f"/sessions/{scene.course_session.id}/join" not in html
    assert f"/sessions/{scene.past.id}/join" not in html  # already over
    assert f"/sessions/{scene.swedish_session.id}/join" not in html  # another area's group
    assert "Rörelse i vardagen (Inställd)" in html
    assert "<script" not in html and "<form" not in html
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_only_the_embed_may_be_framed_by_other_sites(client, scene):
    embed = client.get(f"/fi/areas/{scene.west.id}/embed")
    policy = embed.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "frame-ancestors 'none'" not in policy
    # Everything else the policy says stays as on every other page.
    assert policy == csp.policy().replace("frame-ancestors 'none'", "frame-ancestors *")
    for url in ("/fi/", f"/fi/groups/{scene.open_group.id}", "/fi/api",
                f"/fi/sessions/{scene.next_open.id}/join"):
        assert "frame-ancestors 'none'" in client.get(url).headers["Content-Security-Policy"]
    assert client.get("/fi/areas/424242/embed").status_code == 404
