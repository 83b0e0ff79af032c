"""The report as tables (for pages and CSV alike) and charts, built from the figures.

One `Table` feeds both the HTML table beside a chart and its CSV export, so the two can
never disagree."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_decimal, pgettext
from flask_babel import gettext as _
from markupsafe import Markup

from ..feedback.rules import FACILITATOR_ITEMS, FACILITATOR_MIN_ANSWERS
from ..feedback.views import facilitator_statement
from ..groups.models import Group
from ..groups.parity import missing_languages
from ..i18n import localized
from . import figures, queries
from .charts import Bar, bar_chart

Cell = str | int | float | date | None


@dataclass
class Table:
    key: str  # URL name of the CSV export
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None  # a last row in bold, e.g. "All areas"
    numeric: bool = True  # columns after the first hold numbers (aligned right)


@dataclass
class Section:
    heading: str
    table: Table
    chart: Markup | None = None
    note: str = ""


@dataclass
class Report:
    sections: list[Section]
    totals: figures.SessionTotals
    answers: dict[str, int]
    applications: figures.ApplicationTotals | None
    attendance: float | None
    attendance_available: bool


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _area_names(lang: str) -> dict[int, str]:
    return {a.id: a.name(lang) for a in queries.all_areas()}


def _session_columns() -> list[str]:
    # Column words have their own context: the same English word elsewhere is a single
    # session's status ("Peruttu") and would give a count column the wrong form.
    return [pgettext("report column", "Held"), _("Upcoming"),
            pgettext("report column", "Cancelled"), _("Hours offered"),
            _("Joins to open sessions")]


def _session_cells(t: figures.SessionTotals) -> list[Cell]:
    return [t.held, t.upcoming, t.cancelled, t.hours_offered, t.joins]


def build_report(f: queries.ReportFilter, now: datetime, lang: str) -> Report:
    """Run the report's queries (a fixed number) and shape the figures for the page."""
    session_rows = queries.session_rows(f, now)
    areas = _area_names(lang)
    groups = {g.id: localized(g, "title", lang)[0] for g in queries.groups_for(None)}
    items = queries.all_items()
    rating_rows = queries.rating_rows(f)
    answers = queries.answer_counts(f)
    comments = queries.comment_rows(f)
    facilitator_rows = queries.facilitator_rating_rows(f)
    facilitator_answers = queries.facilitator_answers(f)
    application_rows = queries.application_rows(f)
    attendance_rows = queries.attendance_rows(f)

    totals = figures.session_totals(session_rows)
    sections = [
        _by_area_section(session_rows, areas, totals),
        _by_group_section(session_rows, groups),
        _language_section(session_rows, areas),
        _missing_texts_section(queries.groups_in_report(f), f.area_id, lang),
        _feedback_section(rating_rows, items, lang),
        _facilitator_section(facilitator_rows, len(facilitator_answers)),
        _comments_section(comments, groups),
        _facilitator_comments_section(facilitator_answers, groups),
    ]
    applications = None
    if application_rows is not None:
        applications = figures.application_totals(application_rows)
        sections.insert(3, _applications_section(application_rows, groups))
    attendance = None if attendance_rows is None else figures.attendance_rate(attendance_rows)
    return Report(sections=sections, totals=totals, answers=answers,
                  applications=applications, attendance=attendance,
                  attendance_available=attendance_rows is not None)


def _by_area_section(rows: list[figures.SessionRow], areas: dict[int, str],
                     totals: figures.SessionTotals) -> Section:
    by_area = figures.ordered(figures.totals_by_area(rows), areas)
    table = Table("sessions-by-area", _("Sessions by host area"), [_("Area"), *_session_columns()],
                  [[name, *_session_cells(t)] for name, t in by_area],
                  [_("All areas"), *_session_cells(totals)])
    chart = bar_chart(
        "chart-area-hours", _("Hours offered by host area"),
        _("Bar chart of the hours offered by each host area; the same numbers are in the "
          "table below."),
        [Bar(name, t.hours_offered, _("%(hours)s h", hours=format_decimal(t.hours_offered)))
         for name, t in by_area],
    )
    return Section(_("Sessions and hours by area"), table, chart)


