from datetime import timedelta

import pytest
from werkzeug.security import generate_password_hash

from remote_groups.db_types import utcnow
from remote_groups.people.models import User


@pytest.fixture
def cheap_passwords(monkeypatch):
    """Dozens of staff accounts: a one-round hash keeps the seeding fast (tests only)."""
    monkeypatch.setattr(User, "set_password", lambda user, password: setattr(
        user, "password_hash", generate_password_hash(password, "pbkdf2:sha256:1")))


def _seed(make, groups: int, sessions_each: int, areas_n: int = 3) -> list:
    """Every dimension grows with the arguments: areas, their facilitators, groups, sessions
    (some past, some cancelled), so a query per area, person or group would show up."""
    from remote_groups.groups.models import SessionStatus

    areas = [make.area() for _ in range(areas_n)]
    facilitators = [make.user(area=a) for a in areas]
    for g in range(groups):
        group = make.group(areas=areas[g % areas_n:] + areas[:g % areas_n])
        for i in range(sessions_each):
            host = areas[i % areas_n]
            make.session_(group=group, host=host,
                          facilitators=[facilitators[i % areas_n], facilitators[(i + 1) % areas_n]],
                          starts_at=utcnow() + timedelta(days=i - 1, hours=g),
                          status=SessionStatus.CANCELLED if i == 2 else SessionStatus.SCHEDULED)
    return areas


def test_front_page_lists_what_is_on_with_hosts_and_facilitators(client, make):
    area = make.area(name_fi="Pohjois-Karjala")
    ville = make.user(area=area, first_name="Ville", last_name="Esimerkki")
    group = make.group(areas=[area], title_fi="Liikuntaryhmä")
    make.session_(group=group, starts_at=utcnow() - timedelta(minutes=10), facilitators=[ville])
    html = client.get("/fi/").get_data(as_text=True)
    assert "Liikuntaryhmä" in html
    assert "Käynnissä nyt" in html  # the session on now stands out
    assert "Ville" in html and "Esimerkki" not in html  # first names only on public pages
    assert "Pohjois-Karjala" in html


def test_public_pages_use_a_fixed_number_of_queries_however_much_data(client, make,
                                                                     count_queries,
                                                                     cheap_passwords):
    _seed(make, groups=2, sessions_each=3)
    with count_queries() as small:
        assert client.get("/fi/").status_code == 200
    _seed(make, groups=18, sessions_each=3, areas_n=27)  # tenfold: 20 groups, 30 areas
    with count_queries() as large:
        assert client.get("/fi/").status_code == 200
    assert large.count == small.count


def test_group_page_uses_a_fixed_number_of_queries_however_many_sessions(client, make,
                                                                        count_queries,
                                                                        cheap_passwords):
    areas = [make.area() for _ in range(20)]
    people = [make.user(area=a) for a in areas]
    small, large = make.group(areas=areas[:2]), make.group(areas=areas)
    for group, n, co_running in ((small, 3, 2), (large, 30, 20)):  # tenfold
        for i in range(n):
            make.session_(group=group, host=areas[i % co_running],
                          facilitators=[people[i % co_running], people[(i + 1) % co_running]],
                          starts_at=utcnow() + timedelta(days=i + 1))
    with count_queries() as few:
        assert client.get(f"/fi/groups/{small.id}").status_code == 200
    with count_queries() as many:
        assert client.get(f"/fi/groups/{large.id}").status_code == 200
    assert few.count == many.count


def test_staff_session_list_uses_a_fixed_number_of_queries(client, make, login,
                                                         count_queries, cheap_passwords):
    def own_sessions(groups: int, partners: list) -> None:
        for n in range(groups):
            group = make.group(areas=[home_area, *partners])
            for i in range(3):
                make.session_(group=group, host=home_area, facilitators=[viewer, *colleagues],
                              starts_at=utcnow() + timedelta(days=i + 1, hours=n))

    home_area = make.area()
    viewer = make.user(area=home_area)
    colleagues = [make.user(area=home_area)]
    own_sessions(1, _seed(make, groups=2, sessions_each=3))
    login(viewer)
    with count_queries() as small:
        assert client.get("/fi/staff/").status_code == 200
    colleagues += [make.user(area=home_area) for _ in range(9)]
    own_sessions(10, _seed(make, groups=18, sessions_each=3, areas_n=27))  # tenfold
    with count_queries() as large:
        assert client.get("/fi/staff/").status_code == 200
    assert small.count > 1
    assert large.count == small.count


def test_cancelled_sessions_are_not_listed_as_upcoming(client, make):
    from remote_groups.groups.models import SessionStatus

    group = make.group(title_fi="Peruttu ryhmä")
    make.session_(group=group, status=SessionStatus.CANCELLED)
    html = client.get("/fi/").get_data(as_text=True)
    assert "Peruttu ryhmä" not in html.split('id="h-groups"')[0]


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
