"""The coordinator's form for one survey item."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ItemForm(FlaskForm):
    text_fi = StringField(_l("Statement in Finnish"), validators=[
        DataRequired(_l("Write the statement in Finnish.")), Length(max=300)])
    text_sv = StringField(_l("Statement in Swedish"), validators=[
        DataRequired(_l("Write the statement in Swedish.")), Length(max=300)])
    text_en = StringField(_l("Statement in English"), validators=[Optional(), Length(max=300)],
                          description=_l("Optional. Shown on the English pages."))
    position = IntegerField(_l("Order"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=999)],
                            description=_l("Smaller numbers come first."))
    in_course_survey = BooleanField(_l("Ask at the end of a course"), default=True)
    in_session_survey = BooleanField(_l("Ask after an open group session"))
    active = BooleanField(_l("In use"), default=True,
                          description=_l("Items are never deleted, so old answers keep their "
                                         "meaning. Take an item out of use instead."))
