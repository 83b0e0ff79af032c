"""schema.org data on a group's page: it parses, says what the issue asks, and cannot break
out of its element."""

from __future__ import annotations

import json
import re
from datetime import datetime

from remote_groups.groups.models import InstructionLanguage

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
BASE = "https://etaryhmat.example.fi"


def _data(client, url: str) -> dict:
    html = client.get(url).get_data(as_text=True)
    blocks = LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_group_page_describes_the_group_as_an_event_series_of_online_events(client, scene):
    data = _data(client, f"/fi/groups/{scene.open_group.id}")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EventSeries"
    assert data["name"] == "Liikettä arkeen"
    assert data["url"] == f"{BASE}/fi/groups/{scene.open_group.id}"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == "fi"
    assert [o["name"] for o in data["organizer"]] == ["Länsi-Uusimaa", "Pohjois-Karjala"]
    assert all(o["@type"] == "GovernmentOrganization" for o in data["organizer"])
    assert data["location"]["@type"] == "VirtualLocation"

    events = data["subEvent"]
    # The next sessions (not the past one); a cancelled one says so.
    assert [e["url"] for e in events] == [
        f"{BASE}/fi/sessions/{scene.next_open.id}/join",
        f"{BASE}/fi/sessions/{scene.cancelled.id}/join"]
    first = events[0]
    assert first["@type"] == "Event"
    assert first["name"] == "Liikettä arkeen: Venyttely"
    assert first["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert events[1]["eventStatus"] == "https://schema.org/EventCancelled"
    assert first["location"] == {"@type": "VirtualLocation",
                                 "url": f"{BASE}/fi/sessions/{scene.next_open.id}/join"}
    assert first["organizer"]["name"] == "Pohjois-Karjala"  # the host of that session
    assert first["inLanguage"] == "fi" and first["isAccessibleForFree"] is True
    assert datetime.fromisoformat(first["startDate"]) == scene.next_open.starts_at
    assert datetime.fromisoformat(first["endDate"]) == scene.next_open.ends_at


def test_swedish_page_and_a_bilingual_group(client, scene, db_session):
    scene.open_group.instruction_language = InstructionLanguage.BOTH
    db_session.commit()
    data = _data(client, f"/sv/groups/{scene.open_group.id}")
    assert data["name"] == "Rörelse i vardagen"
    assert data["inLanguage"] == ["fi", "sv"]
    assert data["organizer"][0]["name"] == "Västra Nyland"
    assert data["subEvent"][0]["location"]["url"].startswith(f"{BASE}/sv/sessions/")


def test_a_title_cannot_close_the_script_element(client, scene, db_session):
    scene.open_group.title_fi = "</script><script>alert(1)</script> & <b>"
    db_session.commit()
    html = client.get(f"/fi/groups/{scene.open_group.id}").get_data(as_text=True)
    block = LD.findall(html)[0]
    assert "</script" not in block and "<" not in block
    assert json.loads(block)["name"] == "</script><script>alert(1)</script> & <b>"


def test_a_courses_sessions_point_to_the_course_page_not_the_join_page(client, scene):
    data = _data(client, f"/fi/groups/{scene.course.id}")
    event = data["subEvent"][0]
    assert event["url"] == event["location"]["url"] == f"{BASE}/fi/groups/{scene.course.id}"
    assert "/join" not in json.dumps(data)