def _by_group_section(rows: list[figures.SessionRow], groups: dict[int, str]) -> Section:
    by_group = figures.ordered(figures.totals_by_group(rows), groups)
    table = Table("sessions-by-group", _("Sessions by group"), [_("Group"), *_session_columns()],
                  [[name, *_session_cells(t)] for name, t in by_group])
    return Section(_("Sessions and joins by group"), table)


def _language_section(rows: list[figures.SessionRow], areas: dict[int, str]) -> Section:
    balance = figures.language_balance(rows)
    headers = [_("Area"), _("Sessions in Finnish"), _("Hours in Finnish"),
               _("Sessions in Swedish"), _("Hours in Swedish")]

    def cells(offers: dict[str, figures.Offer]) -> list[Cell]:
        return [offers["fi"].sessions, offers["fi"].hours, offers["sv"].sessions,
                offers["sv"].hours]

    named = sorted(((areas.get(k, str(k)), v) for k, v in balance.by_area.items()),
                   key=lambda p: p[0])
    table = Table("language-balance", _("Sessions and hours offered in Finnish and in Swedish"),
                  headers, [[name, *cells(o)] for name, o in named],
                  [_("All areas"), *cells(balance.overall)])
    bars = []
    for name, offers in [*named, (_("All areas"), balance.overall)]:
        for series, (code, word) in enumerate((("fi", _("Finnish")), ("sv", _("Swedish")))):
            hours = offers[code].hours
            bars.append(Bar(f"{name} – {word}", hours,
                            _("%(hours)s h", hours=format_decimal(hours)), series))
    chart = bar_chart(
        "chart-languages", _("Hours offered in Finnish and in Swedish"),
        _("Bar chart with two bars for each area: hours offered in Finnish and in Swedish. "
          "Sessions in both languages count for both. The same numbers are in the table below."),
        bars,
    )
    note = _("A session held in both languages counts for Finnish and for Swedish.")
    return Section(_("Language balance"), table, chart, note)


def _missing_texts_section(groups: list[Group], area_id: int | None, lang: str) -> Section:
    """Per area, the groups it co-runs whose texts are missing in Swedish or in Finnish:
    parity between the national languages is a duty, so the gaps are listed by name."""
    by_area: dict[int, tuple[str, list[str], list[str]]] = {}
    for group in groups:
        title = localized(group, "title", lang)[0]
        missing = missing_languages(group)
        for area in group.areas:
            if area_id is not None and area.id != area_id:
                continue
            _name, no_sv, no_fi = by_area.setdefault(area.id, (area.name(lang), [], []))
            if "sv" in missing:
                no_sv.append(title)
            if "fi" in missing:
                no_fi.append(title)
    rows: list[list[Cell]] = [[name, "; ".join(no_sv) or "–", "; ".join(no_fi) or "–"]
                              for name, no_sv, no_fi in sorted(by_area.values())]
    table = Table("missing-texts", _("Texts missing in Swedish or in Finnish, by area"),
                  [_("Area"), _("Without Swedish texts"), _("Without Finnish texts")], rows,
                  numeric=False)
    note = _("A group without Swedish texts shows on the Swedish pages in another language, "
             "with that language named.")
    return Section(_("Texts in Finnish and in Swedish"), table, note=note)


def _feedback_section(rows: list[figures.RatingRow], items: list, lang: str) -> Section:
    texts = {i.id: localized(i, "text", lang)[0] for i in items}
    figs = [f for f in figures.item_figures(rows, [i.id for i in items])
            if f.answers or next(i for i in items if i.id == f.item_id).active]
    table = Table("feedback", _("Feedback answers and averages by statement"),
                  [_("Statement"), _("Answers"), _("Average (1–5)"), "1", "2", "3", "4", "5"],
                  [[texts[f.item_id], f.answers, f.average, *f.distribution] for f in figs])
    chart = bar_chart(
        "chart-feedback", _("Average answer by statement"),
        _("Bar chart of the average answer to each statement on a scale from 1 to 5; the same "
          "numbers are in the table below."),
        [Bar(texts[f.item_id], f.average or 0,
             format_decimal(f.average) if f.average is not None else _("no answers"))
         for f in figs],
        max_value=5,
    )
    return Section(_("Feedback"), table, chart)


