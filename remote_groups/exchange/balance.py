"""The balance report: per area and period, hours offered in Finnish and in Swedish, hours
hosted for other areas and received from them through exchanges, and the net balance;
and the areas and groups that offer nothing in a language they serve.

The figures are `rules.balance`'s; the hours by language come from the reports' own query
and language balance (`reports.queries.session_rows`, `reports.figures.language_balance`),
so this page and the main report never disagree. Tables, charts and CSV are the reports'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..db_types import utcnow
from ..groups.labels import instruction_language_name
from ..groups.models import Group, InstructionLanguage
from ..i18n import current_language, localized
from ..people.access import staff_required
from ..reports import figures, queries
from ..reports.charts import Bar, bar_chart
from ..reports.forms import ReportFilterForm
from ..reports.tables import Cell, Section, Table
from ..reports.views import csv_download
from ..rules import balance as rules
from . import service

bp = Blueprint("exchange_balance", __name__, url_prefix="/<lang>/staff/exchange/balance")


@dataclass
class BalanceReport:
    sections: list[Section]


def _language(code: str) -> str:
    return instruction_language_name(InstructionLanguage(code))


def _hours_text(hours: float) -> str:
    return _("%(hours)s h", hours=format_decimal(hours))


def build(f: queries.ReportFilter, now: datetime, lang: str) -> BalanceReport:
    areas = [a for a in queries.all_areas() if a.active]
    names = {a.id: a.name(lang) for a in areas}
    rows = queries.session_rows(f, now)
    offered = {area: {code: offer.minutes for code, offer in by_lang.items()}
               for area, by_lang in figures.language_balance(rows).by_area.items()}
    groups = {g.id: g for g in queries.groups_in_report(queries.ReportFilter())}
    with_sessions = {r.group_id for r in rows if not r.cancelled}
    group_rows = [rules.GroupRow(group=g.id, language=g.instruction_language.value,
                                 areas=tuple(ga.area_id for ga in g.group_areas))
                  for g in groups.values() if g.id in with_sessions]
    exchanges = service.exchange_rows(f)
    result = rules.balance({a.id: a.language_codes for a in areas}, offered, exchanges,
                           group_rows)
    return BalanceReport([_balance_section(result, names), _exchanges_section(exchanges, names),
                          _missing_areas_section(result, names),
                          _missing_groups_section(result, groups, names, lang)])


def _balance_section(result: rules.Balance, names: dict[int, str]) -> Section:
    h = rules.hours
    rows: list[list[Cell]] = [
        [names[b.area], h(b.offered["fi"]), h(b.offered["sv"]), h(b.hosted_for_others),
         h(b.received), h(b.net)] for b in result.areas]
    rows.sort(key=lambda r: str(r[0]))
    total = [_("All areas"), h(sum(b.offered["fi"] for b in result.areas)),
             h(sum(b.offered["sv"] for b in result.areas)),
             h(sum(b.hosted_for_others for b in result.areas)),
             h(sum(b.received for b in result.areas)), h(sum(b.net for b in result.areas))]
    table = Table("balance", _("Hours by area: languages and exchanges"),
                  [_("Area"), _("Hours in Finnish"), _("Hours in Swedish"),
                   _("Hosted for other areas (h)"), _("Received from other areas (h)"),
                   _("Net balance (h)")], rows, total)
    bars = []
    for row in rows:
        if row[3] or row[4]:
            for series, (value, word) in enumerate(((row[3], _("hosted for others")),
                                                    (row[4], _("received")))):
                number = float(value or 0)  # type: ignore[arg-type]
                bars.append(Bar(f"{row[0]} – {word}", number, _hours_text(number), series))
    chart = bar_chart(
        "chart-exchange", _("Hours hosted for other areas and received from them"),
        _("Bar chart with two bars for each area that took part in an exchange: hours hosted "
          "for others and hours received. The same numbers are in the table below."), bars)
    note = _("Net balance is hours hosted for other areas minus hours received from them. "
             "Only agreed exchanges count; a co-run series is shared by its areas.")
    return Section(_("Balance between areas"), table, chart if bars else None, note)


def _exchanges_section(exchanges: list[rules.ExchangeRow], names: dict[int, str]) -> Section:
    rows: list[list[Cell]] = sorted(
        ([names.get(e.host, str(e.host)), names.get(e.receiver, str(e.receiver)),
          _language(e.language), rules.hours(e.minutes)] for e in exchanges),
        key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    table = Table("exchanges", _("Exchanges in the period"),
                  [_("Host area"), _("For the area"), _("Language"), _("Hours")], rows)
    return Section(_("Exchanges"), table)


def _missing_areas_section(result: rules.Balance, names: dict[int, str]) -> Section:
    rows: list[list[Cell]] = sorted([names[a], _language(code)]
                                    for a, code in result.areas_missing)
    table = Table("areas-missing", _("Areas that offer nothing in a language they serve"),
                  [_("Area"), _("Language with no sessions")], rows, numeric=False)
    note = _("Only the languages each area serves are listed.")
    return Section(_("Areas with no sessions in a language"), table, note=note)


def _missing_groups_section(result: rules.Balance, groups: dict[int, Group],
                            names: dict[int, str], lang: str) -> Section:
    rows: list[list[Cell]] = []
    for group_id, code in result.groups_missing:
        group = groups[group_id]
        areas = ", ".join(names.get(ga.area_id, "") for ga in group.group_areas)
        rows.append([localized(group, "title", lang)[0], areas, _language(code)])
    rows.sort(key=lambda r: (str(r[0]), str(r[2])))
    table = Table("groups-missing", _("Groups that offer nothing in a language of their areas"),
                  [_("Group"), _("Areas"), _("Language with no sessions")], rows, numeric=False)
    note = _("A group is listed when one of its areas serves a language the group is not in.")
    return Section(_("Groups with no sessions in a language"), table, note=note)


def _filter() -> tuple[ReportFilterForm, queries.ReportFilter]:
    form = ReportFilterForm(request.args)
    if request.args:
        form.validate()
    start = None if form.start.errors else form.start.data
    end = None if form.end.errors else form.end.data
    return form, queries.ReportFilter(start=start, end=end)


@bp.get("/")
@staff_required()
def index() -> str:
    form, f = _filter()
    report = build(f, utcnow(), current_language())
    query = {k: v for k, v in request.args.items() if k in ("start", "end")}
    return render_template("exchange/balance.html", form=form, report=report, query=query)


@bp.get("/<key>.csv")
@staff_required()
def export(key: str) -> Response:
    _form, f = _filter()
    lang = current_language()
    return csv_download(build(f, utcnow(), lang).sections, key, lang)
