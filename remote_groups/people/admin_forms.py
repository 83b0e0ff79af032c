"""Forms of the admin pages: staff accounts and areas."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from .models import FacilitatorKind, Role

ROLE_NAMES = {
    Role.FACILITATOR: _l("Facilitator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Admin"),
}
KIND_NAMES = {
    FacilitatorKind.PROFESSIONAL: _l("Professional"),
    FacilitatorKind.EXPERIENCE_EXPERT: _l("Experience expert"),
}
LANGUAGE_CHOICES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
PHONE = Regexp(r"^\+?[0-9 ()-]{5,30}$",
               message=_l("Write the number with digits, e.g. 09 123 4567 or +358 9 123 4567."))


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class PersonForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[
        DataRequired(_l("Enter the first name.")), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[
        DataRequired(_l("Enter the last name.")), Length(max=100)])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter the e-mail address.")),
        Email(_l("Check the e-mail address, e.g. name@example.fi."),
              check_deliverability=False), Length(max=254)])
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))],
                       validate_choice=False)
    area_id = SelectField(_l("Area"), coerce=_optional_int, validate_choice=False,
                          validators=[DataRequired(_l("Choose an area."))])
    facilitator_kind = SelectField(
        _l("Kind of facilitator"),
        choices=[(k.value, KIND_NAMES[k]) for k in FacilitatorKind],
        default=FacilitatorKind.PROFESSIONAL.value,
        description=_l("Facilitators only."))
    language = SelectField(_l("Language of mails and calendar invites"),
                           choices=LANGUAGE_CHOICES, default="fi")


class AreaLanguages(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AreaForm(FlaskForm):
    code = StringField(_l("Code"), description=_l(
        "Short, lower-case letters, digits and hyphens, e.g. lansi-uusimaa. "
        "It cannot be changed later."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32),
                    Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l(
                        "Use lower-case letters a–z, digits and hyphens only."))])
    name_fi = StringField(_l("Name in Finnish"), validators=[
        DataRequired(_l("Enter the name in Finnish.")), Length(max=200)])
    name_sv = StringField(_l("Name in Swedish"), validators=[
        DataRequired(_l("Enter the name in Swedish.")), Length(max=200)])
    languages = AreaLanguages(_l("Languages the area serves"),
                              choices=[("fi", "suomi"), ("sv", "svenska")],
                              validators=[DataRequired(_l("Choose at least one language."))])
    active = BooleanField(_l("Active"), default=True, description=_l(
        "An inactive area keeps its history but is offered for no new groups or accounts."))
    contact_phone = StringField(_l("Phone number for clients"),
                                validators=[Optional(), PHONE, Length(max=40)])
    contact_hours_fi = StringField(_l("Opening hours in Finnish"), validators=[Length(max=200)],
                                   description=_l("For example: ma–pe klo 9–15"))
    contact_hours_sv = StringField(_l("Opening hours in Swedish"), validators=[Length(max=200)],
                                   description=_l("For example: mån–fre kl. 9–15"))
    contact_hours_en = StringField(_l("Opening hours in English"), validators=[Length(max=200)])
    contact_email = EmailField(_l("E-mail address for clients"), validators=[
        Optional(), Email(_l("Check the e-mail address, e.g. name@example.fi."),
                          check_deliverability=False),
        Length(max=254)])


def role_label(role: Role) -> str:
    return str(ROLE_NAMES[role])


def facilitator_kind_label(kind: FacilitatorKind | None) -> str:
    return str(KIND_NAMES[kind]) if kind else ""


def area_state(active: bool) -> str:
    return pgettext("area", "Active") if active else pgettext("area", "Inactive")