def _facilitator_section(rows: list[figures.RatingRow], answers: int) -> Section:
    """The facilitators' own survey, beside the clients'. A course has two or three
    facilitators, so averages (and comments) show only from FACILITATOR_MIN_ANSWERS answers."""
    shown = answers >= FACILITATOR_MIN_ANSWERS
    figs = figures.item_figures(rows, FACILITATOR_ITEMS)
    table = Table("facilitator-feedback", _("Facilitators' feedback: averages by statement"),
                  [_("Statement"), _("Answers"), _("Average (1–5)")],
                  [[facilitator_statement(f.item_id), f.answers, f.average if shown else None]
                   for f in figs] if answers else [])
    note = _("%(answers)s facilitators answered.", answers=answers)
    if answers and not shown:
        note += " " + _("Averages are hidden when fewer than %(n)s facilitators answered, so "
                        "that no one's answer can be worked out.", n=FACILITATOR_MIN_ANSWERS)
    return Section(_("Facilitators' feedback"), table, note=note)


def _facilitator_comments_section(rows: list[tuple[int, date, str]],
                                  groups: dict[int, str]) -> Section:
    shown = len(rows) >= FACILITATOR_MIN_ANSWERS
    table = Table("facilitator-comments", _("Comments in the facilitators' feedback"),
                  [_("Group"), _("Date"), _("Comment")],
                  [[groups.get(g, str(g)), day, text] for g, day, text in rows if text]
                  if shown else [], numeric=False)
    note = "" if shown or not rows else _(
        "Comments are hidden when fewer than %(n)s facilitators answered.",
        n=FACILITATOR_MIN_ANSWERS)
    return Section(_("Facilitators' comments"), table, note=note)


def _applications_section(rows: list[figures.ApplicationRow], groups: dict[int, str]) -> Section:
    by_group = sorted(((groups.get(k, str(k)), t)
                       for k, t in figures.applications_by_group(rows).items()),
                      key=lambda p: p[0])

    def cells(t: figures.ApplicationTotals) -> list[Cell]:
        return [t.applicants, t.participants, t.waiting, t.pending, t.declined, t.withdrawn]

    table = Table("applications", _("Applicants and participants by course"),
                  [_("Course"), _("Applicants"), pgettext("report column", "Participants"),
                   _("On the waiting list"), _("Not decided yet"),
                   pgettext("report column", "Declined"), pgettext("report column", "Withdrawn")],
                  [[name, *cells(t)] for name, t in by_group],
                  [_("All courses"), *cells(figures.application_totals(rows))])
    chart = bar_chart(
        "chart-applications", _("Participants by course"),
        _("Bar chart of the accepted participants on each course; the table below also has "
          "the applicants and the waiting list."),
        [Bar(name, t.participants, str(t.participants)) for name, t in by_group],
    )
    return Section(_("Applicants and participants"), table, chart)


def _comments_section(rows: list[tuple[int, date, str]], groups: dict[int, str]) -> Section:
    table = Table("comments", _("Comments in the feedback"), [_("Group"), _("Date"), _("Comment")],
                  [[groups.get(g, str(g)), day, text] for g, day, text in rows], numeric=False)
    return Section(_("Comments"), table)


# CSV for Excel as used in Finland: Finnish and Swedish Excel read ";" as the separator and
# "," as the decimal mark (the comma is taken), and need the UTF-8 byte order mark to show
# ä, ö and å. English exports use "," and ".".
CSV_FORMATS = {"fi": (";", ","), "sv": (";", ","), "en": (",", ".")}


def _csv_cell(value: Cell, decimal_mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", decimal_mark)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    # A name starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def table_csv(table: Table, lang: str) -> str:
    """The table as CSV text, starting with the byte order mark."""
    delimiter, decimal_mark = CSV_FORMATS.get(lang, CSV_FORMATS["fi"])
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([_csv_cell(v, decimal_mark) for v in row])
    return out.getvalue()
