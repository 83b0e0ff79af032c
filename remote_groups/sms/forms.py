"""Forms: a course applicant's reminder choice, an open-group visitor's text reminder, and
the one button of a stop link."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from .models import ReminderWay
from .phones import BadNumber, mobile_e164

MOBILE_HINT = _l("A Finnish mobile number, e.g. 040 123 4567.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class MobileField(TelField):
    """A mobile number; after validation ``e164`` holds it normalised."""

    e164: str = ""


def check_mobile(field: Any) -> None:
    try:
        field.e164 = mobile_e164(field.data or "")
    except BadNumber as error:
        if error.reason == "not_mobile":
            raise ValidationError(
                _l("This is not a mobile number. Text messages need a mobile number.")
            ) from None
        raise ValidationError(_l("Check the number, e.g. 040 123 4567.")) from None


class ReminderChoice:
    """How a course applicant wants reminders, with the mobile number texts need: the two
    fields and their check, mixed into the status page's `ConsentForm` and, when text
    messages are configured, the application form (`courses.forms.ApplicationTextsForm`).
    After validation ``mobile.e164`` holds the number, or "" when no texts were chosen."""

    way = RadioField(
        _l("How do you want reminders?"),
        choices=[SelectChoice(ReminderWay.SMS.value, _l("By text message")),
                 SelectChoice(ReminderWay.EMAIL.value, _l("By e-mail")),
                 SelectChoice(ReminderWay.BOTH.value, _l("By text message and e-mail")),
                 SelectChoice(ReminderWay.NONE.value, _l("No reminders"))],
        validators=[DataRequired(_l("Choose how you want reminders."))],
    )
    mobile = MobileField(
        _l("Mobile number"),
        description=_l("Needed for text messages. A Finnish mobile number, e.g. 040 123 4567."),
        filters=[_strip],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )

    def validate_mobile(self, field: MobileField) -> None:
        if self.way.data not in (ReminderWay.SMS.value, ReminderWay.BOTH.value):
            field.e164 = ""
            return
        if not field.data:
            raise ValidationError(_l("Write your mobile number for text messages."))
        check_mobile(field)

    def chosen_way(self) -> ReminderWay:
        return ReminderWay(self.way.data)


class ConsentForm(ReminderChoice, FlaskForm):
    """The reminder choice behind the private status link."""


class SubscribeForm(FlaskForm):
    mobile = MobileField(
        _l("Mobile number"),
        description=MOBILE_HINT,
        filters=[_strip],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    which = RadioField(
        _l("Remind me of"),
        choices=[SelectChoice("one", _l("This session")),
                 SelectChoice("next", _l("The next sessions of this group"))],
        default="one",
        validators=[DataRequired(_l("Choose which sessions."))],
    )

    def validate_mobile(self, field: MobileField) -> None:
        if not field.data:
            raise ValidationError(_l("Write your mobile number."))
        check_mobile(field)


class StopForm(FlaskForm):
    """Only a CSRF token: texts stop when the person presses the button, never when a link
    checker opens the link."""
