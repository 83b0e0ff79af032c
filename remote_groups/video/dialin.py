"""Dial-in by phone: the deployment's numbers and a room's PIN, asked from its dial-in API.

Dial-in is a nice-to-have that must never break a page: every lookup is bounded by a
timeout, and any failure gives "no dial-in" (`None`) instead of an error.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from ..ttl_cache import TTLCache
from .settings import JitsiSettings, check_room

log = logging.getLogger(__name__)

# A phone number as the dial-in API formats it: digits, an optional leading "+", and the
# usual separators. Anything else would end up in a tel: link, so it is refused.
_PHONE_RE = re.compile(r"\+?[0-9][0-9 ().\-]{2,39}")

# Dial-in answers are a few hundred bytes; a huge answer is a broken or hostile server.
_MAX_ANSWER_BYTES = 256 * 1024


@dataclass(frozen=True)
class PhoneNumber:
    """One dial-in number. `country` is an ISO code in upper case ("FI") when the API
    gives one, else the label it gives."""

    country: str
    number: str
    toll_free: bool

    def tel_uri(self, pin: str | None = None) -> str:
        """A `tel:` link; with a PIN, phones dial it after a pause (one tap to join)."""
        digits = re.sub(r"\D", "", self.number)
        if self.number.startswith("+"):
            digits = "+" + digits
        if pin is None:
            return f"tel:{digits}"
        return f"tel:{digits},,{quote(pin_for_phone(pin), safe='')}"


@dataclass(frozen=True)
class DialInInfo:
    """What a client needs to join by phone: numbers to call and the room's PIN."""

    numbers: tuple[PhoneNumber, ...]
    pin: str | None


def format_pin(pin: str) -> str:
    """Digits in groups of three, for reading aloud and copying: "123 456 789"."""
    digits = re.sub(r"\D", "", pin)
    return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))


def pin_for_phone(pin: str) -> str:
    """What to type on the keypad: the digits and `#`."""
    return re.sub(r"\D", "", pin) + "#"


class _Invalid(Exception):
    """An answer from the dial-in API that we cannot use."""


_FAILED = object()


