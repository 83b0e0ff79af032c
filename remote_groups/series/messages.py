"""Plain-language messages for every problem code the series rules and services report.

Codes are stable; the words live here, translated, and appear next to the form field that
needs fixing (`FORM_FIELD` maps the rule's field name to the form's).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import dates
from ..i18n import localized

MESSAGES = {
    ("host_order", "no_areas"): _l("Choose at least one area to host the group."),
    ("host_order", "same_area_twice_in_a_row"): _l(
        "The same area is listed twice in a row. Put another area between them."),
    ("host_order", "listed_twice"): _l("List each area only once."),
    ("rotation_offset", "bad_rotation_offset"): _l("Choose which area hosts the first session."),
    ("weekday", "bad_weekday"): _l("Choose a weekday."),
    ("start_time", "bad_start_time"): _l("Enter the start time as hours and minutes."),
    ("start_time", "start_time_does_not_exist"): _l(
        "This time does not exist on a day when the clocks go forward. Choose another time."),
    ("interval_weeks", "bad_interval"): _l("Choose every week or every second week."),
    ("duration", "end_before_start"): _l("The end time must be after the start time."),
    ("duration", "bad_duration"): _l("A session can last at most 8 hours."),
    ("duration", "duration_crosses_midnight"): _l("A session must end before midnight."),
    ("count", "count_and_until"): _l(
        "Give either the number of sessions or the last date, not both."),
    ("count", "count_or_until_required"): _l(
        "Give the number of sessions or the last date."),
    ("count", "no_meetings"): _l("There must be at least one session."),
    ("count", "too_many_meetings"): _l("A series can have at most 200 sessions."),
    ("count", "fewer_than_held"): _l(
        "More sessions than this have already been held. Give a bigger number."),
    ("until", "end_before_start"): _l("The last date must be on or after the first date."),
    ("until", "no_meetings"): _l(
        "No session falls between these dates. Choose a later last date."),
    ("until", "too_many_meetings"): _l("A series can have at most 200 sessions."),
    ("host", "not_co_running"): _l("Choose one of the areas that run this group."),
    ("facilitators", "not_of_host_area"): _l("Choose facilitators from the host area only."),
    ("end_time", "end_before_start"): _l("The end time must be after the start time."),
    ("session", "cancelled"): _l("This session is cancelled. It cannot be changed."),
    ("session", "started"): _l("This session has started already. It cannot be changed."),
    ("day", "in_the_past"): _l("Choose a time in the future."),
}

#: Where each rule field's message goes in the series form.
FORM_FIELD = {
    "host_order": "rotation",
    "rotation_offset": "rotation",
    "weekday": "weekday",
    "start_time": "start_time",
    "interval_weeks": "interval_weeks",
    "duration": "end_time",
    "count": "count",
    "until": "until",
    "host": "host",
    "facilitators": "facilitators",
    "end_time": "end_time",
    "session": "day",
    "day": "day",
}


def message(field: str, code: str) -> str:
    return str(MESSAGES[(field, code)])


def clash_text(clash: Any, lang: str) -> str:
    """Why a facilitator cannot be booked (a `series.service.Clash`): their other session,
    or what else keeps them busy then, e.g. "intake call 10.00–10.30, ma 21.12.2026"."""
    if clash.other is None:
        busy = clash.busy
        return _("%(name)s is busy at that time: %(what)s %(time)s, %(day)s.",
                 name=clash.person.full_name, what=str(busy.label),
                 time=dates.clock_span(busy.starts_at, busy.ends_at, lang),
                 day=dates.weekday_date(busy.starts_at, lang))
    return _("%(name)s already has another session at that time: %(group)s, %(when)s.",
             name=clash.person.full_name, group=localized(clash.other.group, "title", lang)[0],
             when=dates.moment(clash.other.starts_at, lang))
