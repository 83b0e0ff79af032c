"""Every date and time a person sees, in one place: pages, mails, subjects and invites.

The forms are the ones agreed in TERMS.md, in Helsinki time, never with seconds or a UTC
offset:

| form            | Finnish                                | Swedish (Finland)                     |
|-----------------|----------------------------------------|---------------------------------------|
| `session_span`  | ma 21.12.2026 klo 14.00–16.30          | mån 21.12.2026 kl. 14.00–16.30        |
| `moment`        | ma 21.12.2026 klo 14.00                | mån 21.12.2026 kl. 14.00              |
| `moment_in_text`| maanantaina 21. joulukuuta klo 14.00   | måndag 21 december kl. 14.00          |
| `day_in_text`   | maanantaina 21. joulukuuta             | måndag 21 december                    |
| `weekday_date`  | ma 21.12.2026                          | mån 21.12.2026                        |
| `date_only`     | 21.12.2026                             | 21.12.2026                            |
| `clock`         | 14.00                                  | 14.00                                 |

Swedish uses Babel's `sv_FI` data (Finland-Swedish: 21.12.2026, 14.00), not `sv` (Sweden:
2026-12-21, 14:00). English follows the same numeric forms ("Mon 21.12.2026 at 14.00–16.30"),
so the three languages of one page or mail never disagree on what a date looks like.

Each function takes the language ("fi", "sv", "en") or, without one, the active Flask-Babel
locale (a request's language, or `force_locale` while a mail is rendered)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import DateTimePattern, parse_pattern

HELSINKI = ZoneInfo("Europe/Helsinki")
DEFAULT_LANGUAGE = "fi"

# The Babel locale whose CLDR names (weekdays, months) each language uses.
BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}


class _Words(NamedTuple):
    """The per-language pieces: CLDR patterns and the word before a clock time."""

    weekday_date: str  # ma 21.12.2026
    day_in_text: str  # maanantaina 21. joulukuuta
    at: str  # klo / kl. / at


WORDS = {
    "fi": _Words("EEE d.M.yyyy", "EEEE d. MMMM", "klo"),
    "sv": _Words("EEE d.M.yyyy", "EEEE d MMMM", "kl."),
    "en": _Words("EEE d.M.yyyy", "EEEE d MMMM", "at"),
}
DATE_ONLY = "d.M.yyyy"
CLOCK = "H.mm"
DASH = "\N{EN DASH}"


@lru_cache(maxsize=8)
def babel_locale(lang: str) -> Locale:
    """The Babel locale for one of the service's languages (sv → sv_FI)."""
    return Locale.parse(BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT_LANGUAGE]))


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> DateTimePattern:
    """Parsed once per process: a page of session cards formats hundreds of times."""
    return parse_pattern(pattern)


def active_language() -> str:
    """The language of the active Flask-Babel locale ("sv" for sv, sv_FI …), or Finnish
    outside a request or a `force_locale` block."""
    try:
        from flask_babel import get_locale

        locale = get_locale()
    except (RuntimeError, KeyError):  # no app context
        locale = None
    code = locale.language if locale is not None else DEFAULT_LANGUAGE
    return code if code in WORDS else DEFAULT_LANGUAGE


def _lang(lang: str | None) -> str:
    if lang is None:
        return active_language()
    lang = lang.split("_")[0].split("-")[0]
    return lang if lang in WORDS else DEFAULT_LANGUAGE


