"""Jitsi Meet adapter: links into a room, moderator tokens for facilitators, dial-in by phone.

Plain Python with no Flask: the caller builds a `JitsiSettings` from its configuration
(`JitsiSettings.from_config(app.config)`) and passes it in. Room names are never made here
and never made from anything a person typed; they come from the database (160 random bits,
see `groups.models.new_room_name`) and are only passed through, after a strict check.

Dial-in is a nice-to-have that must never break a page: every lookup is bounded by a
timeout, and any failure gives "no dial-in" (`None`) instead of an error.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jwt
import requests

log = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")

# Lower-case letters and digits only: what `new_room_name` makes (base32, 32 characters),
# with room to spare. Anything else means the name did not come from us.
_ROOM_RE = re.compile(r"[a-z0-9]{20,64}")

# A phone number as the dial-in API formats it: digits, an optional leading "+", and the
# usual separators. Anything else would end up in a tel: link, so it is refused.
_PHONE_RE = re.compile(r"\+?[0-9][0-9 ().\-]{2,39}")

# Dial-in answers are a few hundred bytes; a huge answer is a broken or hostile server.
_MAX_ANSWER_BYTES = 256 * 1024

CLOCK_SKEW = timedelta(minutes=1)


class TokenAuthNotConfigured(RuntimeError):
    """The deployment has no app id and secret, so facilitator tokens cannot be made."""


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


# --- Links -----------------------------------------------------------------------------------


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


# --- Tokens ----------------------------------------------------------------------------------


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


# --- Dial-in ---------------------------------------------------------------------------------


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


class TTLCache:
    """A small thread-safe in-process cache whose entries expire.

    Only a cache: losing it costs one request. Bounded by `max_entries` (oldest entry out
    first). `clock` is injectable so tests need not sleep.
    """

    def __init__(self, max_entries: int = 1024, clock: Callable[[], float] = time.monotonic):
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return default
            expires_at, value = entry
            if self._clock() >= expires_at:
                del self._entries[key]
                return default
            return value

    def set(self, key: Hashable, value: Any, ttl: float) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (self._clock() + ttl, value)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


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
        self._cache = TTLCache(max_entries=max_entries, clock=clock)

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
        cached = self._cache.get(key, None)
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