class DialInClient:
    """Asks the deployment's dial-in API for phone numbers and a room's PIN.

    Answers are cached for `cache_ttl` seconds (numbers once per deployment, PINs per room);
    failures for `failure_ttl` seconds only, so a flapping API is not hammered by every page
    view yet dial-in comes back soon after the API does. Failures are logged at warning
    level without room names, URLs or anything about the person.
    """

    def __init__(
        self,
        settings: JitsiSettings,
        session: requests.Session | None = None,
        cache_ttl: float = 300,
        *,
        failure_ttl: float = 30,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._settings = settings
        self._session = session or requests.Session()
        self._cache_ttl = cache_ttl
        self._failure_ttl = failure_ttl
        self._cache: TTLCache[Any] = TTLCache(max_entries=max_entries, clock=clock)

    def info(self, room: str) -> DialInInfo | None:
        """Numbers and PIN for `room`, or None when dial-in is off or anything fails."""
        check_room(room)
        if not self._settings.dialin_configured:
            return None
        numbers = self.numbers()
        if not numbers:
            return None
        pin = self.pin(room)
        if pin is None:
            return None
        return DialInInfo(numbers=numbers, pin=pin)

    def numbers(self) -> tuple[PhoneNumber, ...]:
        """The deployment's dial-in numbers; empty when off, none or the lookup failed."""
        if not self._settings.dialin_numbers_url:
            return ()
        result = self._cached(("numbers",), self._fetch_numbers, "numbers")
        return () if result is None else result

    def pin(self, room: str) -> str | None:
        """The room's PIN (conference id) as digits, or None."""
        check_room(room)
        if not (self._settings.dialin_confcode_url and self._settings.muc_domain):
            return None
        return self._cached(("pin", room), lambda: self._fetch_pin(room), "PIN")

    def _cached(self, key: Hashable, fetch: Callable[[], Any], what: str) -> Any:
        cached = self._cache.get(key)
        if cached is _FAILED:
            return None
        if cached is not None:
            return cached
        try:
            value = fetch()
        except Exception as exc:
            # Dial-in must never break a page, whatever went wrong. The exception text can
            # hold the URL with the room in it, so only its type is logged.
            log.warning("Jitsi dial-in %s lookup failed: %s", what, _describe(exc))
            self._cache.set(key, _FAILED, self._failure_ttl)
            return None
        self._cache.set(key, value, self._cache_ttl)
        return value

    def _get_json(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        response = self._session.get(
            url,
            params=params,
            timeout=self._settings.timeout,
            headers={"Accept": "application/json"},
            stream=True,
        )
        # `timeout` bounds each wait on the socket; the deadline bounds a server that
        # trickles its answer out a byte at a time.
        deadline = time.monotonic() + 2 * self._settings.timeout
        with response:
            if not 200 <= response.status_code < 300:
                raise _Invalid(f"HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(chunk_size=16384):
                body += chunk
                if len(body) > _MAX_ANSWER_BYTES:
                    raise _Invalid("answer too large")
                if time.monotonic() > deadline:
                    raise _Invalid("answer too slow")
        return json.loads(body)

    def _fetch_numbers(self) -> tuple[PhoneNumber, ...]:
        return parse_numbers(self._get_json(self._settings.dialin_numbers_url))

    def _fetch_pin(self, room: str) -> str:
        conference = f"{room}@{self._settings.muc_domain}"
        answer = self._get_json(self._settings.dialin_confcode_url, {"conference": conference})
        return parse_pin(answer, conference)


def _describe(exc: Exception) -> str:
    if isinstance(exc, _Invalid):
        return str(exc)
    if isinstance(exc, ValueError) and not isinstance(exc, requests.RequestException):
        return "answer is not JSON"
    return type(exc).__name__


def _country(label: Any) -> str:
    if not isinstance(label, str) or not label.strip():
        raise _Invalid("country missing")
    label = label.strip()
    return label.upper() if len(label) == 2 and label.isalpha() else label


def _phone(number: Any) -> str:
    if not isinstance(number, str) or not _PHONE_RE.fullmatch(number.strip()):
        raise _Invalid("not a phone number")
    return number.strip()


def parse_numbers(answer: Any) -> tuple[PhoneNumber, ...]:
    """Read either form the dial-in numbers API answers with.

    Newer: `[{"countryCode": "fi", "tollFree": false, "formattedNumber": "+358 …"}, …]`.
    Older: `{"numbersEnabled": true, "numbers": {"FI": ["+358…"], …}}` (toll-free unknown,
    taken as not toll-free). Raises `_Invalid` for anything else, even one bad entry:
    a half-broken answer is not trusted to put numbers in front of people.
    """
    if isinstance(answer, list):
        found = []
        for item in answer:
            if not isinstance(item, dict):
                raise _Invalid("wrong shape")
            toll_free = item.get("tollFree", False)
            if not isinstance(toll_free, bool):
                raise _Invalid("wrong shape")
            found.append(
                PhoneNumber(
                    country=_country(item.get("countryCode")),
                    number=_phone(item.get("formattedNumber")),
                    toll_free=toll_free,
                )
            )
        return tuple(found)
    if isinstance(answer, dict) and isinstance(answer.get("numbersEnabled"), bool):
        if not answer["numbersEnabled"]:
            return ()
        by_country = answer.get("numbers")
        if not isinstance(by_country, dict):
            raise _Invalid("wrong shape")
        found = []
        for label, numbers in by_country.items():
            if not isinstance(numbers, list):
                raise _Invalid("wrong shape")
            country = _country(label)
            found.extend(PhoneNumber(country, _phone(n), toll_free=False) for n in numbers)
        return tuple(found)
    raise _Invalid("wrong shape")


def parse_pin(answer: Any, conference: str) -> str:
    """The PIN from `{"id": 123456789, "conference": "room@muc"}`.

    The id must be a whole number. If the answer names a different conference, it is
    refused: a wrong PIN would put a client into someone else's meeting.
    """
    if not isinstance(answer, dict):
        raise _Invalid("wrong shape")
    pin = answer.get("id")
    if isinstance(pin, bool) or not isinstance(pin, int) or pin < 0:
        raise _Invalid("id missing or not a number")
    named = answer.get("conference")
    if named is not None and (not isinstance(named, str) or named.lower() != conference.lower()):
        raise _Invalid("answer is for another conference")
    return str(pin)
