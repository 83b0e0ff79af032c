"""The report filter: area, group and period, sent by GET so a report has a shareable URL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

# Reports cover the service's own years; a date far outside them (year 1 or 9999, typed or
# in an edited URL) would overflow the time zone arithmetic of the queries.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _within_years(form: FlaskForm, field: DateField) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a date between the years %(first)s and %(last)s.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    group = SelectField(_l("Group"), choices=[], validate_choice=False)
    start = DateField(_l("From"), validators=[Optional(), _within_years],
                      description=_l("Sessions starting on or after this day."))
    end = DateField(_l("To"), validators=[Optional(), _within_years],
                    description=_l("Sessions starting on or before this day."))

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must not be before the start date."))
