from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

MESSAGE_HINT = _l("Optional. Do not write clients' names or health information here.")


def _message(label: object) -> TextAreaField:
    return TextAreaField(
        label, description=MESSAGE_HINT,
        validators=[Optional(), Length(max=1000, message=_l("Write at most 1000 characters."))],
    )


class ExchangeForm(FlaskForm):
    target = SelectField(
        _l("Session to take in exchange"), coerce=int,
        validators=[DataRequired(_l("Choose the session you would take in exchange."))],
    )
    message = _message(_l("Message to the other area"))


class CoverForm(FlaskForm):
    area = SelectField(_l("Who do you ask?"), coerce=int)
    message = _message(_l("Message to the other area"))


class AnswerForm(FlaskForm):
    """The answer itself comes from the button pressed (accept or decline)."""

    message = _message(_l("Message to the person who asked"))


class WithdrawForm(FlaskForm):
    """Only the CSRF token."""
