"""The materials library's forms: a new material (a file or a link), editing one, the
library's search, and attaching."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..groups.labels import THEME_NAMES
from .models import MaterialLanguage
from .rules import is_web_link

LANGUAGE_NAMES = {
    MaterialLanguage.FI: _l("Finnish"),
    MaterialLanguage.SV: _l("Swedish"),
    MaterialLanguage.EN: _l("English"),
    MaterialLanguage.BOTH: _l("Finnish and Swedish"),
}


def language_name(language: MaterialLanguage) -> str:
    return str(LANGUAGE_NAMES[language])


def _theme_choices() -> list[tuple[str, Any]]:
    return [(t.value, name) for t, name in THEME_NAMES.items()]


class DetailsForm(FlaskForm):
    # No Optional() here: it would skip the check below that one of the titles is given.
    title_fi = StringField(_l("Title in Finnish"), validators=[Length(max=200)])
    title_sv = StringField(_l("Title in Swedish"), validators=[Optional(), Length(max=200)],
                           description=_l("Write the title in Finnish, in Swedish or in both."))
    description_fi = TextAreaField(_l("Short description in Finnish"),
                                   validators=[Optional(), Length(max=1000)])
    description_sv = TextAreaField(_l("Short description in Swedish"),
                                   validators=[Optional(), Length(max=1000)])
    theme = SelectField(_l("Theme"), choices=lambda: [("", _l("Choose")), *_theme_choices()],
                        validators=[InputRequired(_l("Choose a theme."))])
    language = SelectField(_l("Language of the material"),
                           choices=[("", _l("Choose")),
                                    *[(k.value, v) for k, v in LANGUAGE_NAMES.items()]],
                           validators=[InputRequired(_l("Choose the language."))])
    url = StringField(_l("Link"), validators=[Optional(), Length(max=2000)],
                      description=_l("An address that begins with https:// or http://."))

    def validate_title_fi(self, field: Any) -> None:
        if not (field.data or "").strip() and not (self.title_sv.data or "").strip():
            raise ValidationError(_l("Write a title in Finnish or in Swedish."))

    def validate_url(self, field: Any) -> None:
        if field.data and not is_web_link(field.data):
            raise ValidationError(_l("Write an address that begins with https:// or http://."))


class NewMaterialForm(DetailsForm):
    """A file or a link; the file's size and type are checked in the view, from its bytes."""

    # Its hint names the size limit, set by the view from MATERIAL_MAX_BYTES.
    file = FileField(_l("File"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Words"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Theme"), validators=[Optional()],
                        choices=lambda: [("", _l("All themes")), *_theme_choices()])
    language = SelectField(_l("Language"), validators=[Optional()],
                           choices=[("", _l("All languages")),
                                    *[(k.value, v) for k, v in LANGUAGE_NAMES.items()]])


class AttachForm(FlaskForm):
    target = SelectField(_l("Group or session"), choices=[],
                         validators=[InputRequired(_l("Choose a group or a session."))])


class ConfirmForm(FlaskForm):
    """A button that only posts (delete, detach), with its CSRF token."""
