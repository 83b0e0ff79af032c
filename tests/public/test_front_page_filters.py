"""The front page's filters: a plain GET form that works without JavaScript, keeps the
visitor's choices, says plainly when nothing matches, and costs the same number of queries
however much there is to show."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.filters import SessionFilter, parse_filter
from remote_groups.groups.models import InstructionLanguage, Theme


@pytest.fixture
def programme(make):
    """Three open groups in two areas, each with a session tomorrow."""
    north = make.area(name_fi="Pohjoinen alue", name_sv="Norra området")
    south = make.area(name_fi="Eteläinen alue", name_sv="Södra området", languages="fi,sv")
    tomorrow = utcnow() + timedelta(days=1)
    groups = {
        "exercise_fi": make.group(areas=[north], theme=Theme.EXERCISE, title_fi="Tuolijumppa",
                                  instruction_language=InstructionLanguage.FI),
        "culture_sv": make.group(areas=[south], theme=Theme.CULTURE, title_sv="Kulturcafé",
                                 title_fi="Kulttuurikahvila",
                                 instruction_language=InstructionLanguage.SV),
        "rest_both": make.group(areas=[north, south], theme=Theme.REST, title_fi="Lepohetki",
                                title_sv="Vilostund",
                                instruction_language=InstructionLanguage.BOTH),
    }
    for i, group in enumerate(groups.values()):
        make.session_(group=group, starts_at=tomorrow + timedelta(hours=i))
    return {"north": north, "south": south, **groups}


def listed(html: str) -> str:
    """The part of the page listing sessions (before the list of all groups)."""
    return html.split('id="h-groups"')[0]


def test_theme_filter_shows_only_that_theme(client, programme) -> None:
    html = listed(client.get("/fi/?theme=exercise").get_data(as_text=True))
    assert "Tuolijumppa" in html
    assert "Kulttuurikahvila" not in html and "Lepohetki" not in html


def test_swedish_instruction_includes_groups_taught_in_both_languages(client, programme) -> None:
    html = listed(client.get("/sv/?language=sv").get_data(as_text=True))
    assert "Kulturcafé" in html and "Vilostund" in html
    assert "Tuolijumppa" not in html


def test_area_filter_shows_the_groups_the_area_co_runs(client, programme) -> None:
    html = listed(client.get(f"/fi/?area={programme['north'].id}").get_data(as_text=True))
    assert "Tuolijumppa" in html and "Lepohetki" in html
    assert "Kulttuurikahvila" not in html


def test_filters_combine(client, programme) -> None:
    url = f"/fi/?theme=rest&language=fi&area={programme['south'].id}"
    html = listed(client.get(url).get_data(as_text=True))
    assert "Lepohetki" in html
    assert "Tuolijumppa" not in html and "Kulttuurikahvila" not in html


def test_the_form_keeps_the_choices_and_has_a_show_button(client, programme) -> None:
    south = programme["south"].id
    html = client.get(f"/fi/?theme=culture&language=sv&area={south}").get_data(as_text=True)
    assert re.search(r'<form method="get"', html)
    assert '<button type="submit" class="button">Näytä</button>' in html
    assert '<option value="culture" selected>' in html
    assert '<option value="sv" selected>' in html
    assert f'<option value="{south}" selected>' in html
    for label in ("f-theme", "f-language", "f-area"):
        assert f'<label for="{label}">' in html


def test_nothing_matching_is_said_plainly_with_a_way_back(client, programme) -> None:
    html = client.get(f"/en/?theme=nutrition&area={programme['north'].id}").get_data(as_text=True)
    assert "No sessions match your choices." in html
    assert "No groups match your choices." in html
    assert '<a class="action-link" href="/en/">Show everything</a>' in html


def test_unknown_filter_values_show_everything_instead_of_an_error(client, programme) -> None:
    response = client.get("/fi/?theme=<script>&language=xx&area=abc")
    html = listed(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Tuolijumppa" in html and "Kulttuurikahvila" in html and "Lepohetki" in html


def test_parse_filter_reads_known_values_and_ignores_the_rest() -> None:
    assert parse_filter({"theme": "exercise", "language": "sv", "area": "12"}) == SessionFilter(
        theme=Theme.EXERCISE, language=InstructionLanguage.SV, area_id=12
    )
    assert parse_filter({"theme": "EXERCISE", "language": "", "area": "-1"}) == SessionFilter()
    assert parse_filter({"area": "9" * 40}) == SessionFilter()
    assert not parse_filter({}).active


def _seed(make, areas, groups: int) -> None:
    people = [make.user(area=a) for a in areas]
    for g in range(groups):
        group = make.group(areas=areas, theme=Theme.EXERCISE if g % 2 else Theme.CULTURE,
                           instruction_language=InstructionLanguage.FI)
        for i in range(3):
            make.session_(group=group, host=areas[i % 2], facilitators=[people[i % 2]],
                          starts_at=utcnow() + timedelta(days=i, hours=g))


def test_filtered_front_page_costs_the_same_queries_however_much_data(client, make,
                                                                     count_queries) -> None:
    areas = [make.area(), make.area()]
    url = f"/fi/?theme=exercise&language=fi&area={areas[0].id}"
    _seed(make, areas, groups=2)
    with count_queries() as small:
        assert "Ryhmä" in listed(client.get(url).get_data(as_text=True))
    _seed(make, areas, groups=20)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count
