"""Forms for applying, changing details, withdrawing, deciding and data requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from ..sms.forms import ReminderChoice
from .needs import SIGN_LANGUAGES

# Each language named in itself, marked with its own `lang` for screen readers.
LANGUAGE_CHOICES = [SelectChoice(code, name, render_kw={"lang": code})
                    for code, name in (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English"))]
PHONE_PATTERN = r"^\+?[0-9 ()\-]{5,30}$"


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class DetailsForm(FlaskForm):
    """What an applicant can change later through their private link (not the e-mail
    address: the link belongs to the address it was sent to)."""

    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Write your name.")),
                    Length(max=200, message=_l("Please keep this under 200 characters."))],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    phone = TelField(
        _l("Phone number (optional)"),
        description=_l("Only if you want the facilitator to be able to call you."),
        validators=[
            Optional(),
            Regexp(PHONE_PATTERN,
                   message=_l("Write the phone number with digits, e.g. 040 123 4567.")),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "tel"},
    )
    home_area = SelectField(
        _l("Your wellbeing services county"),
        coerce=int,
        validators=[InputRequired(_l("Choose your wellbeing services county."))],
    )
    language = SelectField(
        _l("Language for messages"),
        description=_l("We send e-mails and calendar invitations in this language."),
        choices=LANGUAGE_CHOICES,
        validators=[DataRequired(_l("Choose a language."))],
    )
    motivation = TextAreaField(
        _l("Why would you like to take part?"),
        description=_l("A few words are enough."),
        validators=[DataRequired(_l("Write a few words on why you would like to take part.")),
                    Length(max=2000, message=_l("Please keep this under 2000 characters."))],
        filters=[_strip],
        render_kw={"rows": 4},
    )
    interpreter = StringField(
        _l("Interpreter: which language? (optional)"),
        description=_l("Leave this empty if you do not need an interpreter."),
        validators=[Optional(), Length(max=60, message=_l("Please keep this under 60 "
                                                           "characters."))],
        filters=[_strip],
    )
    sign_language = RadioField(
        _l("Sign language interpreter"),
        choices=[SelectChoice("", _l("Not needed")),
                 *(SelectChoice(code, name) for code, name in SIGN_LANGUAGES.items())],
        default="",
        validators=[Optional()],
    )
    plain_language = BooleanField(_l("I need material in plain language"))
    assistant = BooleanField(_l("An assistant will come with me"))
    support_needs = TextAreaField(
        _l("Other needs (optional)"),
        description=_l("For example captions or breaks."),
        validators=[Optional(), Length(max=2000,
                                       message=_l("Please keep this under 2000 characters."))],
        filters=[_strip],
        render_kw={"rows": 3},
    )
    show_name = RadioField(
        _l("May others in the video room see your name?"),
        description=_l("If not, the room shows you as “Participant”. You can change it there."),
        choices=[SelectChoice("no", _l("No")),
                 SelectChoice("yes", _l("Yes, my first name"))],
        default="no",
        validators=[DataRequired(_l("Choose yes or no."))],
    )
    wants_reminders = BooleanField(
        _l("Remind me by e-mail a day and an hour before each session"),
    )


class ApplicationForm(DetailsForm):
    email = EmailField(
        _l("E-mail address"),
        description=_l("We send a confirmation and your private link here."),
        validators=[DataRequired(_l("Write your e-mail address.")),
                    Email(_l("Check the e-mail address, e.g. name@example.fi."),
                          check_deliverability=False),
                    Length(max=254, message=_l("Please keep this under 254 characters."))],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )
    consent = BooleanField(
        _l("I agree that my application is stored and handled as described above."),
        validators=[DataRequired(_l("Tick the box to send your application."))],
    )


class ApplicationTextsForm(ReminderChoice, ApplicationForm):
    """The application form when text messages are configured (`sms.service.texts_enabled`):
    the reminder choice (text, e-mail, both or none) with its mobile number takes the place
    of the e-mail reminders box. Stored by `sms.service.save_choice` with the application."""

    wants_reminders = None  # the choice above decides it


class WithdrawForm(FlaskForm):
    """Only a CSRF token: the confirmation step is the page that holds this form."""


class LinkForm(FlaskForm):
    """Staff: revoke the private links, or send a new one."""

    action = RadioField(choices=[SelectChoice("revoke", _l("Revoke")),
                                 SelectChoice("resend", _l("Send a new link"))],
                        validators=[DataRequired(_l("Choose what to do."))])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("accept", _lp("application decision", "Accept")),
                 SelectChoice("waitlist", _lp("application decision", "Waiting list")),
                 SelectChoice("decline", _lp("application decision", "Decline"))],
        validators=[DataRequired(_l("Choose a decision."))],
    )
    message = TextAreaField(
        _l("Message to the applicant (optional)"),
        description=_l("Added to the e-mail. Do not write health details here."),
        validators=[Optional(), Length(max=1000, message=_l("Please keep this under 1000 "
                                                             "characters."))],
        filters=[_strip],
        render_kw={"rows": 2},
    )


class DataRequestForm(FlaskForm):
    email = EmailField(
        _l("The person's e-mail address"),
        validators=[DataRequired(_l("Write your e-mail address.")),
                    Email(_l("Check the e-mail address, e.g. name@example.fi."),
                          check_deliverability=False)],
        filters=[_strip],
    )
    action = RadioField(
        _l("What to do"),
        choices=[SelectChoice("export", _l("Export their data (JSON)")),
                 SelectChoice("erase", _l("Erase their data"))],
        validators=[DataRequired(_l("Choose what to do."))],
    )


class ConfirmChangeForm(FlaskForm):
    """Only a CSRF token. The change is applied by the POST of this form, never by opening
    the link: mail scanners open links, people press buttons."""


class CancelCourseForm(FlaskForm):
    """Cancel every session still ahead; the reason goes into each person's cancellation."""

    reason = TextAreaField(
        _l("Reason (optional)"),
        validators=[Length(max=300, message=_l("Please keep this under 300 characters."))],
        filters=[_strip],
        description=_l("Shown to participants in the cancellation. For example: The "
                       "facilitator is ill."),
    )
