"""Report pages and CSV exports through HTTP, signed in as facilitators and coordinators."""

import csv
import io

from remote_groups.people.models import Role


def _parse(response):
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_coordinator_sees_every_area_with_chart_table_and_csv_links(client, make, login, dataset):
    login(make.user(area=dataset.a, role=Role.COORDINATOR))
    page = client.get("/fi/staff/reports/?start=2026-03-01&end=2026-03-31")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    for name in ("Alue A", "Alue B", "Avoin ruotsiksi"):
        assert name in body
    assert body.count('role="img"') == 4 and body.count("<caption>") == 7  # + missing texts
    assert "Hyvä kurssi; kiitos" in body and "Liian aikaisin" not in body  # April's is out
    assert 'aria-labelledby="chart-languages-title chart-languages-desc"' in body
    assert "/fi/staff/reports/language-balance.csv?start=2026-03-01&amp;end=2026-03-31" in body


def test_language_balance_csv_parses_back_with_the_hand_counted_figures(client, make, login,
                                                                        dataset):
    login(make.user(area=dataset.a, role=Role.COORDINATOR))
    response = client.get("/fi/staff/reports/language-balance.csv?start=2026-03-01&end=2026-03-31")
    assert response.content_type == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _parse(response)
    assert rows[0] == ["Alue", "Tapaamisia suomeksi", "Tunteja suomeksi",
                       "Tapaamisia ruotsiksi", "Tunteja ruotsiksi"]
    assert rows[1:] == [["Alue A", "4", "7,5", "2", "5,0"], ["Alue B", "2", "3,0", "2", "4,0"],
                        ["Kaikki alueet", "6", "10,5", "4", "9,0"]]


def test_every_table_exports_in_swedish_and_english(client, make, login, dataset):
    login(make.user(area=dataset.a, role=Role.COORDINATOR))
    for key in ("sessions-by-area", "sessions-by-group", "language-balance", "applications",
                "feedback", "comments"):
        rows = _parse(client.get(f"/sv/staff/reports/{key}.csv?start=2026-03-01&end=2026-03-31"))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    feedback = _parse(client.get("/sv/staff/reports/feedback.csv?start=2026-03-01&end=2026-03-31"))
    assert feedback[1][:3] == ["Rekommenderar", "3", "4,0"]
    applications = _parse(client.get(
        "/sv/staff/reports/applications.csv?start=2026-03-01&end=2026-03-31"))
    assert applications[1:] == [["Kurs på två språk", "4", "2", "1", "0", "1", "0"],
                                ["Alla kurser", "4", "2", "1", "0", "1", "0"]]
    comments = _parse(client.get("/sv/staff/reports/comments.csv?start=2026-03-01&end=2026-03-31"))
    assert comments == [["Grupp", "Datum", "Kommentar"],
                        ["Kurs på två språk", "2026-03-20", "Hyvä kurssi; kiitos"]]
    english = client.get("/en/staff/reports/sessions-by-area.csv").get_data().decode("utf-8-sig")
    header, *_rows = csv.reader(io.StringIO(english))  # English: "," separated
    assert header[0] == "Area" and len(header) == 6
    assert client.get("/fi/staff/reports/nothing.csv").status_code == 404


def test_a_formula_in_a_group_name_is_neutralised_in_csv(client, make, login, db_session):
    area = make.area()
    make.session_(group=make.group(areas=[area], title_fi="=HYPERLINK(1)"), host=area)
    db_session.commit()
    login(make.user(area=area, role=Role.COORDINATOR))
    rows = _parse(client.get("/fi/staff/reports/sessions-by-group.csv"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_a_facilitator_sees_only_their_own_area_whatever_the_url_says(client, make, login,
                                                                      dataset):
    login(make.user(area=dataset.b, role=Role.FACILITATOR))
    body = client.get(f"/fi/staff/reports/?area={dataset.a.id}&start=2026-03-01&end=2026-03-31"
                      ).get_data(as_text=True)
    assert "Kurssi kahdella kielellä" not in body  # G3 is area A's alone
    rows = _parse(client.get(f"/fi/staff/reports/sessions-by-area.csv?area={dataset.a.id}"
                             "&start=2026-03-01&end=2026-03-31"))
    assert [r[0] for r in rows[1:]] == ["Alue B", "Kaikki alueet"]
    # Pages count from the real today, when all of March has passed: session 4 was held too.
    assert rows[1][1:] == ["4", "0", "0", "7,0", "12"]


def test_a_bad_period_is_explained_and_the_rest_of_the_filter_still_applies(client, make, login,
                                                                           dataset):
    login(make.user(area=dataset.a, role=Role.COORDINATOR))
    response = client.get(f"/fi/staff/reports/?group={dataset.g2.id}&start=2026-03-31"
                          "&end=2026-03-01")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Loppupäivä ei voi olla ennen alkupäivää." in body
    assert 'aria-invalid="true"' in body


def test_reports_need_sign_in(client, dataset):
    assert client.get("/fi/staff/reports/").status_code == 302
    assert client.get("/fi/staff/reports/feedback.csv").status_code == 302
