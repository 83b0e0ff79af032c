"""The agreed date forms (TERMS.md), in Helsinki time, never seconds or offsets."""

from datetime import UTC, date, datetime

import pytest

from remote_groups import dates

# 21.12.2026 14.00–16.30 Helsinki (winter, UTC+2); 15.6.2026 9.05 Helsinki (summer, UTC+3).
WINTER_START = datetime(2026, 12, 21, 12, 0, tzinfo=UTC)
WINTER_END = datetime(2026, 12, 21, 14, 30, tzinfo=UTC)
SUMMER = datetime(2026, 6, 15, 6, 5, tzinfo=UTC)


@pytest.mark.parametrize(("lang", "expected"), [
    ("fi", "ma 21.12.2026 klo 14.00–16.30"),
    ("sv", "mån 21.12.2026 kl. 14.00–16.30"),
    ("en", "Mon 21.12.2026 at 14.00–16.30"),
])
def test_a_session_reads_as_agreed(lang, expected):
    assert dates.session_span(WINTER_START, WINTER_END, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("fi", "maanantaina 21. joulukuuta klo 14.00"),
    ("sv", "måndag 21 december kl. 14.00"),
    ("en", "Monday 21 December at 14.00"),
])
def test_running_text_reads_as_agreed(lang, expected):
    assert dates.moment_in_text(WINTER_START, lang) == expected


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_date_alone_is_the_finnish_numeric_form_in_every_language(lang):
    assert dates.date_only(date(2026, 12, 21), lang) == "21.12.2026"
    assert dates.date_only(WINTER_START, lang) == "21.12.2026"


def test_summer_time_is_helsinki_wall_clock_without_a_leading_zero_or_seconds():
    assert dates.moment(SUMMER, "fi") == "ma 15.6.2026 klo 9.05"
    assert dates.moment(SUMMER, "sv") == "mån 15.6.2026 kl. 9.05"


def test_the_helsinki_day_is_used_just_after_midnight():
    # 22.30 UTC on the 20th is 0.30 on the 21st in Helsinki.
    late = datetime(2026, 12, 20, 22, 30, tzinfo=UTC)
    assert dates.weekday_date(late, "fi") == "ma 21.12.2026"


def test_a_session_past_midnight_names_the_end_day():
    start = datetime(2026, 12, 21, 20, 0, tzinfo=UTC)
    end = datetime(2026, 12, 21, 23, 0, tzinfo=UTC)
    assert dates.session_span(start, end, "fi") == "ma 21.12.2026 klo 22.00–ti 22.12.2026 klo 1.00"


def test_without_a_language_the_active_locale_decides(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("sv"):
        assert dates.session_span(WINTER_START, WINTER_END) == "mån 21.12.2026 kl. 14.00–16.30"


def test_a_course_line_says_when_it_meets():
    from datetime import timedelta
    spans = [(WINTER_START + timedelta(weeks=i), WINTER_END + timedelta(weeks=i))
             for i in range(10)]
    assert dates.course_line(spans, "fi") == (
        "maanantaisin klo 14.00–16.30, 21.12.2026–22.2.2027, 10 kertaa")
    assert dates.course_line(spans, "sv") == (
        "måndagar kl. 14.00–16.30, 21.12.2026–22.2.2027, 10 gånger")
    assert dates.course_line(spans[:1], "fi") == "ma 21.12.2026 klo 14.00–16.30, 1 kerta"
