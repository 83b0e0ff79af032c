"""Reports for staff: coordinators and admins see every area, facilitators their own."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ..db_types import database_id, utcnow
from ..i18n import current_language, local_time, localized
from ..people.access import staff_required
from ..people.models import Role, User
from . import queries
from .forms import ReportFilterForm
from .tables import Report, Section, build_report, table_csv


def sees_all_areas(user: User) -> bool:
    return user.role in (Role.COORDINATOR, Role.ADMIN)


bp = Blueprint("reports", __name__, url_prefix="/<lang>/staff/reports")


def decimal(value: float) -> str:
    """A number with the page language's decimal mark (4,5 in Finnish and Swedish)."""
    return format_decimal(value)


def _int_or_none(value: str | None) -> int | None:
    return database_id(value)


def _filter_from_request() -> tuple[ReportFilterForm, queries.ReportFilter]:
    """Read the filter; a facilitator's area is always their own, whatever the URL says.
    Invalid fields are shown with their error and left out of the filter."""
    form = ReportFilterForm(request.args)
    lang = current_language()
    if sees_all_areas(current_user):
        area_id = _int_or_none(form.area.data)
        form.area.choices = [("", _("All areas"))] + [
            (str(a.id), a.name(lang)) for a in queries.all_areas()]
    else:
        area_id = current_user.area_id
        form.area.choices = [(str(area_id), current_user.area.name(lang))]
        form.area.data = str(area_id)
    form.group.choices = [("", _("All groups"))] + [
        (str(g.id), localized(g, "title", lang)[0]) for g in queries.groups_for(area_id)]
    if request.args:
        form.validate()
    start: date | None = None if form.start.errors else form.start.data
    end: date | None = None if form.end.errors else form.end.data
    return form, queries.ReportFilter(area_id=area_id, group_id=_int_or_none(form.group.data),
                                      start=start, end=end)


@bp.get("/")
@staff_required()
def index() -> str:
    form, report_filter = _filter_from_request()
    report: Report = build_report(report_filter, utcnow(), current_language())
    return render_template("reports/index.html", form=form, report=report,
                           query=request.args.to_dict())


@bp.get("/<key>.csv")
@staff_required()
def export(key: str) -> Response:
    _form, report_filter = _filter_from_request()
    lang = current_language()
    report = build_report(report_filter, utcnow(), lang)
    return csv_download(report.sections, key, lang)


def csv_download(sections: list[Section], key: str, lang: str) -> Response:
    """The CSV of the section whose table is `key` (404 if none), named by the Helsinki day."""
    table = next((s.table for s in sections if s.table.key == key), None)
    if table is None:
        abort(404)
    filename = f"{key}-{local_time(utcnow()):%Y-%m-%d}.csv"  # the Helsinki day
    return Response(table_csv(table, lang), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
