"""The Jitsi adapter wired to the running app: settings from its configuration, one dial-in
client per process (so its cache is shared by every request), and the links pages hand out.

Visitors always join as guests, without a token: a facilitator's token makes them a
moderator, so it is signed only here, only for a facilitator of that very session, and only
at the moment they join. Tokens are never put into calendars or mails (those link to the
public join page instead).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from ..db_types import utcnow
from ..groups.models import Session
from ..people.models import User
from .dialin import DialInClient, DialInInfo
from .links import room_url
from .settings import JitsiSettings
from .tokens import facilitator_token, token_auth_enabled

_EXTENSION_KEY = "remote_groups.video"


def jitsi_settings() -> JitsiSettings:
    return JitsiSettings.from_config(current_app.config)


def dialin_client() -> DialInClient:
    """The app's dial-in client, made on first use and kept in `app.extensions`.

    Kept together with the settings it was made from: if the configuration changes (tests do
    that), a new client with an empty cache replaces it rather than asking the old servers.
    """
    settings = jitsi_settings()
    stored = current_app.extensions.get(_EXTENSION_KEY)
    if stored is None or stored[0] != settings:
        stored = (settings, DialInClient(settings))
        current_app.extensions[_EXTENSION_KEY] = stored
    return stored[1]


def dial_in(session: Session) -> DialInInfo | None:
    """Numbers and PIN for the session's room, or None when phone joining is not available
    (not configured, API down, slow or answering nonsense). Never raises."""
    return dialin_client().info(session.room_name)


def guest_join_url(session: Session, lang: str, display_name: str | None = None) -> str:
    """The room link for a client: guest (no token), pre-join screen, page language."""
    return room_url(jitsi_settings(), session.room_name, lang=lang, display_name=display_name)


def practice_room() -> str:
    """The practice room's name (`PRACTICE_ROOM`): one room, open to anyone at any time."""
    return str(current_app.config.get("PRACTICE_ROOM") or "etaryhmatharjoitushuone")


def practice_join_url(lang: str) -> str:
    """The practice room's link: a guest, the pre-join screen, the page's language."""
    return room_url(jitsi_settings(), practice_room(), lang=lang)


def practice_dial_in() -> DialInInfo | None:
    """Numbers and PIN of the practice room, to try joining by phone (None when off)."""
    return dialin_client().info(practice_room())


def is_facilitator(session: Session, user: User) -> bool:
    return any(f.id == user.id for f in session.facilitators)


def facilitator_join_url(
    session: Session, user: User, lang: str, *, now: datetime | None = None
) -> str:
    """The room link for a member of staff, made when they press "join".

    A facilitator of this session gets a moderator token when the deployment uses token
    authentication; anyone else (or any deployment without tokens) gets the guest link, so a
    colleague browsing the staff pages can never open the lobby for clients by accident.
    """
    settings = jitsi_settings()
    token = None
    if token_auth_enabled(settings) and is_facilitator(session, user):
        token = facilitator_token(
            settings,
            room=session.room_name,
            user_id=user.id,
            name=user.first_name,
            email=user.email,
            now=now or utcnow(),
        )
    return room_url(
        settings, session.room_name, lang=lang, display_name=user.first_name, token=token
    )
