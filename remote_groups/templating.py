"""Every Jinja filter, global and test the templates use, registered in one place.

Why one place: two modules once both registered a `format_day` filter and the later one won
silently, so one page showed another page's date format. Here every name is registered once;
a name registered twice, or one that would hide a Jinja, Flask or Flask-Babel name, stops the
app at start-up (`DuplicateTemplateName`).

Also here: the attributes that tie a form field to its hint and error message, and the entries
of an error summary, used by the macros in `templates/macros.html` (one copy of that logic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from flask import Flask

from . import dates

Kind = str  # "filters", "globals" or "tests"


class DuplicateTemplateName(RuntimeError):
    """A filter, global or test name given twice: the later one would silently win."""


def register(app: Flask, kind: Kind, names: Mapping[str, Any]) -> None:
    """Add `names` to the app's Jinja `filters`, `globals` or `tests`, refusing any taken."""
    table: dict[str, Any] = getattr(app.jinja_env, kind)
    for name, value in names.items():
        if name in table:
            raise DuplicateTemplateName(f"template {kind[:-1]} {name!r} is registered twice")
        table[name] = value


# --- Dates ---------------------------------------------------------------------------------


def format_day(value: date) -> str:
    """A calendar date alone (no time, no zone): "25.11.2026" (`dates.date_only`)."""
    return dates.date_only(value)


def format_day_with_weekday(value: date) -> str:
    """The same with the weekday, where the day of the week matters (skipped holidays):
    "to 14.5.2026"."""
    return dates.weekday_date(value)


def iso_local(value: object) -> str:
    """An audit entry's stored ISO time as a person reads it (Helsinki time, no seconds)."""
    from datetime import datetime

    from .i18n import format_local_date, format_local_time

    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "–")
    return f"{format_local_date(moment, 'short')} {format_local_time(moment)}"


def is_date_value(value: object) -> bool:
    return isinstance(value, date)


# --- Form fields and error summaries -----------------------------------------------------


def error_texts(field: Any) -> list[str]:
    """A field's own messages as text. Messages may be lazy strings; a field list also
    carries its entries' error lists, which belong to the entries."""
    return [str(e) for e in field.errors if not isinstance(e, list | tuple | dict)]


def aria_attrs(hint: str | None = None, error: str | None = None,
               invalid: bool = True) -> dict[str, str]:
    """`aria-describedby` naming the hint and the error message (when there are any), and
    `aria-invalid` when there is an error: what a screen reader reads with the input."""
    attrs: dict[str, str] = {}
    described = " ".join(i for i in (hint, error) if i)
    if described:
        attrs["aria-describedby"] = described
    if error and invalid:
        attrs["aria-invalid"] = "true"
    return attrs


def field_attrs(field: Any, id: str | None = None, hint: bool | None = None,
                invalid: bool = True) -> dict[str, str]:
    """`aria_attrs` for a WTForms field whose hint is `<id>-hint` (shown when the field has
    a description, or when `hint` says so) and whose message is `<id>-error`."""
    base = id or field.id
    has_hint = bool(field.description) if hint is None else hint
    return aria_attrs(f"{base}-hint" if has_hint else None,
                      f"{base}-error" if error_texts(field) else None, invalid)


_GROUPS_OF_CHOICES = ("RadioField", "CheckboxList", "SelectMultipleField")


def summary_entries(fields: Iterable[Any]) -> list[tuple[str, str]]:
    """(the id to jump to, the first message) for each field with an error, in page order.
    A field list or a group of choices links to its first input."""
    entries = []
    for field in fields:
        texts = error_texts(field)
        if not texts:
            continue
        if field.type == "FieldList" and field.entries:
            target = field.entries[0].id
        elif field.type in _GROUPS_OF_CHOICES:
            target = f"{field.id}-0"
        else:
            target = field.id
        entries.append((target, texts[0]))
    return entries


# --- Everything, registered once ---------------------------------------------------------


def init_app(app: Flask) -> None:
    """Register every name; call once the blueprints are registered (`has_endpoint` and
    the optional features' names depend on them)."""
    from . import i18n
    from .api.jsonld import group_jsonld
    from .attendance.views import attendance_status_name
    from .calendar.views import group_feed_links
    from .contact import contact_for
    from .courses import courses_enabled
    from .courses import labels as course_labels
    from .feedback.views import facilitator_statement, score_label
    from .groups import labels
    from .groups.cards import session_card as session_card_html
    from .groups.public_views import session_calendar_url, session_join_window
    from .mail.views import mail_kind_name
    from .materials.forms import language_name as material_language_name
    from .materials.service import course_list as course_materials
    from .materials.service import public_list as public_materials
    from .people.admin_forms import area_state, facilitator_kind_label, role_label
    from .reports.views import decimal
    from .sms.provider import sms_configured
    from .video.dialin import format_pin

    globals_: dict[str, Callable[..., Any] | object] = {
        # Features that can be switched off (courses, attendance) are linked only when on.
        "has_endpoint": lambda name: name in app.view_functions,
        "courses_enabled": courses_enabled(app),
        "LANGUAGES": i18n.LANGUAGES,
        "LANGUAGE_NAMES": i18n.LANGUAGE_NAMES,
        "current_language": i18n.current_language,
        "switch_language_url": i18n.switch_language_url,
        "loc": i18n.localized_markup,
        "in_language_note": i18n.in_language_note,
        "localized": i18n.localized,
        "session_when": i18n.session_when,
        "theme_name": labels.theme_name,
        "instruction_language_name": labels.instruction_language_name,
        "kind_name": labels.kind_name,
        "session_join_window": session_join_window,
        "session_card_html": session_card_html,
        "session_calendar_url": session_calendar_url,
        "group_feed_links": group_feed_links,
        "group_jsonld": group_jsonld,
        "format_pin": format_pin,
        "application_status_name": course_labels.status_name,
        "application_status_help": course_labels.status_help,
        "attendance_status_name": attendance_status_name,
        "score_label": score_label,
        "facilitator_statement": facilitator_statement,
        "aria_attrs": aria_attrs,
        "field_attrs": field_attrs,
        "error_texts": error_texts,
        "summary_entries": summary_entries,
        "contact_for": contact_for,
        "role_label": role_label,
        "facilitator_kind_label": facilitator_kind_label,
        "area_state": area_state,
        "mail_kind_name": mail_kind_name,
        # Text messages are offered only when a provider is configured (read per request).
        "texts_enabled": lambda: sms_configured(app.config),
        "public_materials": public_materials,
        "course_materials": course_materials,
        "material_language_name": material_language_name,
    }
    filters = {
        "local_datetime": i18n.format_local_datetime,
        "local_date": i18n.format_local_date,
        "local_time": i18n.format_local_time,
        "format_day": format_day,
        "format_day_with_weekday": format_day_with_weekday,
        "decimal": decimal,
        "country_name": i18n.country_name,
        "iso_local": iso_local,
    }
    register(app, "globals", globals_)
    register(app, "filters", filters)
    register(app, "tests", {"date_value": is_date_value})
