"""Dial-in by phone against a real HTTP server on loopback: numbers, PIN, and every way
the API can fail, which must all end in "no dial-in" rather than a broken page."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from remote_groups.video.dialin import (
    DialInClient,
    DialInInfo,
    PhoneNumber,
    format_pin,
    pin_for_phone,
)
from remote_groups.video.settings import JitsiSettings

ROOM = "k7q2m4x9c3v8b6n1z5w0pl"  # invented, shaped like new_room_name()
MUC = "conference.meet.example.invalid"
NUMBERS_LIST = [
    {"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 4245 0000"},
    {"countryCode": "se", "tollFree": True, "formattedNumber": "+46 20 000 000"},
]
NUMBERS_OLD = {"numbersEnabled": True, "numbers": {"FI": ["+358 9 4245 0000"], "SE": []}}
CONFERENCE = f"{ROOM}@{MUC}"


@pytest.fixture
def dialin_settings(httpserver: HTTPServer) -> JitsiSettings:
    """Dial-in pointed at the loopback server, with a short timeout."""
    return JitsiSettings(
        base_url="https://meet.example.invalid",
        muc_domain=MUC,
        dialin_numbers_url=httpserver.url_for("/phoneNumberList"),
        dialin_confcode_url=httpserver.url_for("/conferenceMapper"),
        timeout=0.3,
    )


def serve_numbers(httpserver: HTTPServer, answer: object) -> None:
    httpserver.expect_request("/phoneNumberList", method="GET").respond_with_json(answer)


def serve_pin(httpserver: HTTPServer, answer: object) -> None:
    httpserver.expect_request(
        "/conferenceMapper", method="GET", query_string={"conference": CONFERENCE}
    ).respond_with_json(answer)


def client_for(
    settings: JitsiSettings, session: requests.Session, clock: Callable[[], float] | None = None
) -> DialInClient:
    if clock is None:
        return DialInClient(settings, session)
    return DialInClient(settings, session, cache_ttl=300, clock=clock)


def test_info_with_numbers_in_the_list_form(httpserver, dialin_settings, session) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    serve_pin(httpserver, {"id": 123456789, "conference": CONFERENCE})

    info = client_for(dialin_settings, session).info(ROOM)

    assert info == DialInInfo(
        numbers=(
            PhoneNumber(country="FI", number="+358 9 4245 0000", toll_free=False),
            PhoneNumber(country="SE", number="+46 20 000 000", toll_free=True),
        ),
        pin="123456789",
    )


def test_info_with_numbers_in_the_older_form(httpserver, dialin_settings, session) -> None:
    serve_numbers(httpserver, NUMBERS_OLD)
    serve_pin(httpserver, {"id": 987654321, "conference": CONFERENCE})

    info = client_for(dialin_settings, session).info(ROOM)

    assert info == DialInInfo(
        numbers=(PhoneNumber(country="FI", number="+358 9 4245 0000", toll_free=False),),
        pin="987654321",
    )


def test_every_request_uses_the_configured_timeout(httpserver, dialin_settings, session) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    serve_pin(httpserver, {"id": 1, "conference": CONFERENCE})

    client_for(dialin_settings, session).info(ROOM)

    assert len(session.calls) == 2
    assert [call["timeout"] for call in session.calls] == [0.3, 0.3]


def test_pin_asks_for_the_room_at_the_muc_domain(httpserver, dialin_settings, session) -> None:
    serve_pin(httpserver, {"id": 555000111, "conference": CONFERENCE})

    assert client_for(dialin_settings, session).pin(ROOM) == "555000111"
    request, _ = httpserver.log[0]
    assert request.args.to_dict() == {"conference": CONFERENCE}


def test_numbers_disabled_means_no_dial_in(httpserver, dialin_settings, session) -> None:
    serve_numbers(httpserver, {"numbersEnabled": False, "numbers": {}})

    client = client_for(dialin_settings, session)

    assert client.numbers() == ()
    assert client.info(ROOM) is None
    assert [r.path for r, _ in httpserver.log] == ["/phoneNumberList"]


def slow(answer: object) -> Callable[[Request], Response]:
    """A handler that answers correctly, but a little later than the 0.3 s timeout."""

    def handler(request: Request) -> Response:
        time.sleep(0.5)
        return Response(json.dumps(answer), content_type="application/json")

    return handler


def test_slow_numbers_beyond_the_timeout_give_none(httpserver, dialin_settings, session) -> None:
    httpserver.expect_request("/phoneNumberList").respond_with_handler(slow(NUMBERS_LIST))
    serve_pin(httpserver, {"id": 123456789, "conference": CONFERENCE})

    assert client_for(dialin_settings, session).info(ROOM) is None


def test_slow_pin_beyond_the_timeout_gives_none(httpserver, dialin_settings, session) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    httpserver.expect_request("/conferenceMapper").respond_with_handler(
        slow({"id": 123456789, "conference": CONFERENCE})
    )

    assert client_for(dialin_settings, session).info(ROOM) is None


def test_http_500_gives_none(httpserver, dialin_settings, session) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    httpserver.expect_request("/conferenceMapper").respond_with_data("oops", status=500)

    assert client_for(dialin_settings, session).info(ROOM) is None


def test_connection_refused_gives_none(dialin_settings, session) -> None:
    settings = JitsiSettings(
        base_url=dialin_settings.base_url,
        muc_domain=MUC,
        dialin_numbers_url="http://127.0.0.1:9/phoneNumberList",
        dialin_confcode_url="http://127.0.0.1:9/conferenceMapper",
        timeout=0.3,
    )

    assert client_for(settings, session).info(ROOM) is None


@pytest.mark.parametrize(
    "body",
    [
        "<html>Service unavailable</html>",
        "",
        '{"id": 123',
    ],
)
def test_answer_that_is_not_json_gives_none(
    httpserver, dialin_settings, session, body: str
) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    httpserver.expect_request("/conferenceMapper").respond_with_data(body)

    assert client_for(dialin_settings, session).info(ROOM) is None


@pytest.mark.parametrize(
    "answer",
    [
        {},
        [],
        {"conference": CONFERENCE},
        {"id": None, "conference": CONFERENCE},
        {"id": "123456789", "conference": CONFERENCE},
        {"id": 12.5, "conference": CONFERENCE},
        {"id": True, "conference": CONFERENCE},
        {"id": -4, "conference": CONFERENCE},
        {"id": 123456789, "conference": f"someoneelsesroom0000000@{MUC}"},
        "123456789",
    ],
)
def test_pin_answer_of_the_wrong_shape_gives_none(
    httpserver, dialin_settings, session, answer: object
) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    serve_pin(httpserver, answer)

    assert client_for(dialin_settings, session).info(ROOM) is None


@pytest.mark.parametrize(
    "answer",
    [
        {"numbers": {"FI": ["+358 9 4245 0000"]}},
        {"numbersEnabled": True, "numbers": ["+358 9 4245 0000"]},
        {"numbersEnabled": True, "numbers": {"FI": "+358 9 4245 0000"}},
        {"numbersEnabled": True, "numbers": {"FI": [358942450000]}},
        [{"countryCode": "fi", "tollFree": False}],
        [{"countryCode": "fi", "tollFree": "no", "formattedNumber": "+358 9 4245 0000"}],
        [{"countryCode": "fi", "tollFree": False, "formattedNumber": "javascript:alert(1)"}],
        ["+358 9 4245 0000"],
        42,
    ],
)
def test_numbers_answer_of_the_wrong_shape_gives_none(
    httpserver, dialin_settings, session, answer: object
) -> None:
    serve_numbers(httpserver, answer)
    serve_pin(httpserver, {"id": 1, "conference": CONFERENCE})

    client = client_for(dialin_settings, session)

    assert client.numbers() == ()
    assert client.info(ROOM) is None


@pytest.mark.parametrize(
    "missing",
    [
        {"dialin_numbers_url": ""},
        {"dialin_confcode_url": ""},
        {"muc_domain": ""},
    ],
)
def test_not_configured_gives_none_without_any_request(
    httpserver, dialin_settings, session, missing: dict
) -> None:
    settings = dataclasses.replace(dialin_settings, **missing)

    assert client_for(settings, session).info(ROOM) is None
    assert session.calls == []
    assert httpserver.log == []


def test_answers_are_cached(httpserver, dialin_settings, session, clock) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    serve_pin(httpserver, {"id": 123456789, "conference": CONFERENCE})
    client = client_for(dialin_settings, session, clock)

    first = client.info(ROOM)
    clock.advance(299)
    second = client.info(ROOM)

    assert first == second
    assert first is not None
    assert len(httpserver.log) == 2  # one numbers, one PIN


def test_cached_answers_expire(httpserver, dialin_settings, session, clock) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    serve_pin(httpserver, {"id": 123456789, "conference": CONFERENCE})
    client = client_for(dialin_settings, session, clock)

    client.info(ROOM)
    clock.advance(301)
    client.info(ROOM)

    assert len(httpserver.log) == 4


def test_pins_are_cached_per_room(httpserver, dialin_settings, session, clock) -> None:
    other_room = "z9y8x7w6v5u4t3s2r1q0pp"
    serve_pin(httpserver, {"id": 111, "conference": CONFERENCE})
    httpserver.expect_request(
        "/conferenceMapper", query_string={"conference": f"{other_room}@{MUC}"}
    ).respond_with_json({"id": 222, "conference": f"{other_room}@{MUC}"})
    client = client_for(dialin_settings, session, clock)

    assert (client.pin(ROOM), client.pin(other_room)) == ("111", "222")
    assert (client.pin(ROOM), client.pin(other_room)) == ("111", "222")
    assert len(httpserver.log) == 2


def test_failure_is_cached_only_briefly(httpserver, dialin_settings, session, clock) -> None:
    httpserver.expect_ordered_request("/phoneNumberList").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/phoneNumberList").respond_with_json(NUMBERS_LIST)
    client = client_for(dialin_settings, session, clock)

    assert client.numbers() == ()
    clock.advance(10)
    assert client.numbers() == ()  # still remembered as failed: no new request
    assert len(httpserver.log) == 1

    clock.advance(21)
    assert len(client.numbers()) == 2  # the API is back, and so is dial-in
    assert len(httpserver.log) == 2


def test_failures_are_logged_as_warnings_without_the_room(
    httpserver, dialin_settings, session, caplog
) -> None:
    serve_numbers(httpserver, NUMBERS_LIST)
    httpserver.expect_request("/conferenceMapper").respond_with_data("oops", status=500)
    refused = JitsiSettings(
        base_url=dialin_settings.base_url,
        muc_domain=MUC,
        dialin_numbers_url=dialin_settings.dialin_numbers_url,
        dialin_confcode_url="http://127.0.0.1:9/conferenceMapper",
        timeout=0.3,
    )

    with caplog.at_level(logging.DEBUG, logger="remote_groups.video.dialin"):
        client_for(dialin_settings, session).info(ROOM)
        client_for(refused, requests.Session()).info(ROOM)

    failures = [r for r in caplog.records if r.name == "remote_groups.video.dialin"]
    assert [r.levelno for r in failures] == [logging.WARNING, logging.WARNING]
    assert "HTTP 500" in failures[0].getMessage()
    assert all(ROOM not in r.getMessage() and MUC not in r.getMessage() for r in failures)


def test_cache_size_is_bounded(httpserver, dialin_settings, session, clock) -> None:
    httpserver.expect_request("/conferenceMapper").respond_with_json({"id": 1})
    client = DialInClient(dialin_settings, session, max_entries=3, clock=clock)
    rooms = [f"{i:020d}" for i in range(5)]

    for room in rooms:
        client.pin(room)
    client.pin(rooms[0])  # pushed out by the later rooms: asked again

    assert len(httpserver.log) == 6


def test_invalid_room_is_refused_before_any_request(dialin_settings, session) -> None:
    with pytest.raises(ValueError, match="room"):
        client_for(dialin_settings, session).info("room&conference=other")
    assert session.calls == []


@pytest.mark.parametrize(
    ("pin", "shown"),
    [("123456789", "123 456 789"), ("1234", "123 4"), ("12", "12"), ("123456", "123 456")],
)
def test_pin_is_shown_in_groups_of_three(pin: str, shown: str) -> None:
    assert format_pin(pin) == shown


def test_pin_for_the_keypad_ends_with_hash() -> None:
    assert pin_for_phone("123456789") == "123456789#"
    assert pin_for_phone("123 456 789") == "123456789#"


def test_tel_link_dials_the_number_and_then_the_pin() -> None:
    number = PhoneNumber(country="FI", number="+358 9 4245 0000", toll_free=False)

    assert number.tel_uri() == "tel:+358942450000"
    assert number.tel_uri("123456789") == "tel:+358942450000,,123456789%23"
