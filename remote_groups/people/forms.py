from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


MIN_PASSWORD_LENGTH = 12


def _new_password_field(label: object) -> PasswordField:
    return PasswordField(
        label,
        description=_l("At least 12 characters. A few words in a row are easy to remember."),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(min=MIN_PASSWORD_LENGTH, max=200,
                   message=_l("The password must be at least 12 characters long.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ForgotPasswordForm(FlaskForm):
    # A reset link or a no-account notice is mailed to this address: it must be one.
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")),
                    Length(max=254, message=_l("Check the e-mail address, e.g. name@example.fi.")),
                    Email(_l("Check the e-mail address, e.g. name@example.fi."))],
        render_kw={"autocomplete": "username"},
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("password", message=_l("The passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
