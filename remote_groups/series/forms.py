"""Forms of the coordinator's pages. Field names match `messages.FORM_FIELD`, so a problem
reported by the rules lands next to the field that caused it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..form_dates import within_service_years
from ..groups.labels import INSTRUCTION_LANGUAGE_NAMES, KIND_NAMES, THEME_NAMES
from ..groups.models import GroupKind, InstructionLanguage, Theme
from ..people.models import Area, User
from ..rules.rotation import HELSINKI, SeriesSpec

WEEKDAYS = [
    (0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")),
    (4, _l("Friday")), (5, _l("Saturday")), (6, _l("Sunday")),
]


START_REQUIRED = InputRequired(_l("Enter the start time."))


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class CheckboxList(SelectMultipleField):
    """A list of checkboxes (the template renders them inside a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def area_choices(areas: list[Area], lang: str) -> list[tuple[int | str, str]]:
    return [("", _l("Choose an area"))] + [(a.id, a.name(lang)) for a in areas]


def facilitator_label(user: User, lang: str) -> str:
    return f"{user.full_name} ({user.area.name(lang)})"


class RotationMixin:
    rotation = FieldList(SelectField(coerce=_optional_int, validate_choice=False), min_entries=1)

    def rotation_order(self) -> list[int | None]:
        return [entry.data for entry in self.rotation.entries]


class SeriesForm(RotationMixin, FlaskForm):
    weekday = SelectField(_l("Weekday"), coerce=int, choices=WEEKDAYS,
                          validators=[InputRequired(_l("Choose a weekday."))])
    first_date = DateField(
        _l("First date"), description=_l("The series starts on the first chosen weekday "
                                         "on or after this date."),
        validators=[InputRequired(_l("Enter the first date.")), within_service_years])
    start_time = TimeField(_l("Start time"), validators=[START_REQUIRED])
    end_time = TimeField(_l("End time"), validators=[InputRequired(_l("Enter the end time."))])
    interval_weeks = SelectField(_l("How often"), coerce=int,
                                 choices=[(1, _l("Every week")), (2, _l("Every second week"))])
    count = IntegerField(_l("Number of sessions"), validators=[Optional()],
                         description=_l("Give this or the last date."))
    until = DateField(_l("Last date"), validators=[Optional(), within_service_years],
                      description=_l("Give this or the number of sessions."))
    skip_holidays = BooleanField(_l("Skip Finnish public holidays"), default=True)
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validate_choice=False,
                                description=_l("Each session gets the chosen facilitators of "
                                               "its host area."))
    topics_fi = TextAreaField(_l("Topics in Finnish"), description=_l(
        "One line for each session, in order. An empty line leaves that session without a "
        "topic."))
    topics_sv = TextAreaField(_l("Topics in Swedish"))
    topics_en = TextAreaField(_l("Topics in English"))
    previewed = HiddenField()

    def topics(self) -> dict[int, dict[str, str]]:
        """The topic of each meeting by its number in the series (0 = the first)."""
        by_index: dict[int, dict[str, str]] = {}
        for lang in ("fi", "sv", "en"):
            text = getattr(self, f"topics_{lang}").data or ""
            for i, line in enumerate(text.splitlines()):
                by_index.setdefault(i, {})[lang] = line.strip()[:200]
        return by_index

    def to_spec(self) -> SeriesSpec:
        """The planner's input; call only when the fields parsed (validate() passed)."""
        start: time = self.start_time.data
        end: time = self.end_time.data
        duration = (timedelta(hours=end.hour, minutes=end.minute)
                    - timedelta(hours=start.hour, minutes=start.minute))
        return SeriesSpec(
            host_order=tuple(a for a in self.rotation_order() if a),
            weekday=self.weekday.data,
            start_time=start.replace(second=0, microsecond=0),
            duration=duration,
            interval_weeks=self.interval_weeks.data,
            first_date=self.first_date.data,
            count=self.count.data,
            until=self.until.data,
            skip_holidays=bool(self.skip_holidays.data),
        )

    def fingerprint(self) -> str:
        """What was previewed, so saving a changed form shows a new preview first."""
        import hashlib

        parts = [str(self.rotation_order()), *(str(f.data) for f in (
            self.weekday, self.first_date, self.start_time, self.end_time, self.interval_weeks,
            self.count, self.until, self.skip_holidays)), str(sorted(self.facilitators.data or [])),
            str(self.topics())]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


