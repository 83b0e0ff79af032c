"""Moderator tokens for facilitators, checked by decoding them with PyJWT."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import jwt
import pytest

from remote_groups.video.settings import JitsiSettings
from remote_groups.video.tokens import (
    TokenAuthNotConfigured,
    facilitator_token,
    token_auth_enabled,
)

ROOM = "k7q2m4x9c3v8b6n1z5w0pl"
SECRET = "an-invented-test-secret-that-is-long-enough-for-hs256"
SETTINGS = JitsiSettings(
    base_url="https://meet.example.invalid", app_id="remote-groups", app_secret=SECRET
)
NOW = datetime(2026, 3, 5, 13, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def decode(token: str) -> dict:
    """Check signature, algorithm, issuer and audience as Jitsi does, and that every claim
    Jitsi needs is there. Time is checked separately (`valid_at`), as PyJWT only knows now."""
    return jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        issuer="remote-groups",
        options={
            "require": ["iss", "aud", "sub", "room", "nbf", "exp", "context"],
            "verify_exp": False,
            "verify_nbf": False,
        },
    )


def valid_at(claims: dict, moment: datetime) -> bool:
    return claims["nbf"] <= moment.timestamp() < claims["exp"]


def test_every_claim_is_what_jitsi_expects() -> None:
    token = facilitator_token(
        SETTINGS,
        room=ROOM,
        user_id=42,
        name="Maija Mallikas",
        email="maija.mallikas@example.invalid",
        now=NOW,
    )

    claims = decode(token)

    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims == {
        "iss": "remote-groups",
        "aud": "jitsi",
        "sub": "meet.example.invalid",
        "room": ROOM,
        "iat": int(NOW.timestamp()),
        "nbf": int(NOW.timestamp()) - 60,
        "exp": int(NOW.timestamp()) + 3 * 3600,
        "context": {
            "user": {
                "id": "42",
                "name": "Maija Mallikas",
                "email": "maija.mallikas@example.invalid",
                "moderator": "true",
            }
        },
    }
    assert all(isinstance(v, str) for v in claims["context"]["user"].values())


def test_token_is_valid_from_a_minute_before_now_until_the_ttl_ends() -> None:
    token = facilitator_token(
        SETTINGS,
        room=ROOM,
        user_id="u-7",
        name="Ville",
        email=None,
        now=NOW,
        ttl=timedelta(hours=2),
    )

    claims = decode(token)

    assert claims["exp"] - claims["nbf"] == 2 * 3600 + 60
    assert valid_at(claims, NOW - timedelta(seconds=59))
    assert valid_at(claims, NOW + timedelta(hours=2) - timedelta(seconds=1))
    assert not valid_at(claims, NOW - timedelta(seconds=61))
    assert not valid_at(claims, NOW + timedelta(hours=2))


def test_token_made_now_passes_pyjwts_own_time_checks() -> None:
    token = facilitator_token(
        SETTINGS, room=ROOM, user_id=1, name="A", email=None, now=datetime.now(UTC)
    )

    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], audience="jitsi", options={"require": ["nbf", "exp"]}
    )

    assert claims["room"] == ROOM


def test_email_is_left_out_when_not_given_and_id_is_a_string() -> None:
    token = facilitator_token(SETTINGS, room=ROOM, user_id=7, name="Ville", email=None, now=NOW)

    user = decode(token)["context"]["user"]

    assert user == {"id": "7", "name": "Ville", "moderator": "true"}


def test_timestamps_do_not_depend_on_the_time_zone_of_now() -> None:
    in_utc = NOW.astimezone(UTC)
    a = decode(facilitator_token(SETTINGS, room=ROOM, user_id=1, name="A", email=None, now=NOW))
    b = decode(facilitator_token(SETTINGS, room=ROOM, user_id=1, name="A", email=None, now=in_utc))

    assert (a["nbf"], a["exp"]) == (b["nbf"], b["exp"])


def test_subject_can_be_set_for_deployments_whose_domain_differs_from_the_host() -> None:
    settings = JitsiSettings(
        base_url="https://video.example.invalid",
        app_id="remote-groups",
        app_secret=SECRET,
        domain="meet.jitsi",
    )

    token = facilitator_token(settings, room=ROOM, user_id=1, name="A", email=None, now=NOW)

    assert decode(token)["sub"] == "meet.jitsi"


def test_a_token_signed_with_another_secret_is_rejected() -> None:
    token = facilitator_token(SETTINGS, room=ROOM, user_id=1, name="A", email=None, now=NOW)

    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, SECRET + "x", algorithms=["HS256"], audience="jitsi")


@pytest.mark.parametrize(("app_id", "secret"), [("", ""), ("remote-groups", ""), ("", SECRET)])
def test_without_app_id_and_secret_no_token_is_made(app_id: str, secret: str) -> None:
    settings = JitsiSettings(
        base_url="https://meet.example.invalid", app_id=app_id, app_secret=secret
    )

    assert token_auth_enabled(settings) is False
    with pytest.raises(TokenAuthNotConfigured):
        facilitator_token(settings, room=ROOM, user_id=1, name="A", email=None, now=NOW)


def test_token_auth_is_enabled_with_app_id_and_secret() -> None:
    assert token_auth_enabled(SETTINGS) is True


def test_token_for_an_invalid_room_or_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="room"):
        facilitator_token(SETTINGS, room="*", user_id=1, name="A", email=None, now=NOW)
    with pytest.raises(ValueError, match="timezone"):
        facilitator_token(
            SETTINGS, room=ROOM, user_id=1, name="A", email=None, now=datetime(2026, 3, 5, 13)
        )
