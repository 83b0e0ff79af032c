"""Conditional GET and Cache-Control as a browser, a proxy or a calendar app sees them."""

from datetime import UTC, datetime, timedelta

from flask import Response
from werkzeug.http import http_date

from remote_groups import http_cache
from remote_groups.db_types import utcnow


def _revalidate(client, url, response):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"]})


def test_front_page_answers_304_to_a_matching_etag_and_200_after_a_change(client, make):
    group = make.group(title_fi="Kävelyryhmä")
    make.session_(group=group, starts_at=utcnow() + timedelta(days=2))
    first = client.get("/fi/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert first.headers["ETag"].startswith('W/"')
    assert "Cookie" in first.headers["Vary"]

    again = _revalidate(client, "/fi/", first)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=60"

    make.session_(group=make.group(title_fi="Uusi lauluryhmä"),
                  starts_at=utcnow() + timedelta(days=3))
    changed = _revalidate(client, "/fi/", first)
    assert changed.status_code == 200
    assert "Uusi lauluryhmä" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_group_page_round_trip_and_languages_have_their_own_etags(client, make):
    group = make.group(title_fi="Mielen hyvinvointi", title_sv="Psykiskt välbefinnande")
    make.session_(group=group, starts_at=utcnow() + timedelta(days=1))
    url = f"/fi/groups/{group.id}"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert _revalidate(client, url, first).status_code == 304

    swedish = client.get(f"/sv/groups/{group.id}")
    assert swedish.headers["ETag"] != first.headers["ETag"]
    wrong_language = client.get(f"/sv/groups/{group.id}",
                                headers={"If-None-Match": first.headers["ETag"]})
    assert wrong_language.status_code == 200

    group.title_fi = "Mielen hyvinvointi ja lepo"  # groups have no updated_at: the body decides
    make.session.flush()
    assert _revalidate(client, url, first).status_code == 200


def test_staff_pages_are_never_stored(client, make, login):
    login(make.user())
    response = client.get("/fi/staff/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_public_page_seen_by_signed_in_staff_is_private(client, make, login):
    """It carries their name in the menu and a CSRF token: no proxy may hand it to others."""
    login(make.user())
    response = client.get("/fi/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_sign_in_page_and_missing_pages_are_not_stored(client, db_session):
    assert client.get("/fi/staff/login").headers["Cache-Control"] == "private, no-store"
    missing = client.get("/fi/groups/999999")
    assert missing.status_code == 404
    assert missing.headers["Cache-Control"] == "private, no-store"


def test_fingerprint_answers_304_before_any_work(app):
    newest = datetime(2026, 11, 2, 8, 30, 15, 123456, tzinfo=UTC)
    fingerprint = http_cache.Fingerprint.of("feed", 7, "fi", 120, newest, last_modified=newest)
    with app.test_request_context("/fi/"):
        assert http_cache.answer_if_fresh(fingerprint) is None  # no validators: do the work
        stamped = http_cache.stamp(Response("x"), fingerprint)
    etag = stamped.headers["ETag"]
    assert etag == f'W/"{fingerprint.etag}"'
    assert stamped.headers["Last-Modified"] == http_date(newest.replace(microsecond=0))

    with app.test_request_context("/fi/", headers={"If-None-Match": etag}):
        early = http_cache.answer_if_fresh(fingerprint)
        assert early is not None and early.status_code == 304
    since = http_date(newest + timedelta(seconds=1))
    with app.test_request_context("/fi/", headers={"If-Modified-Since": since}):
        assert http_cache.answer_if_fresh(fingerprint).status_code == 304
    before = http_date(newest - timedelta(minutes=5))
    with app.test_request_context("/fi/", headers={"If-Modified-Since": before}):
        assert http_cache.answer_if_fresh(fingerprint) is None
    changed = http_cache.Fingerprint.of("feed", 7, "fi", 121, newest, last_modified=newest)
    with app.test_request_context("/fi/", headers={"If-None-Match": etag}):
        assert http_cache.answer_if_fresh(changed) is None


def test_a_feed_keeps_its_own_cache_lifetime_and_its_304(client, make):
    from remote_groups.calendar import views as calendar_views

    group = make.group(title_fi="Syysryhmä")
    make.session_(group=group, starts_at=utcnow() + timedelta(days=4))
    url = f"/fi/groups/{group.id}/calendar.ics"
    feed = client.get(url)
    assert feed.status_code == 200
    assert feed.cache_control.public
    assert feed.cache_control.max_age == calendar_views.MAX_AGE_SECONDS
    assert _revalidate(client, url, feed).status_code == 304


def test_join_page_is_public_and_revalidates(client, make):
    session = make.session_(group=make.group(), starts_at=utcnow() + timedelta(days=3))
    url = f"/fi/sessions/{session.id}/join"
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in page.headers
    assert _revalidate(client, url, page).status_code == 304
