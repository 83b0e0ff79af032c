"""Finnish and Swedish on a par: a group shown on Swedish pages either has Swedish texts or
says visibly which language its texts are in; staff are warned on the group form and see the
gaps per area in the reports."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from remote_groups.groups.models import Group
from remote_groups.people.models import Role


@pytest.fixture
def areas(make: Any, db_session: Any) -> tuple[Any, Any]:
    west = make.area(languages="fi,sv", name_fi="Länsi-Alue", name_sv="Västra området")
    east = make.area(name_fi="Itä-Alue", name_sv="Östra området")
    db_session.commit()
    return west, east


def test_a_group_without_swedish_texts_says_on_swedish_pages_that_they_are_in_finnish(
        client, make, db_session, areas):
    group = make.group([areas[0]], title_fi="Liikuntaryhmä", title_sv="",
                       summary_fi="Liikutaan yhdessä.", summary_sv="",
                       description_fi="Tule mukaan.")
    make.session_(group)
    db_session.commit()
    page = client.get(f"/sv/groups/{group.id}").get_data(as_text=True)
    assert '<span lang="fi">Liikuntaryhmä</span> <span class="text-language">(på finska)</span>' \
        in page
    assert '<span lang="fi">Liikutaan yhdessä.</span> <span class="text-language">' \
           '(på finska)</span>' in page
    assert '<p lang="fi">Tule mukaan.</p>' in page and page.count("(på finska)") >= 3
    listing = client.get("/sv/groups").get_data(as_text=True)
    assert '<span lang="fi">Liikuntaryhmä</span> <span class="text-language">(på finska)</span>' \
        in listing
    # In Finnish the same texts are the page's own: nothing to say.
    assert "(suomeksi)" not in client.get(f"/fi/groups/{group.id}").get_data(as_text=True)


def test_a_group_with_swedish_texts_shows_them_without_a_language_note(client, make, db_session,
                                                                        areas):
    group = make.group([areas[0]], title_fi="Liikuntaryhmä", title_sv="Motionsgrupp")
    db_session.commit()
    page = client.get(f"/sv/groups/{group.id}").get_data(as_text=True)
    assert "<h1>Motionsgrupp</h1>" in page
    assert "(på finska)" not in page


def _form(west: Any, **changes: Any) -> dict[str, Any]:
    data = {"title_fi": "Uusi ryhmä", "title_sv": "Ny grupp", "summary_fi": "Lyhyt",
            "summary_sv": "Kort", "kind": "open", "theme": "exercise",
            "instruction_language": "fi", "rotation-0": west.id, "rotation-1": ""}
    data.update(changes)
    return data


def test_the_group_form_warns_when_swedish_texts_are_missing(client, make, login, db_session,
                                                            areas):
    west, _east = areas
    login(make.user(area=west, role=Role.COORDINATOR))
    db_session.commit()
    warning = "Osa teksteistä puuttuu ruotsiksi."

    response = client.post("/fi/staff/series/groups/new", data=_form(west, summary_sv=""),
                           follow_redirects=True)
    assert warning in response.get_data(as_text=True)  # after saving
    group = db_session.scalar(select(Group).where(Group.title_fi == "Uusi ryhmä"))
    manage = client.get(f"/fi/staff/series/groups/{group.id}").get_data(as_text=True)
    assert warning in manage  # and on the group's page until it is fixed

    # A form sent back for another reason already says it, next to the texts.
    refused = client.post("/fi/staff/series/groups/new",
                          data=_form(west, title_fi="Toinen", title_sv="",
                                     **{"rotation-0": "999999"}))
    assert refused.status_code == 200 and warning in refused.get_data(as_text=True)

    complete = client.post("/fi/staff/series/groups/new", data=_form(west, title_fi="Kolmas"),
                           follow_redirects=True)
    assert "Osa teksteistä puuttuu" not in complete.get_data(as_text=True)


def test_reports_list_per_area_the_groups_without_swedish_or_finnish_texts(
        client, make, login, db_session, areas):
    west, east = areas
    make.group([west, east], title_fi="Vain suomeksi", title_sv="", summary_sv="")
    make.group([east], title_fi="", title_sv="Bara på svenska", summary_fi="", summary_sv="Kort")
    make.group([west], title_fi="Molemmat", title_sv="Båda")
    coordinator = make.user(area=west, role=Role.COORDINATOR)
    facilitator = make.user(area=east)
    db_session.commit()

    login(coordinator)
    page = client.get("/fi/staff/reports/").get_data(as_text=True)
    section = page.split('id="h-missing-texts"')[1].split("</section>")[0]
    rows = {row.split("</th>")[0]: row
            for row in section.split('<th scope="row">')[1:]}
    assert set(rows) == {"Länsi-Alue", "Itä-Alue"}
    assert "Vain suomeksi" in rows["Länsi-Alue"] and "Molemmat" not in rows["Länsi-Alue"]
    assert "Vain suomeksi" in rows["Itä-Alue"] and "Bara på svenska" in rows["Itä-Alue"]
    csv = client.get("/fi/staff/reports/missing-texts.csv").get_data(as_text=True)
    assert "Bara på svenska" in csv

    client.post("/fi/staff/logout")
    login(facilitator)
    page = client.get("/sv/staff/reports/").get_data(as_text=True)
    section = page.split('id="h-missing-texts"')[1].split("</section>")[0]
    assert "Östra området" in section and "Västra området" not in section
