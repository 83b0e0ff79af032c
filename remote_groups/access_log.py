"""The web server's access log without private links.

Private links carry their secret in the path (`/fi/my/<token>`, `/fi/feedback/<token>`,
`/fi/staff/password/reset/<token>`). Whoever reads the access log must not be able to open an
applicant's status page or reset a password with what they read, so the secret part is
replaced before the line is written. gunicorn.conf.py names `PrivateLinkLogger`."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_PRIVATE = re.compile(
    r"^(/[a-z]{2}/(?:my|feedback|staff/password/reset|courses/confirm))/[^/?]+")
HIDDEN = "…"


def mask_private_links(path: str) -> str:
    """`/fi/my/abc123/withdraw` -> `/fi/my/…/withdraw`; other paths stay as they are (the
    survey's own `/fi/feedback/thanks` is masked too, which costs nothing)."""
    return _PRIVATE.sub(rf"\1/{HIDDEN}", path)


class PrivateLinkLogger(Logger):
    """Gunicorn's logger, with the path atoms (%(U)s, %(r)s) masked."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = _mask_in(atoms[key])
        return atoms


def _mask_in(text: str) -> str:
    """A request line ("GET /fi/my/x HTTP/1.1") or a bare path."""
    method, space, rest = text.partition(" ")
    if space and rest.startswith("/"):
        return f"{method} {mask_private_links(rest)}"
    return mask_private_links(text)
