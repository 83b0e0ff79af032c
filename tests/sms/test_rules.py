"""Segment counting and quiet hours: plain functions over plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from remote_groups.rules.sms import HELSINKI, in_quiet_hours, segments, send_time


def test_finnish_and_swedish_letters_are_gsm7():
    text = "Hyvää huomenta! Välkommen på träffen. ÅÄÖ åäö"
    result = segments(text)
    assert result.encoding == "GSM-7"
    assert result.units == len(text)
    assert result.count == 1


@pytest.mark.parametrize(("length", "count"), [(0, 1), (1, 1), (160, 1), (161, 2), (306, 2),
                                               (307, 3), (459, 3), (460, 4)])
def test_gsm7_segment_sizes(length, count):
    assert segments("ä" * length).count == count


def test_extension_characters_take_two_places():
    assert segments("€" * 80).units == 160
    assert segments("€" * 80).count == 1
    assert segments("€" * 81).count == 2
    assert segments("a" * 159 + "[").count == 2
    # A split never falls between the escape and its character: 152 + "€" is 154 > 153.
    assert segments("a" * 152 + "€" + "a" * 10).count == 2
    # 306 septets would fit two parts if the pair could be split; it cannot: three.
    assert segments("a" * 152 + "€" + "a" * 152).count == 3


@pytest.mark.parametrize(("length", "count"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_segment_sizes(length, count):
    text = "š" + "a" * (length - 1)  # one letter outside GSM-7 makes the whole text UCS-2
    result = segments(text)
    assert result.encoding == "UCS-2"
    assert result.count == count


def test_typographic_characters_and_emoji_are_ucs2():
    assert segments("Tervetuloa – klo 14").encoding == "UCS-2"
    assert segments("”Hei”").encoding == "UCS-2"
    emoji = segments("👋" * 35)  # a surrogate pair each: 70 units
    assert (emoji.units, emoji.count) == (70, 1)
    assert segments("👋" * 36).count == 2


def _helsinki(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


@pytest.mark.parametrize(("hour", "minute", "quiet"), [
    (7, 59, True), (8, 0, False), (12, 0, False), (20, 59, False), (21, 0, True),
    (23, 30, True), (0, 0, True)])
def test_quiet_hours_are_21_to_8_helsinki_time(hour, minute, quiet):
    assert in_quiet_hours(_helsinki(3, hour, minute)) is quiet


def test_a_text_due_in_the_evening_waits_until_eight():
    assert send_time(_helsinki(3, 22, 15)) == _helsinki(4, 8)
    assert send_time(_helsinki(4, 6, 0)) == _helsinki(4, 8)
    assert send_time(_helsinki(4, 9, 30)) == _helsinki(4, 9, 30)


def test_held_until_eight_when_the_session_is_later():
    # The day-before reminder of a 21:30 session: due 21:30 the day before, sent at 08:00.
    assert send_time(_helsinki(3, 21, 30), _helsinki(4, 21, 30)) == _helsinki(4, 8)
    # The hour-before reminder of an 08:30 session: 07:30 is quiet; 08:00 is still in time.
    assert send_time(_helsinki(4, 7, 30), _helsinki(4, 8, 30)) == _helsinki(4, 8)


def test_sent_at_once_when_the_session_is_sooner_than_the_morning():
    # A 07:00 session: its hour-before reminder cannot wait until 08:00.
    assert send_time(_helsinki(4, 6, 0), _helsinki(4, 7, 0)) == _helsinki(4, 6, 0)
    # 08:00 would leave less than 15 minutes before an 08:10 session: send now.
    assert send_time(_helsinki(4, 7, 10), _helsinki(4, 8, 10)) == _helsinki(4, 7, 10)


def test_summer_time_is_respected():
    summer = datetime(2026, 7, 1, 22, 0, tzinfo=HELSINKI).astimezone(UTC)
    assert send_time(summer) == datetime(2026, 7, 2, 8, 0, tzinfo=HELSINKI).astimezone(UTC)
    assert send_time(summer) - summer == timedelta(hours=10)
