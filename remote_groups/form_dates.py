"""Dates typed into staff forms stay within the service's years.

A browser's date picker offers year 1 and year 9999, and an edited URL can say anything.
Such a date cannot be turned into a Helsinki time (year 1 falls before the first UTC
instant) or moved a day on (year 9999 has no next year), which used to be a server error;
now it is a message next to the field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_YEAR, LAST_YEAR = 2000, 2100


def within_service_years(form: Any, field: Any) -> None:
    """WTForms validator for a DateField (place after Optional/InputRequired)."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a date between the years %(first)s and %(last)s.",
                                 first=FIRST_YEAR, last=LAST_YEAR))
