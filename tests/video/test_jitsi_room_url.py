"""Links into a Jitsi room: language, token, pre-join screen and the person's name."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from remote_groups.video.links import room_url
from remote_groups.video.settings import JitsiSettings

ROOM = "k7q2m4x9c3v8b6n1z5w0pl"
SETTINGS = JitsiSettings(base_url="https://meet.example.invalid/")


def jitsi_hash_params(fragment: str) -> dict[str, Any]:
    """Read a fragment the way Jitsi Meet's parseURLParams does: split on `&`, take the
    text between the first and second `=`, URL-decode it, replace the first `\\&` with `&`
    and typographic quotes with straight ones, then parse it as JSON."""
    params: dict[str, Any] = {}
    for part in fragment.split("&"):
        pieces = part.split("=")
        decoded = unquote(pieces[1]).replace("\\&", "&", 1)
        decoded = decoded.replace("\u2018", "'").replace("\u2019", "'")
        decoded = decoded.replace("\u201c", '"').replace("\u201d", '"')
        params[pieces[0]] = json.loads(decoded)
    return params


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_link_opens_the_room_in_the_persons_language(lang: str) -> None:
    url = urlsplit(room_url(SETTINGS, ROOM, lang=lang))

    assert (url.scheme, url.netloc, url.path) == ("https", "meet.example.invalid", f"/{ROOM}")
    assert parse_qs(url.query) == {"lang": [lang]}


def test_link_starts_on_the_prejoin_screen_without_a_name_when_none_is_given() -> None:
    url = urlsplit(room_url(SETTINGS, ROOM, lang="fi"))

    assert jitsi_hash_params(url.fragment) == {
        "config.prejoinConfig.enabled": True,
        "config.prejoinPageEnabled": True,
    }


def test_token_goes_in_the_query_only_when_given() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoieCJ9.c2lnbmF0dXJl"

    with_token = urlsplit(room_url(SETTINGS, ROOM, lang="sv", token=token))
    without = urlsplit(room_url(SETTINGS, ROOM, lang="sv", token=None))

    assert parse_qs(with_token.query) == {"lang": ["sv"], "jwt": [token]}
    assert "jwt" not in parse_qs(without.query)
    assert "jwt" not in without.fragment


def test_base_url_with_a_tenant_path_keeps_the_path() -> None:
    settings = JitsiSettings(base_url="https://meet.example.invalid/tenant-a")

    url = urlsplit(room_url(settings, ROOM, lang="en"))

    assert url.path == f"/tenant-a/{ROOM}"


@pytest.mark.parametrize(
    "name",
    [
        "Maija",
        "Åsa Öhman-Äijälä",
        'Pekka "Pete" O\'Brien',
        "Anna & Ben",
        "Ville #2",
        "a=b&c=d",
        "back\\slash & more",
        "a\\&b",
        "50% off?",
        "“Kaisa” ‘K’",
        "Liisa/../x <b>bold</b>",
        "emoji 🙂 name",
    ],
)
def test_display_name_round_trips_through_jitsis_fragment_parser(name: str) -> None:
    url = room_url(SETTINGS, ROOM, lang="fi", display_name=name)
    parts = urlsplit(url)

    params = jitsi_hash_params(parts.fragment)

    assert params["userInfo.displayName"] == name
    assert params["config.prejoinConfig.enabled"] is True
    # Nothing in the name leaks into the query or the room.
    assert parse_qs(parts.query) == {"lang": ["fi"]}
    assert parts.path == f"/{ROOM}"


def test_display_name_is_json_quoted_in_the_fragment() -> None:
    url = room_url(SETTINGS, ROOM, lang="fi", display_name="Maija")

    assert "userInfo.displayName=%22Maija%22" in urlsplit(url).fragment


def test_blank_display_name_is_left_out() -> None:
    url = room_url(SETTINGS, ROOM, lang="fi", display_name="   ")

    assert "userInfo.displayName" not in jitsi_hash_params(urlsplit(url).fragment)


@pytest.mark.parametrize(
    "room",
    [
        "",
        "short",
        "a" * 19,
        "a" * 65,
        "K7Q2M4X9C3V8B6N1Z5W0PL",
        "maijan-ryhma-tiistaisin",
        "k7q2m4x9c3v8b6n1z5w0pl/../admin",
        "k7q2m4x9c3v8b6n1z5w0pl?jwt=x",
        "k7q2m4x9c3v8b6n1z5w0pl#x",
        "k7q2m4x9c3v8b6n1z5w0pl\n",
        "k7q2m4x9c3v8b6n1z5w0plä",
    ],
)
def test_room_names_not_of_the_generated_shape_are_refused(room: str) -> None:
    with pytest.raises(ValueError, match="room"):
        room_url(SETTINGS, room, lang="fi")


def test_room_names_at_both_length_limits_are_accepted() -> None:
    for room in ("a" * 20, "0" * 64):
        assert urlsplit(room_url(SETTINGS, room, lang="fi")).path == f"/{room}"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        room_url(SETTINGS, ROOM, lang="de")
