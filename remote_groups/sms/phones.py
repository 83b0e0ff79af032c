"""Phone numbers from forms: validated and normalised with `phonenumbers` (Finnish numbers by
default), stored in E.164. Text messages go to mobile numbers only."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

DEFAULT_REGION = "FI"
_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class BadNumber(ValueError):
    """``reason`` is "invalid" (not a phone number) or "not_mobile"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mobile_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """``"040 123 4567"`` → ``"+358401234567"``; raises BadNumber."""
    text = (raw or "").strip()
    if not text or len(text) > 40:
        raise BadNumber("invalid")
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise BadNumber("invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise BadNumber("invalid")
    if phonenumbers.number_type(number) not in _MOBILE:
        raise BadNumber("not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked(e164: str) -> str:
    """For showing a stored number back to its owner: "+358 40 ••• •567"."""
    if len(e164) < 6:
        return "•••"
    return f"{e164[:6]} ••• {e164[-3:]}"
