"""The SQL side of the reports against the hand-counted data set in conftest.py."""

from datetime import date

from remote_groups.courses.service import accepted_participants
from remote_groups.reports import figures as fg
from remote_groups.reports.queries import (
    ReportFilter,
    answer_counts,
    application_rows,
    rating_rows,
    session_rows,
)
from remote_groups.reports.tables import build_report

from .conftest import NOW

MARCH = ReportFilter(start=date(2026, 3, 1), end=date(2026, 3, 31))


def test_march_totals_match_the_hand_count(dataset):
    t = fg.session_totals(session_rows(MARCH, NOW))
    # held: sessions 1 2 5 6 7 8 9; upcoming: 4; cancelled: 3; session 10 is in February.
    assert (t.held, t.upcoming, t.cancelled) == (7, 1, 1)
    assert t.minutes_offered == 90 + 90 + 90 + 120 + 120 + 150 + 150 + 60  # 870
    assert t.hours_offered == 14.5
    assert t.joins == 7 + 5 + 3 + 4 + 1  # open groups only: session 7 is a course


def test_per_area_and_per_group(dataset):
    rows = session_rows(MARCH, NOW)
    by_area = fg.totals_by_area(rows)
    a, b = by_area[dataset.a.id], by_area[dataset.b.id]
    assert (a.held, a.upcoming, a.cancelled, a.hours_offered, a.joins) == (4, 0, 1, 7.5, 8)
    assert (b.held, b.upcoming, b.cancelled, b.hours_offered, b.joins) == (3, 1, 0, 7.0, 12)
    by_group = fg.totals_by_group(rows)
    g1 = by_group[dataset.g1.id]
    assert (g1.held, g1.upcoming, g1.cancelled, g1.hours_offered, g1.joins) == (3, 1, 1, 5.5, 13)
    assert by_group[dataset.g2.id].hours_offered == 4.0
    assert by_group[dataset.g3.id].joins == 0


def test_language_balance_per_area_and_overall(dataset):
    balance = fg.language_balance(session_rows(MARCH, NOW))
    a, b = balance.by_area[dataset.a.id], balance.by_area[dataset.b.id]
    assert (a["fi"].sessions, a["fi"].hours, a["sv"].sessions, a["sv"].hours) == (4, 7.5, 2, 5.0)
    assert (b["fi"].sessions, b["fi"].hours, b["sv"].sessions, b["sv"].hours) == (2, 3.0, 2, 4.0)
    overall = balance.overall
    assert (overall["fi"].sessions, overall["fi"].hours) == (6, 10.5)
    assert (overall["sv"].sessions, overall["sv"].hours) == (4, 9.0)


def test_area_and_group_filters(dataset):
    area_a = ReportFilter(area_id=dataset.a.id, start=MARCH.start, end=MARCH.end)
    t = fg.session_totals(session_rows(area_a, NOW))
    assert (t.held, t.cancelled, t.hours_offered, t.joins) == (4, 1, 7.5, 8)
    g2 = fg.session_totals(session_rows(ReportFilter(group_id=dataset.g2.id), NOW))
    assert (g2.held, g2.hours_offered, g2.joins) == (2, 4.0, 7)
    everything = fg.session_totals(session_rows(ReportFilter(), NOW))
    assert everything.held == 8 and everything.joins == 120  # February's session 10 too


def test_feedback_averages_in_march_and_for_area_a(dataset):
    figs = {f.item_id: f for f in fg.item_figures(rating_rows(MARCH),
                                                   [dataset.i1.id, dataset.i2.id])}
    i1, i2 = figs[dataset.i1.id], figs[dataset.i2.id]
    assert (i1.answers, i1.average, i1.distribution) == (3, 4.0, (0, 0, 1, 1, 1))  # 5, 3, 4
    assert (i2.answers, i2.average, i2.distribution) == (2, 3.0, (0, 1, 0, 1, 0))  # 4, 2
    assert answer_counts(MARCH) == {"session": 2, "course": 1}
    area_a = ReportFilter(area_id=dataset.a.id, start=MARCH.start, end=MARCH.end)
    figs_a = fg.item_figures(rating_rows(area_a), [dataset.i1.id])
    assert figs_a[0].average == 4.5  # G1's 5 and G3's 4; G2 is B's alone
    assert answer_counts(area_a) == {"session": 1, "course": 1}


def test_the_report_runs_a_fixed_number_of_queries(dataset, make, db_session, count_queries,
                                                   app):
    def queries_for_report() -> int:
        with app.test_request_context("/fi/"), count_queries() as counter:
            build_report(MARCH, NOW, "fi")
        return counter.count

    before = queries_for_report()
    for _ in range(5):
        area = make.area()
        group = make.group(areas=[area])
        for day in (3, 10, 17):
            make.session_(group=group, host=area, starts_at=dataset.s[1].starts_at.replace(day=day))
    db_session.commit()
    assert queries_for_report() == before


def test_applicants_and_participants_in_march(app, dataset):
    with app.test_request_context("/fi/"):
        rows = application_rows(MARCH)
        assert rows is not None
        t = fg.application_totals(rows)
        assert (t.applicants, t.participants, t.waiting, t.declined, t.pending) == (4, 2, 1, 1, 0)
        everything = fg.application_totals(application_rows(ReportFilter()))
        assert (everything.applicants, everything.pending) == (5, 1)
        area_b = application_rows(ReportFilter(area_id=dataset.b.id))
        assert area_b == []  # G3 is area A's course


def test_the_end_survey_goes_to_accepted_participants_only(dataset):
    assert accepted_participants(dataset.g3) == [("hakija0@example.com", "fi"),
                                                 ("hakija1@example.com", "sv")]
