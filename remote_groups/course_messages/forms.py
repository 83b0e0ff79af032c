"""The staff form for a message to a course's participants."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _subject(label: Any) -> StringField:
    return StringField(label, validators=[Optional(), Length(
        max=150, message=_l("Please keep this under 150 characters."))], filters=[_strip])


def _body(label: Any, hint: Any = None) -> TextAreaField:
    return TextAreaField(label, description=hint, validators=[Optional(), Length(
        max=4000, message=_l("Please keep this under 4000 characters."))],
        filters=[_strip], render_kw={"rows": 6})


class SessionField(SelectField):
    """The session a message is about (0: the whole course), with our own message for a
    value that is not one of the choices (a tampered or stale form)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form: Any) -> None:
        if self.data not in {choice.value for choice in self.choices or []}:
            raise ValidationError(_l("Choose the whole course or one session."))


class MessageForm(FlaskForm):
    session = SessionField(
        _l("About"), coerce=int,
        description=_l("A message about one session is shown with that session."))
    subject_fi = _subject(_l("Subject in Finnish"))
    body_fi = _body(_l("Message in Finnish"),
                    _l("Do not write anything about a single participant."))
    subject_sv = _subject(_l("Subject in Swedish (optional)"))
    body_sv = _body(_l("Message in Swedish (optional)"),
                    _l("Swedish-speaking participants get this version. Without it, they "
                       "get the Finnish one."))

    def validate(self, extra_validators: Any = None) -> bool:
        """Each version complete or empty, and at least one of them: errors next to the
        fields that miss their pair."""
        valid = super().validate(extra_validators)
        pairs = ((self.subject_fi, self.body_fi), (self.subject_sv, self.body_sv))
        for subject, body in pairs:
            if subject.data and not body.data:
                body.errors = [*body.errors, _l("Write the message.")]
                valid = False
            if body.data and not subject.data:
                subject.errors = [*subject.errors, _l("Write a subject.")]
                valid = False
        if not any(subject.data or body.data for subject, body in pairs):
            self.subject_fi.errors = [*self.subject_fi.errors,
                                      _l("Write the message in Finnish or in Swedish.")]
            valid = False
        return valid
