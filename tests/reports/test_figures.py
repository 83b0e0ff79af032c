"""The pure figure functions on plain rows, against sums done by hand."""

from remote_groups.reports import figures as fg
from remote_groups.reports.figures import ApplicationRow, AttendanceRow, RatingRow, SessionRow


def _row(area=1, group=1, language="fi", open_group=True, cancelled=False, past=True,
         sessions=1, minutes=90, joins=0):
    return SessionRow(area, group, language, open_group, cancelled, past, sessions, minutes, joins)


ROWS = [
    _row(area=1, group=1, sessions=2, minutes=180, joins=9),
    _row(area=1, group=1, cancelled=True, sessions=1, minutes=90, joins=4),
    _row(area=2, group=2, language="sv", past=False, sessions=1, minutes=120, joins=0),
    _row(area=2, group=3, language="both", open_group=False, sessions=3, minutes=450, joins=6),
]


def test_session_totals_count_held_upcoming_cancelled_hours_and_open_joins():
    t = fg.session_totals(ROWS)
    assert (t.held, t.upcoming, t.cancelled) == (5, 1, 1)
    assert t.minutes_offered == 180 + 120 + 450 and t.hours_offered == 12.5
    assert t.joins == 9  # cancelled and closed-course joins are not counted
    assert t.offered == 6


def test_totals_by_area_and_group_add_up_to_the_whole():
    by_area = fg.totals_by_area(ROWS)
    assert by_area[1].held == 2 and by_area[1].cancelled == 1 and by_area[1].hours_offered == 3.0
    assert by_area[2].held == 3 and by_area[2].upcoming == 1 and by_area[2].hours_offered == 9.5
    by_group = fg.totals_by_group(ROWS)
    assert sum(t.minutes_offered for t in by_group.values()) == 750


def test_both_languages_count_for_finnish_and_for_swedish_and_cancelled_for_neither():
    balance = fg.language_balance(ROWS)
    assert balance.by_area[1]["fi"].sessions == 2 and balance.by_area[1]["sv"].sessions == 0
    assert (balance.by_area[2]["fi"].sessions, balance.by_area[2]["fi"].hours) == (3, 7.5)
    assert (balance.by_area[2]["sv"].sessions, balance.by_area[2]["sv"].hours) == (4, 9.5)
    assert (balance.overall["fi"].sessions, balance.overall["fi"].minutes) == (5, 630)
    assert (balance.overall["sv"].sessions, balance.overall["sv"].minutes) == (4, 570)


def test_item_figures_give_count_mean_and_distribution_in_item_order():
    rows = [RatingRow(7, 5, 2), RatingRow(7, 4, 1), RatingRow(7, 1, 1), RatingRow(3, 2, 1)]
    figs = fg.item_figures(rows, [3, 7, 9])
    assert [f.item_id for f in figs] == [3, 7, 9]
    assert figs[1].answers == 4 and figs[1].average == 3.75  # (5+5+4+1)/4
    assert figs[1].distribution == (1, 0, 0, 1, 2)
    assert figs[2].answers == 0 and figs[2].average is None


def test_application_totals_and_attendance_rate():
    apps = fg.application_totals([
        ApplicationRow(1, "accepted", 6), ApplicationRow(1, "waiting", 2),
        ApplicationRow(2, "accepted", 4), ApplicationRow(2, "declined", 1),
        ApplicationRow(2, "withdrawn", 1),
    ])
    assert (apps.applicants, apps.participants, apps.waiting, apps.declined, apps.withdrawn) == (
        14, 10, 2, 1, 1)
    rate = fg.attendance_rate([AttendanceRow("present", 7), AttendanceRow("absent_with_notice", 2),
                               AttendanceRow("absent_no_notice", 3)])
    assert rate == 58.3  # 7 of 12
    assert fg.attendance_rate([]) is None
