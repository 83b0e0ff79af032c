"""Numbers typed into query strings and forms: "²" is a digit to `str.isdigit()` but not to
`int()`, and a 26-digit id does not fit the database's column. Both are refused quietly
(treated as "all" or as a wrong answer), never a server error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from remote_groups.db_types import database_id, utcnow
from remote_groups.groups.models import GroupKind
from remote_groups.people.models import Role

ODD = ["²", "99999999999999999999999999", "-1", "0", "١٢"]


@pytest.mark.parametrize("text,expected", [
    ("12", 12), (" 7 ", 7), ("2147483647", 2147483647), ("2147483648", None), ("²", None),
    ("١٢", None), ("", None), (None, None), ("0", None), ("-3", None), ("1.5", None),
])
def test_database_id_accepts_only_ids_the_database_can_hold(text, expected):
    assert database_id(text) == expected


@pytest.mark.parametrize("odd", ODD)
def test_public_lists_ignore_an_odd_area_or_page(client, make, db_session, odd):
    make.group()
    db_session.commit()
    assert client.get("/fi/", query_string={"area": odd}).status_code == 200
    assert client.get("/fi/groups", query_string={"area": odd, "page": odd}).status_code == 200


def test_session_feedback_calls_a_superscript_score_a_wrong_answer(client, make, db_session):
    session = make.session_(starts_at=utcnow() - timedelta(hours=2))
    db_session.commit()
    import re

    form = client.get(f"/fi/sessions/{session.id}/feedback").get_data(as_text=True)
    item = re.search(r'name="(item-\d+)"', form).group(1)
    answer = client.post(f"/fi/sessions/{session.id}/feedback", data={item: "²"})
    assert answer.status_code == 400


@pytest.mark.parametrize("odd", ODD)
def test_staff_filters_ignore_an_odd_area_or_group(client, make, db_session, login, odd):
    area = make.area()
    course = make.group([area], kind=GroupKind.CLOSED)
    admin = make.user(area, Role.ADMIN)
    db_session.commit()
    login(admin)
    assert client.get(f"/fi/staff/courses/{course.id}/applications",
                      query_string={"area": odd}).status_code == 200
    assert client.get("/fi/staff/reports/",
                      query_string={"area": odd, "group": odd}).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_reports_refuse_a_date_outside_the_services_years(client, make, db_session, login, day):
    area = make.area()
    admin = make.user(area, Role.ADMIN)
    db_session.commit()
    login(admin, lang="en")
    for path in ("/en/staff/reports/", "/en/staff/reports/sessions-by-area.csv"):
        page = client.get(path, query_string={"start": day, "end": day})
        assert page.status_code == 200, path
    html = client.get("/en/staff/reports/", query_string={"start": day}).get_data(as_text=True)
    assert "Give a date between the years 2000 and 2100." in html
