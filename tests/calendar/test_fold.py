"""The faster line folding must give icalendar's bytes exactly, for any text."""

from datetime import UTC, datetime, timedelta

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from remote_groups.calendar import fold, ics

# Plain text, escapes that must not be split from what they escape, and multi-byte letters.
ALPHABET = st.sampled_from(list("abcdefghij ,;:\\^\"äöåÄÖ€😀-0123456789"))
TEXT = st.text(alphabet=ALPHABET, max_size=400) | st.text(max_size=300)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=90))
def test_folding_is_byte_for_byte_icalendars(line, limit):
    line = line.replace("\n", " ").replace("\r", " ")
    assert fold.foldline(line, limit) == fold.original()(line, limit)


def test_the_edges_of_a_75_octet_line():
    original = fold.original()
    for line in ("a" * 74, "a" * 75, "a" * 149, "a" * 73 + "\\n" + "b" * 10,
                 "a" * 72 + "^'" + "b", "ä" * 37, "ä" * 38, "x" * 300):
        assert fold.foldline(line) == original(line)


def test_a_feed_is_built_with_the_faster_folding_and_unfolds_to_the_same_text():
    from icalendar.parser import content_line

    assert content_line._foldline is fold.foldline  # installed by importing ics
    long_description = "Tervetuloa mukaan! " * 20
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    event = ics.EventData(
        uid="fold-test@example.invalid", sequence=0, starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1), summary="Ryhmä", description=long_description,
        url="https://etaryhmat.example.fi/fi/sessions/1/join", location="Video",
        cancelled=False, last_modified=now)
    body = ics.feed([event], name="Ryhmä", refresh=timedelta(hours=1), dtstamp=now)
    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    parsed = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(parsed["DESCRIPTION"]) == long_description
