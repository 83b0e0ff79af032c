"""Language in the URL (/fi/, /sv/, /en/), negotiation for `/`, the switcher, content
fallback, and compiling the catalogs so a fresh clone speaks Swedish without manual steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import refresh
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from . import dates

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
HELSINKI = dates.HELSINKI

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
    """Jinja helper: the text, wrapped in a span with `lang` when it is a fallback, followed
    by the name of its language in the page's language ("(på finska)"), so that a reader
    who sees Finnish on a Swedish page knows it is not a mistake."""
    text, code = localized(obj, field)
    if text and code != current_language():
        return Markup('<span lang="{}">{}</span> {}').format(code, text, in_language_note(code))
    return escape(text)


def in_language_note(code: str) -> Markup:
    """ "(in Finnish)" in the page's language, marked for styling."""
    from .groups.parity import IN_LANGUAGE

    return Markup('<span class="text-language">{}</span>').format(IN_LANGUAGE[code])


def local_time(value: datetime) -> datetime:
    return value.astimezone(HELSINKI)


def format_local_date(value: datetime | date, fmt: str = "medium",
                      locale: Locale | None = None) -> str:
    """The `local_date` filter: the Helsinki date of a moment in the agreed form (see
    `dates`): "full"/"long" give "ma 21.12.2026", "medium"/"short" give "21.12.2026"."""
    return dates.named_width_date(value, fmt, locale.language if locale else None)


def format_local_time(value: datetime, fmt: str = "short", locale: Locale | None = None) -> str:
    """The `local_time` filter: the Helsinki clock time, "14.00", never seconds."""
    return dates.clock(value, locale.language if locale else None)


def format_local_datetime(value: datetime, fmt: str = "medium") -> str:
    """The `local_datetime` filter: "ma 21.12.2026 klo 14.00", never seconds or an offset."""
    return dates.moment(value)


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

    text: str

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return str(Markup('<time datetime="{}">{}</time>').format(
            self.starts_at.isoformat(), self.text))


def session_when(session: Any) -> SessionWhen:
    """`session_time` of templates/macros.html: anything with `starts_at` and `ends_at`,
    as "ma 21.12.2026 klo 14.00–16.30" (`dates.session_span`)."""
    lang = dates.active_language()
    return SessionWhen(session.starts_at,
                       dates.weekday_date(session.starts_at, lang),
                       dates.clock(session.starts_at, lang),
                       dates.clock(session.ends_at, lang),
                       dates.session_span(session.starts_at, session.ends_at, lang))


def country_name(code: str, lang: str | None = None) -> str:
    """A dial-in number's country in the page's language ("FI" → "Suomi", "Finland"); a
    label that is not a known two-letter code is shown as the API gave it."""
    if len(code) == 2 and code.isalpha():
        return str(Locale.parse(lang or current_language()).territories.get(code.upper(), code))
    return code


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
