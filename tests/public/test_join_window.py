"""When the Join button works: from 15 minutes before the start until the end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from remote_groups.groups.joining import JoinState, join_window
from remote_groups.groups.models import GroupKind, SessionStatus

from .conftest import THURSDAY_1300

START = THURSDAY_1300
END = START + timedelta(minutes=90)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (START - timedelta(minutes=16), JoinState.NOT_YET),
        (START - timedelta(minutes=15, microseconds=1), JoinState.NOT_YET),
        (START - timedelta(minutes=15), JoinState.OPEN),
        (START, JoinState.OPEN),
        (END - timedelta(seconds=1), JoinState.OPEN),
        (END, JoinState.ENDED),
        (END + timedelta(days=1), JoinState.ENDED),
    ],
)
def test_the_window_opens_15_minutes_early_and_closes_at_the_end(now, state) -> None:
    window = join_window(START, END, now)
    assert window.state == state
    assert window.opens_at == START - timedelta(minutes=15)


def test_a_cancelled_session_never_opens() -> None:
    assert join_window(START, END, START, cancelled=True).state == JoinState.CANCELLED


# The same edges through the page and the button, with the clock set by the test.


def _session(make, **kw):
    return make.session_(starts_at=START, minutes=90, **kw)


def test_15_minutes_before_the_button_is_there_and_counts(client, make, jitsi, clock, join_count):
    session = _session(make)
    clock(START - timedelta(minutes=15))
    html = client.get(f"/en/sessions/{session.id}/join").get_data(as_text=True)
    assert "Join the video session" in html
    response = client.post(f"/en/sessions/{session.id}/join/video")
    assert response.status_code == 303
    assert response.location.startswith(f"{jitsi}/{session.room_name}?lang=en")
    assert join_count(session) == 1


def test_16_minutes_before_the_page_says_when_it_opens(client, make, jitsi, clock, join_count):
    session = _session(make)
    clock(START - timedelta(minutes=16))
    html = client.get(f"/en/sessions/{session.id}/join").get_data(as_text=True)
    assert "Join the video session" not in html
    assert "The video room opens today at 12.45." in html
    response = client.post(f"/en/sessions/{session.id}/join/video")
    assert response.status_code == 303
    assert response.location.endswith(f"/en/sessions/{session.id}/join")
    assert join_count(session) == 0


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "The video room opens on Thursday 3 December at 12.45."),
        ("fi", "Videohuone avautuu torstaina 3. joulukuuta klo 12.45."),
        ("sv", "Videorummet öppnas torsdag 3 december kl. 12.45."),
    ],
)
def test_days_ahead_the_opening_is_said_in_words_in_helsinki_time(client, make, jitsi, clock,
                                                                   lang, sentence):
    session = _session(make)
    clock(START - timedelta(days=2))
    html = client.get(f"/{lang}/sessions/{session.id}/join").get_data(as_text=True)
    assert sentence in html


def test_after_the_end_the_page_says_it_has_ended(client, make, jitsi, clock, join_count):
    session = _session(make)
    clock(END)
    html = client.get(f"/en/sessions/{session.id}/join").get_data(as_text=True)
    assert "This session has ended." in html
    assert "Join the video session" not in html
    client.post(f"/en/sessions/{session.id}/join/video")
    assert join_count(session) == 0


def test_a_cancelled_session_says_so_and_counts_nothing(client, make, jitsi, clock, join_count):
    session = _session(make, status=SessionStatus.CANCELLED)
    clock(START)
    html = client.get(f"/fi/sessions/{session.id}/join").get_data(as_text=True)
    assert "Tämä tapaaminen on peruttu." in html
    assert "Liity videotapaamiseen" not in html
    client.post(f"/fi/sessions/{session.id}/join/video")
    assert join_count(session) == 0


def test_a_closed_course_points_to_the_personal_link_and_shows_no_room(client, make, jitsi,
                                                                      clock, join_count):
    course = make.group(kind=GroupKind.CLOSED)
    session = _session(make, group=course)
    clock(START)
    html = client.get(f"/en/sessions/{session.id}/join").get_data(as_text=True)
    assert "personal link" in html
    assert session.room_name not in html and jitsi not in html
    response = client.post(f"/en/sessions/{session.id}/join/video")
    assert jitsi not in response.location
    assert join_count(session) == 0
