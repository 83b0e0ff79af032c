"""Text-message rules: how many SMS segments a text takes, and when a text may be sent.

Segments (3GPP TS 23.038 / 23.040): a text written only with the GSM 03.38 default alphabet
(GSM-7) fits 160 characters in one segment, 153 in each part of a longer one; characters of
the extension table (``^{}\\[~]|€`` and form feed) take two places (an escape and the
character). Any other character makes the whole text UCS-2: 70 UTF-16 units in one segment,
67 in each part. Å, Ä, Ö, å, ä and ö are in the GSM-7 basic table, so ordinary Finnish and
Swedish stays GSM-7; "š", "ž", typographic quotes and dashes do not.

Quiet hours: no text between 21:00 and 08:00 Helsinki time. A text due then is held until
08:00, unless the session it is about starts before 08:00 + ``MIN_NOTICE``: then it goes at
once (a reminder that arrives after the session is worse than an early one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

QUIET_STARTS = time(21, 0)
QUIET_ENDS = time(8, 0)
# A held text must still arrive at least this long before its session, or it goes at once.
MIN_NOTICE = timedelta(minutes=15)


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # how many SMS segments the text takes


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def _parts(sizes: list[int], part: int) -> int:
    """Segments when units that belong together (an escape and its character, a surrogate
    pair) are never split across two parts."""
    count, used = 1, 0
    for size in sizes:
        if used + size > part:
            count += 1
            used = 0
        used += size
    return count


def segments(text: str) -> Segments:
    """How the text is encoded and how many segments it takes (an empty text takes one)."""
    if is_gsm7(text):
        sizes = [2 if c in GSM7_EXTENSION else 1 for c in text]
        units = sum(sizes)
        count = 1 if units <= GSM7_SINGLE else _parts(sizes, GSM7_PART)
        return Segments("GSM-7", units, count)
    sizes = [2 if ord(c) > 0xFFFF else 1 for c in text]
    units = sum(sizes)
    count = 1 if units <= UCS2_SINGLE else _parts(sizes, UCS2_PART)
    return Segments("UCS-2", units, count)


def fits_one_segment(text: str) -> bool:
    return segments(text).count == 1


def segment_count(text: str) -> int:
    return segments(text).count


def in_quiet_hours(moment: datetime) -> bool:
    local = moment.astimezone(HELSINKI).time()
    return local >= QUIET_STARTS or local < QUIET_ENDS


def next_morning(moment: datetime) -> datetime:
    """08:00 Helsinki time at or after ``moment`` (which is in quiet hours)."""
    local = moment.astimezone(HELSINKI)
    day = local.date() if local.time() < QUIET_ENDS else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_ENDS, tzinfo=HELSINKI).astimezone(moment.tzinfo)


def send_time(due: datetime, session_starts_at: datetime | None = None) -> datetime:
    """When a text due at ``due`` may go: at once outside quiet hours; otherwise at 08:00,
    unless that is too late for the session it is about, when it goes at ``due``."""
    if not in_quiet_hours(due):
        return due
    morning = next_morning(due)
    if session_starts_at is not None and morning > session_starts_at - MIN_NOTICE:
        return due
    return morning
