"""The read API through the real app, on SQLite or PostgreSQL (DATABASE_URL): what an
area's web developer would check with curl. Every answer is also checked against the
OpenAPI description's schema for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from remote_groups.courses.models import Application
from remote_groups.groups.models import Session

BASE = "https://etaryhmat.example.fi"


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_areas_list_every_area_with_its_feeds_and_embeds(client, scene, conforms):
    response = client.get("/api/v1/areas")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    conforms("/areas", body)
    by_code = {a["code"]: a for a in body["data"]}
    west = by_code["lansi-uusimaa"]
    assert west["name"] == {"fi": "Länsi-Uusimaa", "sv": "Västra Nyland"}
    assert west["languages"] == ["fi", "sv"]
    assert west["links"]["embed"]["sv"] == f"{BASE}/sv/areas/{scene.west.id}/embed"
    assert client.get(_path(west["links"]["calendar"]["fi"])).status_code == 200

    one = client.get(f"/api/v1/areas/{scene.ostro.id}").get_json()
    conforms("/areas/{area_id}", one)
    assert one["data"]["name"]["sv"] == "Österbotten"


def test_groups_have_texts_in_every_language_areas_and_course_places(client, scene, conforms,
                                                                     db_session):
    for n, status in enumerate(("accepted", "accepted", "waiting")):
        db_session.add(Application(
            group_id=scene.course.id, status=status, name="Hakija", email=f"h{n}@example.com",
            email_hash=f"{n:064x}", language="fi",
            consent_at=datetime.now(UTC), applied_at=datetime.now(UTC)))
    db_session.commit()
    body = client.get("/api/v1/groups").get_json()
    conforms("/groups", body)
    groups = {g["id"]: g for g in body["data"]}
    open_group = groups[scene.open_group.id]
    assert open_group["title"] == {"fi": "Liikettä arkeen", "sv": "Rörelse i vardagen",
                                   "en": None}
    assert open_group["kind"] == "open" and open_group["course"] is None
    assert [a["code"] for a in open_group["areas"]] == ["lansi-uusimaa", "pohjois-karjala"]
    assert open_group["theme"] == "exercise" and open_group["language"] == "fi"
    course = groups[scene.course.id]
    assert course["kind"] == "course"
    assert course["course"]["capacity"] == 6
    assert course["course"]["seats_left"] == 4  # two accepted; the waiting one holds no seat
    assert course["course"]["applications_open"] is True
    assert course["course"]["applications_close_at"].endswith("Z")
    assert body["links"]["next"] is None

    one = client.get(f"/api/v1/groups/{scene.swedish.id}").get_json()
    conforms("/groups/{group_id}", one)
    assert one["data"]["title"]["fi"] is None and one["data"]["title"]["sv"] == "Kulturstund"


@pytest.mark.parametrize(("query", "expected"), [
    ("theme=culture", ["swedish"]),
    ("language=sv", ["swedish"]),
    ("kind=course", ["course"]),
    ("kind=open&language=fi", ["open_group"]),
])
def test_group_filters_are_the_public_pages_filters(client, scene, query, expected):
    body = client.get(f"/api/v1/groups?{query}").get_json()
    assert [g["id"] for g in body["data"]] == [getattr(scene, n).id for n in expected]


def test_group_filter_by_area_and_dates(client, scene):
    karelia = client.get(f"/api/v1/groups?area={scene.karelia.id}").get_json()
    assert {g["id"] for g in karelia["data"]} == {scene.open_group.id, scene.course.id}
    day = (scene.swedish_session.starts_at + timedelta(hours=2)).date().isoformat()
    on_day = client.get(f"/api/v1/groups?from={day}&to={day}").get_json()
    assert [g["id"] for g in on_day["data"]] == [scene.swedish.id]


def test_sessions_in_utc_and_helsinki_with_host_topic_status_and_join_page(client, scene,
                                                                          conforms):
    body = client.get("/api/v1/sessions").get_json()
    conforms("/sessions", body)
    ids = [s["id"] for s in body["data"]]
    # Not yet ended, in start order; the cancelled one is listed, marked cancelled.
    assert ids == [scene.next_open.id, scene.course_session.id, scene.swedish_session.id,
                   scene.cancelled.id]
    first = body["data"][0]
    start = scene.next_open.starts_at
    assert first["starts_at"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = datetime.fromisoformat(first["starts_at_helsinki"])
    assert local == start and local.utcoffset() in (timedelta(hours=2), timedelta(hours=3))
    assert first["host_area"]["code"] == "pohjois-karjala"
    assert first["topic"] == {"fi": "Venyttely", "sv": "Stretching", "en": None}
    assert first["status"] == "scheduled"
    assert body["data"][-1]["status"] == "cancelled"
    assert first["links"]["join"]["sv"] == f"{BASE}/sv/sessions/{scene.next_open.id}/join"
    assert client.get(_path(first["links"]["join"]["fi"])).status_code == 200
    group = client.get(_path(first["links"]["group"])).get_json()
    assert group["data"]["id"] == scene.open_group.id

    one = client.get(f"/api/v1/sessions/{scene.next_open.id}").get_json()
    conforms("/sessions/{session_id}", one)
    assert one["data"] == first


def test_nothing_personal_or_secret_leaves(client, scene):
    """Room names open the video room; facilitators are people. Neither is in the API."""
    texts = [client.get(u).get_data(as_text=True) for u in (
        "/api/v1/sessions", f"/api/v1/sessions/{scene.next_open.id}", "/api/v1/groups",
        f"/api/v1/groups/{scene.open_group.id}", "/api/v1/areas")]
    for secret in (scene.next_open.room_name, scene.next_open.uid, "Salainen", "Aino",
                   "aino.salainen", "join_count", "facilitator"):
        assert all(secret not in text for text in texts), secret


def test_session_filters(client, scene):
    def ids(query: str) -> list[int]:
        return [s["id"] for s in client.get(f"/api/v1/sessions?{query}").get_json()["data"]]

    assert ids(f"group={scene.course.id}") == [scene.course_session.id]
    assert ids(f"area={scene.ostro.id}") == [scene.swedish_session.id]
    assert ids("theme=work_ability") == [scene.course_session.id]
    assert ids("language=sv") == [scene.swedish_session.id]
    past_day = (scene.past.starts_at + timedelta(hours=2)).date()
    assert ids(f"from={past_day}&to={past_day}") == [scene.past.id]
    assert ids(f"from={past_day}&to={past_day - timedelta(days=1)}") == []


def test_paging_through_three_hundred_sessions(client, make, db_session, conforms):
    area = make.area()
    groups = [make.group(areas=[area]) for _ in range(3)]
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    made = []
    for n in range(300):
        # Pairs of sessions at the same minute: the cursor must keep both, in id order.
        made.append(make.session_(group=groups[n % 3], starts_at=start + timedelta(
            minutes=30 * (n // 2)), minutes=20))
    db_session.commit()
    seen, url, pages = [], "/api/v1/sessions?limit=37", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_json()
        conforms("/sessions", body)
        seen += [s["id"] for s in body["data"]]
        pages += 1
        nxt = body["links"]["next"]
        assert (response.headers.get("Link") is not None) == (nxt is not None)
        url = _path(nxt) if nxt else None
    assert pages == 9  # 8 full pages of 37 and one of 4
    assert seen == [s.id for s in sorted(made, key=lambda s: (s.starts_at, s.id))]


def test_a_session_added_before_the_cursor_does_not_shift_the_next_page(client, scene, make,
                                                                       db_session):
    first = client.get("/api/v1/sessions?limit=2").get_json()
    make.session_(group=scene.open_group, starts_at=scene.next_open.starts_at
                  - timedelta(minutes=30))
    db_session.commit()
    rest = client.get(_path(first["links"]["next"])).get_json()
    assert [s["id"] for s in rest["data"]] == [scene.swedish_session.id, scene.cancelled.id]


def test_conditional_get_is_a_304_until_the_data_changes(client, scene, db_session):
    url = "/api/v1/sessions?limit=10"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"

    session = db_session.get(Session, scene.next_open.id)
    session.topic_en = "Stretching"
    db_session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["data"][0]["topic"]["en"] == "Stretching"

    for path in ("/api/v1/areas", f"/api/v1/groups/{scene.course.id}", "/api/v1/groups"):
        tag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304


def test_a_single_session_answers_if_modified_since(client, scene):
    url = f"/api/v1/sessions/{scene.next_open.id}"
    first = client.get(url)
    stamp = first.headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": stamp}).status_code == 304


def test_any_origin_may_read_it(client, scene):
    response = client.get("/api/v1/groups", headers={"Origin": "https://www.siunsote.fi"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/api/v1/sessions", headers={
        "Origin": "https://www.siunsote.fi", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    error = client.get("/api/v1/sessions?limit=1000", headers={"Origin": "https://x.fi"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("url", "code", "parameter"), [
    ("/api/v1/sessions?limit=1000", "invalid_parameter", "limit"),
    ("/api/v1/sessions?limit=0", "invalid_parameter", "limit"),
    ("/api/v1/sessions?limit=ten", "invalid_parameter", "limit"),
    ("/api/v1/groups?limit=101", "invalid_parameter", "limit"),
    ("/api/v1/sessions?theme=yoga", "invalid_parameter", "theme"),
    ("/api/v1/groups?language=de", "invalid_parameter", "language"),
    ("/api/v1/groups?kind=closed", "invalid_parameter", "kind"),
    ("/api/v1/sessions?area=abc", "invalid_parameter", "area"),
    ("/api/v1/sessions?area=99999999999", "invalid_parameter", "area"),
    ("/api/v1/sessions?from=2026-13-01", "invalid_parameter", "from"),
    ("/api/v1/sessions?from=20261201", "invalid_parameter", "from"),
    ("/api/v1/sessions?to=tomorrow", "invalid_parameter", "to"),
    ("/api/v1/sessions?cursor=abc", "invalid_cursor", "cursor"),
    ("/api/v1/sessions?cursor=12-0", "invalid_cursor", "cursor"),
    ("/api/v1/groups?cursor=1-2", "invalid_cursor", "cursor"),
    ("/api/v1/sessions?page=2", "unknown_parameter", "page"),
    ("/api/v1/sessions?theme=culture&theme=rest", "invalid_parameter", "theme"),
    ("/api/v1/areas?x=%00", "unknown_parameter", "x"),
])
def test_bad_input_is_a_400_with_a_stable_code(client, scene, url, code, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content_type == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code and error["parameter"] == parameter
    assert parameter in error["message"]
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", [
    "/api/v1/groups/2147483647", "/api/v1/sessions/99999999", "/api/v1/areas/424242",
    "/api/v1/groups/99999999999999", "/api/v1/groups/abc", "/api/v1/nothing-here",
    "/api/v1/", "/api/v1/sessions?area=424242", "/api/v1/sessions?group=424242",
    "/api/v2/areas",
])
def test_unknown_ids_and_paths_are_a_json_404(client, scene, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_far_dates_are_clamped_not_refused(client, scene):
    assert client.get("/api/v1/sessions?from=0001-01-01&to=9999-12-31").status_code == 200
    assert client.get("/api/v1/sessions?cursor=9999999999999999-2147483647").get_json()[
        "data"] == []


def test_the_api_only_reads(client, scene):
    response = client.post("/api/v1/sessions", json={})
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    assert client.delete(f"/api/v1/groups/{scene.course.id}").status_code == 405


def test_copies_from_the_page_memory_keep_the_cors_headers(app, client, scene, monkeypatch):
    """In production each worker answers repeats from memory without running any hook."""
    from remote_groups.page_cache import cache_of

    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 5)
    cache_of(app).clear()
    try:
        first = client.get("/api/v1/areas")
        assert len(cache_of(app)) == 1
        again = client.get("/api/v1/areas")
        assert again.data == first.data
        assert again.headers["Access-Control-Allow-Origin"] == "*"
        assert again.headers["ETag"] == first.headers["ETag"]
        revalidated = client.get("/api/v1/areas", headers={"If-None-Match": first.headers["ETag"]})
        assert revalidated.status_code == 304
        assert revalidated.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        cache_of(app).clear()
