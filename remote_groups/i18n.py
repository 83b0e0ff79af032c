"""Language in the URL (/fi/, /sv/, /en/), negotiation for `/`, the switcher, content
fallback, and compiling the catalogs so a fresh clone speaks Swedish without manual steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import DateTimePattern, get_date_format, get_time_format, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import format_datetime, get_locale, refresh
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
HELSINKI = ZoneInfo("Europe/Helsinki")

# Which languages to fall back to when content is missing in the visitor's language.
# Swedish readers get Finnish before English; English readers get Finnish, then Swedish.
FALLBACKS = {"fi": ("fi", "sv", "en"), "sv": ("sv", "fi", "en"), "en": ("en", "fi", "sv")}

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def current_language() -> str:
    return getattr(g, "lang", None) or DEFAULT_LANGUAGE


def localized(obj: Any, field: str, lang: str | None = None) -> tuple[str, str]:
    """The text of `obj.<field>_<lang>` in the best available language, and that language,
    so a template can mark a fallback with its own `lang` attribute for screen readers."""
    lang = lang or current_language()
    for code in FALLBACKS.get(lang, FALLBACKS[DEFAULT_LANGUAGE]):
        text = getattr(obj, f"{field}_{code}", "") or ""
        if text:
            return text, code
    return "", lang


def localized_markup(obj: Any, field: str) -> Markup:
    """Jinja helper: the text, wrapped in a span with `lang` when it is a fallback."""
    text, code = localized(obj, field)
    if code != current_language():
        return Markup('<span lang="{}">{}</span>').format(code, text)
    return escape(text)


def local_time(value: datetime) -> datetime:
    return value.astimezone(HELSINKI)


# The width names CLDR has a pattern for in every language.
NAMED_WIDTHS = ("full", "long", "medium", "short")


@lru_cache(maxsize=256)
def _pattern(kind: str, fmt: str, locale: Locale) -> DateTimePattern:
    """The parsed pattern for a width name or a pattern string. Babel looks the locale and
    the pattern up again on every call; a page of session cards formats hundreds of times in
    the same few patterns, so they are looked up once per process (CLDR data, not output)."""
    if fmt in NAMED_WIDTHS:
        width = cast(Literal["full", "long", "medium", "short"], fmt)
        return (get_date_format if kind == "date" else get_time_format)(width, locale=locale)
    return parse_pattern(fmt)


def _in_helsinki(value: datetime) -> datetime:
    """Helsinki wall-clock time (zoneinfo: one cheap conversion). A naive value is UTC, as
    flask_babel takes it; the database only ever gives aware ones."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(HELSINKI)


def format_local_date(value: datetime, fmt: str = "medium", locale: Locale | None = None) -> str:
    """The Helsinki date of a moment in the page's language: what flask_babel's
    `format_date(local_time(value), fmt)` gives, without its pytz conversion per call."""
    locale = locale or get_locale()
    return _pattern("date", fmt, locale).apply(_in_helsinki(value).date(), locale)


def format_local_time(value: datetime, fmt: str = "short", locale: Locale | None = None) -> str:
    """The Helsinki clock time of a moment in the page's language: what flask_babel's
    `format_time(value, fmt)` gives (the app's time zone is Europe/Helsinki)."""
    locale = locale or get_locale()
    local = _in_helsinki(value)
    return _pattern("time", fmt, locale).apply(local.timetz(), locale,
                                               reference_date=value.date())


def compile_catalogs(translations_dir: Path) -> None:
    """Compile each messages.po to messages.mo when the .mo is missing or older.

    Doing this at start means a fresh clone needs no `pybabel compile` step. If the folder is
    read-only (a packaged deployment), compiled catalogs must already be there."""
    for po_path in translations_dir.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError:
            continue


@dataclass(frozen=True)
class SessionWhen:
    """When a session is, as its card says it: the Helsinki day in full and the start and
    end times, formatted once per card (the card needs the day and start twice)."""

    starts_at: datetime
    day: str
    starts: str
    ends: str

    def __html__(self) -> str:
        return str(Markup('<time datetime="{}">{}, {}–{}</time>').format(
            self.starts_at.isoformat(), self.day, self.starts, self.ends))


def session_when(session: Any) -> SessionWhen:
    """`session_time` of templates/macros.html: anything with `starts_at` and `ends_at`."""
    locale = get_locale()
    return SessionWhen(session.starts_at,
                       format_local_date(session.starts_at, "full", locale),
                       format_local_time(session.starts_at, "short", locale),
                       format_local_time(session.ends_at, "short", locale))


def best_language() -> str:
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def switch_language_url(lang: str) -> str:
    """The same page in another language, keeping query arguments."""
    rule = request.url_rule
    if request.endpoint and rule is not None and "lang" in rule.arguments:
        args = {**(request.view_args or {}), "lang": lang}
        # A query argument named like a path argument (?lang=…, ?session_id=…) cannot
        # replace it: it is left out, not passed twice (which would be a server error).
        query = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in args}
        values: dict[str, Any] = {**args, **query}
        return url_for(request.endpoint, **values)
    return url_for("public.index", lang=lang)


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def pull_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in LANGUAGES:
                abort(404)
            g.lang = lang
            refresh()  # Babel caches the locale per context; this request decides it

    @app.url_defaults
    def add_language(endpoint: str, values: dict[str, Any]) -> None:
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = current_language()

    @app.get("/")
    def root() -> Response:
        # Vary: the answer depends on the browser's language, so caches must not share it.
        response = redirect(url_for("public.index", lang=best_language()), code=302)
        response.headers["Vary"] = "Accept-Language"
        return response

    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=current_language,
        switch_language_url=switch_language_url,
        loc=localized_markup,
        localized=localized,
        session_when=session_when,
    )
    app.jinja_env.filters.update(
        local_datetime=lambda v, fmt="medium": format_datetime(v, fmt),
        local_date=format_local_date,
        local_time=format_local_time,
    )
