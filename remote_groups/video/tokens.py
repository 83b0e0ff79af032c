"""Moderator tokens (JWT) for facilitators, when the deployment uses token authentication."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from .settings import JitsiSettings, check_room

CLOCK_SKEW = timedelta(minutes=1)


class TokenAuthNotConfigured(RuntimeError):
    """The deployment has no app id and secret, so facilitator tokens cannot be made."""




def token_auth_enabled(settings: JitsiSettings) -> bool:
    """True when the deployment uses JWT auth (app id and secret are both set)."""
    return bool(settings.app_id and settings.app_secret)


def facilitator_token(
    settings: JitsiSettings,
    *,
    room: str,
    user_id: int | str,
    name: str,
    email: str | None,
    now: datetime,
    ttl: timedelta = timedelta(hours=3),
) -> str:
    """A moderator JWT (HS256) for one facilitator in one room.

    Valid from a minute before `now` (clock skew between us and Jitsi) until `now + ttl`.
    `now` must be timezone-aware so the timestamps cannot drift by the UTC offset.
    The values in `context.user` are strings, as Jitsi's token plugin expects.
    """
    if not token_auth_enabled(settings):
        raise TokenAuthNotConfigured("JITSI_APP_ID and JITSI_APP_SECRET are not set")
    check_room(room)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if ttl <= timedelta(0):
        raise ValueError("ttl must be positive")
    user: dict[str, str] = {"id": str(user_id), "name": name, "moderator": "true"}
    if email:
        user["email"] = email
    claims = {
        "iss": settings.app_id,
        "aud": "jitsi",
        "sub": settings.jwt_subject,
        "room": room,
        "iat": int(now.timestamp()),
        "nbf": int((now - CLOCK_SKEW).timestamp()),
        "exp": int((now + ttl).timestamp()),
        "context": {"user": user},
    }
    return jwt.encode(claims, settings.app_secret, algorithm="HS256")

