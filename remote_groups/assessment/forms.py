"""The coordinators' forms for a course's self-assessment scale."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..rules.assessment import ITEM_TEXT_MAX, PRESETS, ScaleRange

_TOO_LONG = _l("Please keep this under 300 characters.")
PRESET_NAMES = {
    "wellbeing": _l("Wellbeing (1–5)"),
    "coping": _l("Coping in daily life (1–5)"),
    "work_ability": _l("Work ability (0–10)"),
}
RANGE_NAMES = {
    ScaleRange.ONE_TO_FIVE: _l("From 1 to 5"),
    ScaleRange.ZERO_TO_TEN: _l("From 0 to 10"),
}


class PresetForm(FlaskForm):
    preset = RadioField(_l("Ready-made set"),
                        choices=[(p.key, PRESET_NAMES[p.key]) for p in PRESETS],
                        validators=[InputRequired(_l("Choose a ready-made set."))])


class RangeForm(FlaskForm):
    scale_range = RadioField(_l("Numbers to choose from"),
                             choices=[(r.value, RANGE_NAMES[r]) for r in ScaleRange],
                             validators=[InputRequired(_l("Choose the numbers."))])


class ItemForm(FlaskForm):
    text_fi = StringField(_l("Statement in Finnish"), validators=[
        DataRequired(_l("Write the statement in Finnish.")),
        Length(max=ITEM_TEXT_MAX, message=_TOO_LONG)])
    text_sv = StringField(_l("Statement in Swedish"), validators=[
        DataRequired(_l("Write the statement in Swedish.")),
        Length(max=ITEM_TEXT_MAX, message=_TOO_LONG)])
    text_en = StringField(_l("Statement in English"),
                          validators=[Optional(), Length(max=ITEM_TEXT_MAX, message=_TOO_LONG)],
                          description=_l("Optional. Shown on the English pages."))


class ActionForm(FlaskForm):
    """Move or remove one item: the CSRF token only; the button says what to do."""
