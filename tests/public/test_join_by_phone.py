"""Joining by phone through the join page, with the deployment's dial-in APIs served on
loopback: numbers and a PIN in groups of three when they answer; a plain sentence, and a page
that still works, when they are slow, broken, answer nonsense or are not configured."""

from __future__ import annotations

import time

import pytest
from werkzeug import Request, Response

from .conftest import MUC

NUMBERS = [
    {"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 4245 0000"},
    {"countryCode": "se", "tollFree": True, "formattedNumber": "+46 20 000 000"},
]
UNAVAILABLE = "Joining by phone is not available right now"


def serve(dialin, session, numbers=NUMBERS, pin=None) -> None:
    dialin.expect_request("/phoneNumberList").respond_with_json(numbers)
    conference = f"{session.room_name}@{MUC}"
    answer = pin if pin is not None else {"id": 123456789, "conference": conference}
    dialin.expect_request("/conferenceMapper", query_string={"conference": conference}) \
        .respond_with_json(answer)


def test_numbers_and_pin_in_groups_of_three(client, on_now, dialin) -> None:
    serve(dialin, on_now)
    response = client.get(f"/en/sessions/{on_now.id}/join")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "123 456 789" in html
    assert "+358 9 4245 0000" in html and "+46 20 000 000" in html
    # One tap on a phone dials the number, waits, and types the PIN and "#".
    assert 'href="tel:+358942450000,,123456789%23"' in html
    assert "free of charge" in html  # the toll-free Swedish number says so
    assert UNAVAILABLE not in html


def test_the_numbers_are_asked_once_and_then_remembered(client, on_now, dialin) -> None:
    serve(dialin, on_now)
    for _ in range(3):
        assert "123 456 789" in client.get(f"/fi/sessions/{on_now.id}/join").get_data(as_text=True)
    assert len(dialin.log) == 2  # one numbers lookup and one PIN lookup for three page views


def test_phone_details_in_swedish(client, on_now, dialin) -> None:
    serve(dialin, on_now)
    html = client.get(f"/sv/sessions/{on_now.id}/join").get_data(as_text=True)
    assert "PIN-kod:" in html and "123 456 789" in html
    assert "Gå med per telefon" in html


def _slow(request: Request) -> Response:
    time.sleep(1.0)  # the app waits 0.3 s at most
    return Response("[]", content_type="application/json")


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda d: d.expect_request("/phoneNumberList").respond_with_handler(_slow),
                     id="slow-numbers"),
        pytest.param(lambda d: d.expect_request("/conferenceMapper").respond_with_handler(_slow),
                     id="slow-pin"),
        pytest.param(lambda d: d.expect_request("/phoneNumberList")
                     .respond_with_data("oops", status=500), id="server-error"),
        pytest.param(lambda d: d.expect_request("/conferenceMapper")
                     .respond_with_data("<html>not json</html>", content_type="text/html"),
                     id="garbage-pin"),
        pytest.param(lambda d: d.expect_request("/phoneNumberList")
                     .respond_with_json({"numbers": "nope"}), id="garbage-numbers"),
        pytest.param(lambda d: d.expect_request("/phoneNumberList")
                     .respond_with_json([{"countryCode": "fi",
                                          "formattedNumber": "call javascript:alert(1)"}]),
                     id="not-a-phone-number"),
    ],
)
def test_when_dial_in_fails_the_page_says_so_and_still_works(client, on_now, dialin,
                                                             break_it) -> None:
    break_it(dialin)  # registered first, so it wins over the good answers below
    serve(dialin, on_now)
    response = client.get(f"/en/sessions/{on_now.id}/join")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert UNAVAILABLE in html
    assert "tel:" not in html and "123 456 789" not in html
    assert "Join the video session" in html  # video joining is unaffected


def test_without_dial_in_settings_the_page_says_phone_joining_is_unavailable(client, on_now,
                                                                             jitsi) -> None:
    html = client.get(f"/fi/sessions/{on_now.id}/join").get_data(as_text=True)
    assert "Puhelimella liittyminen ei ole juuri nyt mahdollista" in html
    assert "Liity videotapaamiseen" in html


def test_no_dial_in_lookups_before_the_room_opens(client, make, dialin) -> None:
    session = make.session_()  # tomorrow
    serve(dialin, session)
    html = client.get(f"/en/sessions/{session.id}/join").get_data(as_text=True)
    assert "The video room opens" in html
    assert "123 456 789" not in html
    assert dialin.log == []


@pytest.mark.parametrize(("lang", "finland", "sweden"), [
    ("fi", "(Suomi)", "(Ruotsi, maksuton)"),
    ("sv", "(Finland)", "(Sverige, avgiftsfritt)"),
    ("en", "(Finland)", "(Sweden, free of charge)"),
])
def test_dial_in_countries_are_named_in_the_pages_language(client, on_now, dialin, lang, finland,
                                                           sweden) -> None:
    serve(dialin, on_now)
    html = client.get(f"/{lang}/sessions/{on_now.id}/join").get_data(as_text=True)
    assert finland in html and sweden in html
    assert "(FI)" not in html and "(SE" not in html
