"""The report filter: area, group and period, sent by GET so a report has a shareable URL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from ..form_dates import within_service_years


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    group = SelectField(_l("Group"), choices=[], validate_choice=False)
    start = DateField(_l("From"), validators=[Optional(), within_service_years],
                      description=_l("Sessions starting on or after this day."))
    end = DateField(_l("To"), validators=[Optional(), within_service_years],
                    description=_l("Sessions starting on or before this day."))

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must not be before the start date."))
