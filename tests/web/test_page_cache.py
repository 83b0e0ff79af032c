"""The few-second memory of public pages: used for anonymous visitors only, and forgotten."""

from datetime import timedelta

import pytest

from remote_groups import page_cache
from remote_groups.db_types import utcnow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def cached(app, monkeypatch):
    """Switch the memory on (tests default to off) with a clock the test moves."""
    clock = Clock()
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 5)
    monkeypatch.setattr(page_cache, "_now", clock)
    page_cache.cache_of(app).clear()
    yield clock
    page_cache.cache_of(app).clear()


def test_anonymous_repeat_is_answered_from_memory_without_sql_until_it_expires(
        client, make, cached, count_queries):
    make.session_(group=make.group(title_fi="Aamujumppa"), starts_at=utcnow() + timedelta(days=1))
    first = client.get("/fi/")
    assert "Aamujumppa" in first.text
    make.session_(group=make.group(title_fi="Iltasatu"), starts_at=utcnow() + timedelta(days=2))

    with count_queries() as queries:
        repeat = client.get("/fi/")
    assert queries.count == 0
    assert repeat.text == first.text and "Iltasatu" not in repeat.text
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert repeat.headers["Cache-Control"] == "public, max-age=60"
    assert repeat.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    revalidated = client.get("/fi/", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304

    cached.now += 5.1
    assert "Iltasatu" in client.get("/fi/").text


def test_languages_and_groups_are_kept_apart(client, make, cached):
    group = make.group(title_fi="Laulupiiri", title_sv="Sångcirkel")
    assert "Laulupiiri" in client.get(f"/fi/groups/{group.id}").text
    assert "Sångcirkel" in client.get(f"/sv/groups/{group.id}").text
    other = make.group(title_fi="Lukupiiri")
    assert "Lukupiiri" in client.get(f"/fi/groups/{other.id}").text


def test_signed_in_staff_always_get_a_fresh_page_and_theirs_is_never_kept(
        app, client, make, login, cached):
    make.group(title_fi="Vanha nimi")
    assert "Vanha nimi" in client.get("/fi/").text  # an anonymous copy is kept
    group = make.group(title_fi="Uusi ryhmä")
    login(make.user(first_name="Oona"))
    page_cache.cache_of(app).clear()
    staff_view = client.get("/fi/")
    assert "Uusi ryhmä" in staff_view.text
    assert 'action="/fi/staff/logout"' in staff_view.text  # their own menu, not a copy
    assert len(page_cache.cache_of(app)) == 0
    group.title_fi = "Uudempi nimi"
    make.session.flush()
    assert "Uudempi nimi" in client.get("/fi/").text


def test_a_successful_change_by_staff_empties_this_workers_memory(app, client, make, login,
                                                                 cached):
    make.group()
    client.get("/fi/")
    assert len(page_cache.cache_of(app)) == 1
    login(make.user())  # a POST by (now) signed-in staff that succeeded
    assert len(page_cache.cache_of(app)) == 0


def test_missing_pages_and_staff_pages_are_not_kept(app, client, make, cached):
    assert client.get("/fi/groups/424242").status_code == 404
    assert client.get("/fi/staff/login").status_code == 200
    assert len(page_cache.cache_of(app)) == 0


def test_on_in_production_off_elsewhere_and_set_by_the_environment(monkeypatch, tmp_path):
    from remote_groups.config import load_config

    monkeypatch.delenv("PUBLIC_PAGE_CACHE_SECONDS", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    production = load_config(str(tmp_path), {"RG_MODE": "production"})
    development = load_config(str(tmp_path), {"RG_MODE": "demo"})
    assert production["PUBLIC_PAGE_CACHE_SECONDS"] == 5
    assert development["PUBLIC_PAGE_CACHE_SECONDS"] == 0
    monkeypatch.setenv("PUBLIC_PAGE_CACHE_SECONDS", "0")
    assert load_config(str(tmp_path), {"RG_MODE": "production"})["PUBLIC_PAGE_CACHE_SECONDS"] == 0


def test_the_memory_is_bounded_and_drops_the_least_recently_used():
    clock = Clock()
    cache = page_cache.PageCache(max_entries=2, clock=clock)
    entry = page_cache._Entry(body=b"x", headers=())
    cache.set("/a", entry, ttl=9)
    cache.set("/b", entry, ttl=9)
    assert cache.get("/a") is entry  # /a used: /b is now the oldest
    cache.set("/c", entry, ttl=9)
    assert cache.get("/b") is None
    assert cache.get("/a") is entry and cache.get("/c") is entry
    clock.now += 9
    assert cache.get("/a") is None  # expired


def test_a_copy_is_only_reused_for_the_same_host_and_query(app, client, make, cached):
    make.group(title_fi="Kuorolaulu")
    client.get("/fi/")
    client.get("/fi/", headers={"Host": "forged.example"})
    client.get("/fi/?area=1")
    assert len(page_cache.cache_of(app)) == 3
