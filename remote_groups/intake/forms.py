"""Forms of the intake call: the participant's choice of time, and staff's pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, ValidationError

from ..form_dates import within_service_years
from .rules import LENGTHS, MAX_SLOTS_AT_ONCE, parse_times


def _optional_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


class BookForm(FlaskForm):
    """The participant (or staff for them) picks one free time."""

    slot = RadioField(_l("Choose a time"), coerce=_optional_int, validate_choice=False,
                      validators=[InputRequired(_l("Choose a time."))])

    def validate_slot(self, field: Any) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose a time."))


class CancelForm(FlaskForm):
    """Only the CSRF token."""


class RequiredForm(FlaskForm):
    intake_required = BooleanField(
        _l("Participants book an intake call before the course"),
        description=_l("Accepted participants see the free times on their own page."))


def _times(form: Any, field: Any) -> None:
    if parse_times(field.data or "") is None:
        raise ValidationError(_l(
            "Write start times like 9.00, 9.30, 10.00 (at most %(count)s).",
            count=MAX_SLOTS_AT_ONCE))


class SlotsForm(FlaskForm):
    """Several slots on one day at once: the start times in one field."""

    facilitator = SelectField(_l("Facilitator"), coerce=_optional_int, validate_choice=False,
                              validators=[InputRequired(_l("Choose a facilitator."))])
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date.")),
                                            within_service_years])
    times = StringField(_l("Start times"),
                        description=_l("Separate the times with commas, e.g. 9.00, 9.30, 10.00."),
                        validators=[InputRequired(_l("Enter at least one start time.")), _times])
    minutes = SelectField(_l("Length"), coerce=int,
                          choices=[(m, _l("%(minutes)s minutes", minutes=m)) for m in LENGTHS],
                          default=30)


class StaffBookForm(FlaskForm):
    application = SelectField(_l("Participant"), coerce=_optional_int, validate_choice=False,
                              validators=[InputRequired(_l("Choose a participant."))])


class DoneForm(FlaskForm):
    done = BooleanField(_l("The intake call has been held"))