class GroupForm(RotationMixin, FlaskForm):
    title_fi = StringField(_l("Title in Finnish"), validators=[Length(max=200)])
    title_sv = StringField(_l("Title in Swedish"), validators=[Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    summary_fi = StringField(_l("Summary in Finnish"), validators=[Length(max=500)])
    summary_sv = StringField(_l("Summary in Swedish"), validators=[Length(max=500)])
    summary_en = StringField(_l("Summary in English"), validators=[Length(max=500)])
    description_fi = TextAreaField(_l("Description in Finnish"))
    description_sv = TextAreaField(_l("Description in Swedish"))
    description_en = TextAreaField(_l("Description in English"))
    kind = RadioField(_l("Kind"), choices=[(k.value, KIND_NAMES[k]) for k in GroupKind],
                      default=GroupKind.OPEN.value)
    theme = SelectField(_l("Theme"), choices=[(t.value, THEME_NAMES[t]) for t in Theme])
    instruction_language = SelectField(
        _l("Language of the group"),
        choices=[(lang.value, INSTRUCTION_LANGUAGE_NAMES[lang]) for lang in InstructionLanguage])
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(
        min=1, max=100, message=_l("Give a number from 1 to 100."))],
        description=_l("Closed courses only."))
    applications_open = DateField(_l("Applications open on"),
                                  validators=[Optional(), within_service_years],
                                  description=_l("Closed courses only."))
    applications_close = DateField(_l("Applications close after"),
                                   validators=[Optional(), within_service_years],
                                   description=_l("Closed courses only."))

    def window(self) -> tuple[datetime | None, datetime | None]:
        """Application window as UTC: from the start of the first day to the end of the last."""
        def at_midnight(day: date | None) -> datetime | None:
            if day is None:
                return None
            return datetime.combine(day, time(0), tzinfo=HELSINKI).astimezone(UTC)

        close = self.applications_close.data
        return (at_midnight(self.applications_open.data),
                at_midnight(close + timedelta(days=1)) if close else None)


class GroupEditForm(FlaskForm):
    """A group's details after it exists: the texts, theme, language, places, application
    window and its own contact line. Its kind and rotation are not here (the series page
    changes the rotation; a course never turns into an open group)."""

    title_fi = GroupForm.title_fi
    title_sv = GroupForm.title_sv
    title_en = GroupForm.title_en
    summary_fi = GroupForm.summary_fi
    summary_sv = GroupForm.summary_sv
    summary_en = GroupForm.summary_en
    description_fi = GroupForm.description_fi
    description_sv = GroupForm.description_sv
    description_en = GroupForm.description_en
    theme = GroupForm.theme
    instruction_language = GroupForm.instruction_language
    capacity = GroupForm.capacity
    applications_open = GroupForm.applications_open
    applications_close = GroupForm.applications_close
    contact_phone = StringField(
        _l("Phone number for clients"), validators=[Optional(), Length(max=40), Regexp(
            r"^\+?[0-9 ()-]{5,30}$",
            message=_l("Write the number with digits, e.g. 09 123 4567 or +358 9 123 4567."))],
        description=_l("Leave the contact fields empty to show the contact of the areas."))
    contact_hours_fi = StringField(_l("Opening hours in Finnish"), validators=[Length(max=200)],
                                   description=_l("For example: ma–pe klo 9–15"))
    contact_hours_sv = StringField(_l("Opening hours in Swedish"), validators=[Length(max=200)],
                                   description=_l("For example: mån–fre kl. 9–15"))
    contact_hours_en = StringField(_l("Opening hours in English"), validators=[Length(max=200)])
    contact_email = StringField(_l("E-mail address for clients"), validators=[
        Optional(), Length(max=254),
        Email(_l("Check the e-mail address, e.g. name@example.fi."), check_deliverability=False)])

    window = GroupForm.window


class SessionEditForm(FlaskForm):
    """One session: its time, facilitators and topic. The host has its own page."""

    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date.")),
                                               within_service_years])
    start_time = TimeField(_l("Start time"), validators=[START_REQUIRED])
    end_time = TimeField(_l("End time"), validators=[InputRequired(_l("Enter the end time."))])
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validate_choice=False,
                                description=_l("Facilitators of the host area."))
    topic_fi = StringField(_l("Topic in Finnish"), validators=[Length(max=200)])
    topic_sv = StringField(_l("Topic in Swedish"), validators=[Length(max=200)])
    topic_en = StringField(_l("Topic in English"), validators=[Length(max=200)])


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional)"), validators=[Length(max=300, message=_l(
            "Please keep this under 300 characters."))],
        description=_l("Shown to participants on the group's and the session's pages and in "
                       "the cancellation. For example: The facilitator is ill."))


class ExtraSessionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date.")),
                                               within_service_years])
    start_time = TimeField(_l("Start time"), validators=[START_REQUIRED])
    end_time = TimeField(_l("End time"), validators=[InputRequired(_l("Enter the end time."))])
    host = SelectField(_l("Host area"), coerce=_optional_int, validate_choice=False,
                       validators=[InputRequired(_l("Choose an area."))])
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validate_choice=False,
                                description=_l("Facilitators of the host area."))
    topic_fi = StringField(_l("Topic in Finnish"), validators=[Length(max=200)])
    topic_sv = StringField(_l("Topic in Swedish"), validators=[Length(max=200)])
    topic_en = StringField(_l("Topic in English"), validators=[Length(max=200)])


class HostForm(FlaskForm):
    host = SelectField(_l("New host area"), coerce=_optional_int, validate_choice=False,
                       validators=[InputRequired(_l("Choose an area."))])
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validate_choice=False,
                                description=_l("Facilitators of the new host area."))


class ConfirmForm(FlaskForm):
    """An empty form: a POST with a CSRF token."""