def in_helsinki(value: datetime) -> datetime:
    """Helsinki wall-clock time. A naive value is UTC (the database only gives aware ones)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(HELSINKI)


def _day(value: date | datetime) -> date:
    """The Helsinki calendar day of a moment, or a plain date as it is."""
    if isinstance(value, datetime):
        return in_helsinki(value).date()
    return value


def _apply(pattern: str, value: date, lang: str) -> str:
    return _pattern(pattern).apply(value, babel_locale(lang))


def date_only(value: date | datetime, lang: str | None = None) -> str:
    """21.12.2026: a date alone (the same in every language)."""
    return _apply(DATE_ONLY, _day(value), _lang(lang))


def weekday_date(value: date | datetime, lang: str | None = None) -> str:
    """ma 21.12.2026 / mån 21.12.2026 / Mon 21.12.2026."""
    lang = _lang(lang)
    return _apply(WORDS[lang].weekday_date, _day(value), lang)


def day_in_text(value: date | datetime, lang: str | None = None) -> str:
    """maanantaina 21. joulukuuta / måndag 21 december: a day inside a sentence."""
    lang = _lang(lang)
    return _apply(WORDS[lang].day_in_text, _day(value), lang)


def clock(value: datetime, lang: str | None = None) -> str:
    """14.00: the Helsinki clock time, never seconds or an offset."""
    return _apply(CLOCK, in_helsinki(value), _lang(lang))


def moment(value: datetime, lang: str | None = None) -> str:
    """ma 21.12.2026 klo 14.00 / mån 21.12.2026 kl. 14.00."""
    lang = _lang(lang)
    return f"{weekday_date(value, lang)} {WORDS[lang].at} {clock(value, lang)}"


def moment_in_text(value: datetime, lang: str | None = None) -> str:
    """maanantaina 21. joulukuuta klo 14.00 / måndag 21 december kl. 14.00."""
    lang = _lang(lang)
    return f"{day_in_text(value, lang)} {WORDS[lang].at} {clock(value, lang)}"


def clock_span(starts_at: datetime, ends_at: datetime, lang: str | None = None) -> str:
    """14.00–16.30."""
    lang = _lang(lang)
    return f"{clock(starts_at, lang)}{DASH}{clock(ends_at, lang)}"


def session_span(starts_at: datetime, ends_at: datetime, lang: str | None = None) -> str:
    """ma 21.12.2026 klo 14.00–16.30 / mån 21.12.2026 kl. 14.00–16.30: when a session is.
    A session that runs past midnight names the end day too."""
    lang = _lang(lang)
    start = f"{weekday_date(starts_at, lang)} {WORDS[lang].at} {clock(starts_at, lang)}"
    if _day(starts_at) != _day(ends_at):
        return f"{start}{DASH}{moment(ends_at, lang)}"
    return f"{start}{DASH}{clock(ends_at, lang)}"


def date_span(first: date | datetime, last: date | datetime, lang: str | None = None) -> str:
    """21.12.2026–22.2.2027."""
    lang = _lang(lang)
    return f"{date_only(first, lang)}{DASH}{date_only(last, lang)}"


def named_width_date(value: date | datetime, width: str = "medium",
                     lang: str | None = None) -> str:
    """The older filters' width names mapped onto the agreed forms: "full" and "long" give
    the weekday and the date, "medium" and "short" the date alone."""
    if width in ("full", "long"):
        return weekday_date(value, lang)
    return date_only(value, lang)


# When a course meets, in one line: "maanantaisin klo 14.00–16.30, 21.12.2026–22.2.2027,
# 10 kertaa". Finnish says the weekday as an adverb (-isin), Swedish and English the plural.
WEEKDAYS_PLURAL = {
    "fi": ("maanantaisin", "tiistaisin", "keskiviikkoisin", "torstaisin", "perjantaisin",
           "lauantaisin", "sunnuntaisin"),
    "sv": ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar",
           "söndagar"),
    "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
           "Sundays"),
}
TIMES = {"fi": ("kerta", "kertaa"), "sv": ("gång", "gånger"), "en": ("time", "times")}


def course_line(spans: list[tuple[datetime, datetime]], lang: str | None = None) -> str:
    """When a course meets: the common weekday and time (when the sessions share them),
    the first and last date and how many times."""
    lang = _lang(lang)
    if not spans:
        return ""
    first, last = spans[0], spans[-1]
    count = len(spans)
    times = TIMES[lang][0 if count == 1 else 1]
    local = [(in_helsinki(a), in_helsinki(b)) for a, b in spans]
    same_day = len({a.weekday() for a, _b in local}) == 1
    same_time = len({(a.time(), b.time()) for a, b in local}) == 1
    parts = []
    if count > 1 and same_day and same_time:
        day = WEEKDAYS_PLURAL[lang][local[0][0].weekday()]
        parts.append(f"{day} {WORDS[lang].at} {clock_span(first[0], first[1], lang)}")
    if count == 1:
        parts.append(session_span(first[0], first[1], lang))
    else:
        parts.append(date_span(first[0], last[0], lang))
    parts.append(f"{count} {times}")
    return ", ".join(parts)
