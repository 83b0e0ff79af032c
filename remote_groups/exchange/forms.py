"""Forms of the exchange board. Field names match the service's problem fields, so a refusal
lands next to the field that caused it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..form_dates import within_service_years
from ..groups.labels import INSTRUCTION_LANGUAGE_NAMES, THEME_NAMES
from ..groups.models import InstructionLanguage, Theme
from ..series.forms import START_REQUIRED, CheckboxList
from .service import MAX_SESSIONS

TEXT_HINT = _l("Do not write clients' names or health information here.")
LANGUAGE_CHOICES = [(code.value, INSTRUCTION_LANGUAGE_NAMES[code])
                    for code in (InstructionLanguage.FI, InstructionLanguage.SV)]


def _text(label: object) -> TextAreaField:
    return TextAreaField(label, description=TEXT_HINT, validators=[
        Optional(), Length(max=2000, message=_l("Write at most 2000 characters."))])


def _count(label: object) -> IntegerField:
    return IntegerField(label, validators=[
        InputRequired(_l("Enter the number of sessions.")),
        NumberRange(1, MAX_SESSIONS, _l("Give a number from 1 to %(max)s.", max=MAX_SESSIONS))])


class OfferForm(FlaskForm):
    language = SelectField(_l("Language of the sessions"), choices=LANGUAGE_CHOICES)
    theme = SelectField(_l("Theme"), choices=[(t.value, THEME_NAMES[t]) for t in Theme])
    session_count = _count(_l("Number of sessions"))
    period_start = DateField(_l("First possible day"), validators=[
        InputRequired(_l("Enter the date.")), within_service_years])
    period_end = DateField(_l("Last possible day"), validators=[
        InputRequired(_l("Enter the date.")), within_service_years])
    when_text = StringField(_l("Days and times"), description=_l("For example: Tuesdays at 14."),
                            validators=[Optional(), Length(max=200)])
    description_fi = _text(_l("Description in Finnish"))
    description_sv = _text(_l("Description in Swedish"))


class RequestForm(FlaskForm):
    language = SelectField(_l("Language the facilitator speaks"), choices=LANGUAGE_CHOICES)
    sessions = CheckboxList(_l("Sessions"), coerce=int, validate_choice=False,
                            description=_l("The sessions that need a facilitator."))
    description_fi = _text(_l("Description in Finnish"))
    description_sv = _text(_l("Description in Swedish"))


class AnswerOfferForm(FlaskForm):
    group = SelectField(_l("Your group"), coerce=int, validate_choice=False,
                        validators=[InputRequired(_l("Choose a group."))])
    first_date = DateField(_l("Date of the first session"), validators=[
        InputRequired(_l("Enter the date.")), within_service_years])
    start_time = TimeField(_l("Start time"), validators=[START_REQUIRED])
    end_time = TimeField(_l("End time"), validators=[InputRequired(_l("Enter the end time."))])
    count = _count(_l("Number of sessions"))
    interval_weeks = SelectField(_l("How often"), coerce=int,
                                 choices=[(1, _l("Every week")), (2, _l("Every second week"))])
    message = _text(_l("Message to the other area"))


class AnswerRequestForm(FlaskForm):
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validate_choice=False,
                                description=_l("Facilitators of your area."))
    message = _text(_l("Message to the other area"))


class AgreeForm(FlaskForm):
    """For an offer, the offering area's facilitators; for a request, only the CSRF token."""

    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validate_choice=False,
                                description=_l("Facilitators of your area."))


class ConfirmForm(FlaskForm):
    """Only the CSRF token."""
