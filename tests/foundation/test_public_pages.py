from datetime import timedelta

from remote_groups.db_types import utcnow


def _seed(make, groups: int, sessions_each: int) -> None:
    areas = [make.area(), make.area(), make.area()]
    facilitators = [make.user(area=a) for a in areas]
    for g in range(groups):
        group = make.group(areas=areas)
        for i in range(sessions_each):
            host = areas[i % 3]
            make.session_(group=group, host=host, facilitators=[facilitators[i % 3]],
                          starts_at=utcnow() + timedelta(days=i, hours=g))


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
                                                                     count_queries):
    _seed(make, groups=2, sessions_each=3)
    with count_queries() as small:
        assert client.get("/fi/").status_code == 200
    _seed(make, groups=20, sessions_each=3)
    with count_queries() as large:
        assert client.get("/fi/").status_code == 200
    assert large.count == small.count


def test_group_page_uses_a_fixed_number_of_queries_however_many_sessions(client, make,
                                                                        count_queries):
    areas = [make.area(), make.area()]
    people = [make.user(area=a) for a in areas]
    small, large = make.group(areas=areas), make.group(areas=areas)
    for group, n in ((small, 2), (large, 25)):
        for i in range(n):
            make.session_(group=group, host=areas[i % 2], facilitators=[people[i % 2]],
                          starts_at=utcnow() + timedelta(days=i + 1))
    with count_queries() as few:
        client.get(f"/fi/groups/{small.id}")
    with count_queries() as many:
        client.get(f"/fi/groups/{large.id}")
    assert few.count == many.count


def test_cancelled_sessions_are_not_listed_as_upcoming(client, make):
    from remote_groups.groups.models import SessionStatus

    group = make.group(title_fi="Peruttu ryhmä")
    make.session_(group=group, status=SessionStatus.CANCELLED)
    html = client.get("/fi/").get_data(as_text=True)
    assert "Peruttu ryhmä" not in html.split('id="h-groups"')[0]


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
