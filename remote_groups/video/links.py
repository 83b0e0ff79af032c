"""Links that open a Jitsi room: language, pre-join screen and the person's name filled in."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from .settings import LANGUAGES, JitsiSettings, check_room


def _fragment_value(value: Any) -> str:
    """Encode one value for Jitsi's `#key=value` fragment.

    Jitsi splits the fragment on `&` and `=`, URL-decodes the value, replaces a `\\&` with
    `&` and typographic quotes with straight ones, then parses it as JSON. So: JSON with
    every non-ASCII character escaped (a `”` in a name survives as `\\u201d`), `&` escaped as
    `\\u0026` (so no `\\&` can appear), then percent-encode everything outside the
    unreserved set.
    """
    text = json.dumps(value, ensure_ascii=True).replace("&", "\\u0026")
    return quote(text, safe="")


def room_url(
    settings: JitsiSettings,
    room: str,
    *,
    lang: str,
    display_name: str | None = None,
    token: str | None = None,
) -> str:
    """The link that opens `room` in the browser, in the person's language, on the
    pre-join screen (camera and microphone check first), with their name filled in.

    `token` (a facilitator JWT) goes in the query as `jwt`; a blank `display_name` is
    left out.
    """
    check_room(room)
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}")
    query = {"lang": lang}
    if token:
        query["jwt"] = token
    fragment: list[tuple[str, bool | str]] = [
        ("config.prejoinConfig.enabled", True),
        ("config.prejoinPageEnabled", True),
    ]
    if display_name is not None and display_name.strip():
        fragment.append(("userInfo.displayName", display_name.strip()))
    hash_part = "&".join(f"{key}={_fragment_value(value)}" for key, value in fragment)
    return f"{settings.base_url.rstrip('/')}/{room}?{urlencode(query)}#{hash_part}"

