"""The national list of groups comes a page at a time: the front page shows a few and links
to the full list, which pages forward and back and keeps the filters."""

from remote_groups.groups.models import Theme


def _groups(make, n, **kw):
    area = make.area()
    return [make.group(areas=[area], title_fi=f"Ryhmä numero {i:03}", **kw) for i in range(n)]


def test_front_page_shows_a_few_groups_and_links_to_all(client, make):
    _groups(make, 15)
    html = client.get("/fi/").get_data(as_text=True)
    assert html.count("Ryhmä numero") == 12
    assert 'href="/fi/groups"' in html and "Näytä kaikki ryhmät ja kurssit" in html


def test_full_list_pages_forward_and_back_and_keeps_the_filter(client, make):
    _groups(make, 45, theme=Theme.EXERCISE)
    _groups(make, 3, theme=Theme.CULTURE)
    first = client.get("/fi/groups?theme=exercise").get_data(as_text=True)
    assert first.count("Ryhmä numero") == 40
    assert 'href="/fi/groups?page=2&amp;theme=exercise"' in first
    second = client.get("/fi/groups?page=2&theme=exercise").get_data(as_text=True)
    assert second.count("Ryhmä numero") == 5 and "Sivu 2" in second
    assert "Seuraava sivu" not in second and "Edellinen sivu" in second


def test_nonsense_page_numbers_show_the_first_page(client, make):
    _groups(make, 2)
    for page in ("0", "-1", "abc", "99999999999"):
        response = client.get(f"/fi/groups?page={page}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("Ryhmä numero") == 2


def test_group_list_queries_do_not_grow_with_the_number_of_groups(client, make, count_queries):
    _groups(make, 3)
    with count_queries() as few:
        client.get("/fi/groups")
    _groups(make, 60)
    with count_queries() as many:
        client.get("/fi/groups")
    assert few.count == many.count
