"""Where the Jitsi deployment is, and the one check every room name passes.

Plain Python with no Flask: the caller builds a `JitsiSettings` from its configuration
(`JitsiSettings.from_config(app.config)`) and passes it to the links (`links`), tokens
(`tokens`) and dial-in (`dialin`) modules. Room names are never made here and never made
from anything a person typed; they come from the database (160 random bits, see
`groups.models.new_room_name`) and are only passed through, after a strict check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

LANGUAGES = ("fi", "sv", "en")

# Lower-case letters and digits only: what `new_room_name` makes (base32, 32 characters),
# with room to spare. Anything else means the name did not come from us.
_ROOM_RE = re.compile(r"[a-z0-9]{20,64}")


@dataclass(frozen=True)
class JitsiSettings:
    """Where the Jitsi deployment is and how to talk to it.

    `domain` overrides the JWT `sub` claim; left empty, the host of `base_url` is used,
    which is right for a self-hosted deployment (`sub` = the XMPP domain).
    Empty dial-in URLs or an empty `muc_domain` switch dial-in off.
    """

    base_url: str
    app_id: str = ""
    app_secret: str = ""
    muc_domain: str = ""
    dialin_numbers_url: str = ""
    dialin_confcode_url: str = ""
    timeout: float = 2.0
    domain: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> JitsiSettings:
        """Read the JITSI_* keys of the application's configuration (see config.py)."""
        return cls(
            base_url=str(config["JITSI_BASE_URL"]).rstrip("/"),
            app_id=str(config.get("JITSI_APP_ID") or ""),
            app_secret=str(config.get("JITSI_APP_SECRET") or ""),
            muc_domain=str(config.get("JITSI_MUC_DOMAIN") or ""),
            dialin_numbers_url=str(config.get("JITSI_DIALIN_NUMBERS_URL") or ""),
            dialin_confcode_url=str(config.get("JITSI_DIALIN_CONFCODE_URL") or ""),
            timeout=float(config.get("JITSI_HTTP_TIMEOUT", 2.0)),
            domain=str(config.get("JITSI_DOMAIN") or ""),
        )

    @property
    def jwt_subject(self) -> str:
        """The deployment's domain for the `sub` claim."""
        return self.domain or (urlsplit(self.base_url).hostname or "")

    @property
    def dialin_configured(self) -> bool:
        return bool(self.dialin_numbers_url and self.dialin_confcode_url and self.muc_domain)


def check_room(room: str) -> str:
    """Return `room` unchanged if it looks like one of ours; raise ValueError otherwise.

    A room name built from user text could lead people into someone else's meeting or
    break the URL, so only names of the generated shape ever reach a link or a token.
    """
    if not isinstance(room, str) or not _ROOM_RE.fullmatch(room):
        raise ValueError("not a valid room name (expected 20-64 of a-z, 0-9)")
    return room

