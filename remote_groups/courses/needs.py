"""What an applicant needs to take part, as ticked on the application form.

Stored as JSON in `Application.needs` (encrypted: a need can tell of a disability). The
free-text "other needs" stays in `Application.support_needs`, the column the earlier
"support needs" field filled, so applications sent before the needs form keep their text
as the "other" need. Labels are in the reader's language, for the facilitators' pages."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Sign languages of Finland (viittomakieli / teckenspråk): the code used in the form.
SIGN_LANGUAGES = {
    "fse": _l("Finnish sign language"),
    "fss": _l("Finland-Swedish sign language"),
}


@dataclass(frozen=True)
class Needs:
    interpreter: str = ""  # the language to interpret from/to; "" when none is needed
    sign_language: str = ""  # a key of SIGN_LANGUAGES, or ""
    plain_language: bool = False
    assistant: bool = False

    @property
    def any(self) -> bool:
        return bool(self.interpreter or self.sign_language or self.plain_language
                     or self.assistant)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False) if self.any else ""


def parse(stored: str | None) -> Needs:
    """The needs from their stored JSON; nothing for empty or unreadable text."""
    if not stored:
        return Needs()
    try:
        data: Any = json.loads(stored)
    except ValueError:
        return Needs()
    if not isinstance(data, dict):
        return Needs()
    sign = str(data.get("sign_language") or "")
    return Needs(interpreter=str(data.get("interpreter") or "")[:60],
                 sign_language=sign if sign in SIGN_LANGUAGES else "",
                 plain_language=bool(data.get("plain_language")),
                 assistant=bool(data.get("assistant")))


def labels(stored: str | None, other: str = "") -> list[str]:
    """Plain labels of the needs, in the current language, "other" text last."""
    needs = parse(stored)
    out: list[str] = []
    if needs.interpreter:
        out.append(_("Interpreter: %(language)s", language=needs.interpreter))
    if needs.sign_language:
        out.append(str(SIGN_LANGUAGES[needs.sign_language]))
    if needs.plain_language:
        out.append(_("Plain-language material"))
    if needs.assistant:
        out.append(_("Comes with an assistant"))
    if other.strip():
        out.append(_("Other: %(text)s", text=other.strip()))
    return out


def export(stored: str | None) -> dict[str, Any]:
    """The needs for a data-access request (plain keys and values)."""
    return asdict(parse(stored))
