"""The quick date and time formatting used on every session card says exactly what
flask_babel's formatting said: same words, same Helsinki time, also across the changes to
and from summer time."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from remote_groups.i18n import format_local_date, format_local_time, local_time

# Around the spring and autumn changes in Helsinki (03:00 -> 04:00 on 29 March 2026,
# 04:00 -> 03:00 on 25 October 2026), midnight in Helsinki and UTC, and an ordinary day.
MOMENTS = [
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 21, 59, tzinfo=UTC),
    datetime(2026, 12, 31, 22, 0, tzinfo=UTC),
    datetime(2026, 12, 3, 10, 45, tzinfo=UTC),
    datetime(2026, 7, 1, 23, 15),  # naive: UTC, as flask_babel takes it
]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_dates_are_the_helsinki_day_in_the_agreed_form(app, lang):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        for moment in MOMENTS:
            day = local_time(moment.replace(tzinfo=moment.tzinfo or UTC)).date()
            assert format_local_date(moment, "short") == f"{day.day}.{day.month}.{day.year}"
            assert format_local_date(moment, "full").endswith(
                f" {day.day}.{day.month}.{day.year}"), moment


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_times_are_the_helsinki_clock_without_seconds(app, lang):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        for moment in MOMENTS:
            local = local_time(moment.replace(tzinfo=moment.tzinfo or UTC))
            text = format_local_time(moment)
            hour, minute = text.split(".")
            assert (int(hour), int(minute)) == (local.hour, local.minute), (moment, text)
            assert ":" not in text


def test_a_summer_and_a_winter_time_in_finnish(app):
    with app.test_request_context("/fi/"), force_locale("fi"):
        summer = datetime(2026, 6, 4, 9, 0, tzinfo=UTC)
        winter = summer + timedelta(days=180)
        assert format_local_time(summer) == "12.00"
        assert format_local_time(winter) == "11.00"
        assert format_local_date(summer, "full") == "to 4.6.2026"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_session_time_says_day_and_times_in_one_agreed_phrase(app, lang):
    from flask import render_template_string

    from remote_groups import dates

    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        for moment in MOMENTS[:-1]:
            session = Slot(moment, moment + timedelta(minutes=90))
            ours = render_template_string(
                '{% from "macros.html" import session_time %}{{ session_time(s) }}', s=session)
            assert f'<time datetime="{moment.isoformat()}">' in ours
            assert dates.session_span(session.starts_at, session.ends_at, lang) in ours


class Slot:
    def __init__(self, starts_at: datetime, ends_at: datetime) -> None:
        self.starts_at, self.ends_at = starts_at, ends_at
