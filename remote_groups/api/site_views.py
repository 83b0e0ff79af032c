"""Pages and feeds for the areas' own sites: iCalendar feeds per area and for all groups,
an embeddable listing of an area's sessions (for an ``iframe``), and the API page.

The feeds are built by the same functions as a group's feed (:func:`calendar.ics.feed` of
:func:`calendar.invites.session_event`), answer conditional GETs with a 304 before building
anything (:mod:`remote_groups.http_cache`), and take the public pages' filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from .. import csp
from ..calendar import ics
from ..calendar.invites import public_join_url, session_event
from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Session
from ..http_cache import Fingerprint, answer_if_fresh, stamp
from ..i18n import current_language
from ..links import external_url
from ..people.models import Area
from . import data, params
from .params import ApiError

bp = Blueprint("open_data", __name__, url_prefix="/<lang>")

FEED_FORMAT = "1"
#: A feed starts this long ago (so last week's sessions stay in calendars) unless `from`
#: says otherwise, and holds at most this many sessions, soonest first.
FEED_PAST = timedelta(days=30)
MAX_FEED_SESSIONS = 1000
FEED_REFRESH = timedelta(hours=1)
FEED_MAX_AGE = 900
#: DTSTAMP of a feed with no sessions: fixed, so its bytes only change with its content.
NO_SESSIONS_STAMP = datetime(2026, 1, 1, tzinfo=UTC)
#: Sessions an embedded listing shows.
EMBED_SESSIONS = 20


def _feed_sessions(filters: data.Filters, now: datetime) -> list[Session]:
    query = select(Session).options(
        selectinload(Session.group), selectinload(Session.host_area),
        selectinload(Session.facilitators),
    )
    conditions = filters.group_conditions()
    if conditions:
        query = query.join(Session.group).where(*conditions)
    start = now - FEED_PAST if filters.from_day is None else params.day_start(filters.from_day)
    query = query.where(Session.starts_at >= start)
    if filters.to_day is not None:
        query = query.where(Session.starts_at < params.day_end(filters.to_day))
    query = query.order_by(Session.starts_at, Session.id).limit(MAX_FEED_SESSIONS)
    return list(db.session.scalars(query))


def _feed_parts(session: Session) -> tuple[object, ...]:
    """What a session's VEVENT is made of, for the ETag."""
    return (session.id, session.uid, session.sequence, str(session.status),
            session.updated_at, session.group.title_fi, session.group.title_sv,
            session.group.title_en, session.host_area.name_fi, session.host_area.name_sv,
            tuple(u.id for u in session.facilitators))


def _feed(filters: data.Filters, name: str, scope: object) -> Response:
    lang = current_language()
    sessions = _feed_sessions(filters, utcnow())
    newest = max((s.updated_at for s in sessions if s.updated_at), default=None)
    last_modified = (newest or NO_SESSIONS_STAMP).replace(microsecond=0)
    fingerprint = Fingerprint.of(FEED_FORMAT, scope, lang, filters, name,
                                 external_url("open_data.all_feed", lang=lang),
                                 *(_feed_parts(s) for s in sessions), last_modified=newest)
    response: Response | None = answer_if_fresh(fingerprint)
    if response is None:
        events = [session_event(s, lang, public_join_url(s, lang)) for s in sessions]
        body = ics.feed(events, name=name, refresh=FEED_REFRESH, dtstamp=last_modified)
        response = stamp(Response(body, content_type="text/calendar; charset=utf-8"),
                         fingerprint)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return response


def _filters(declared: Sequence[params.Param], **fixed: Any) -> data.Filters:
    values = params.parse_query(request.args.to_dict(flat=False), declared)
    return data.Filters.of({**values, **fixed})


@bp.errorhandler(ApiError)
def bad_query(error: ApiError) -> Response:
    """Feeds are read by calendar apps and pages by people: a short plain-text reason."""
    return Response(error.message + "\n", status=error.status,
                    content_type="text/plain; charset=utf-8")


def _area_or_404(area_id: int) -> Area:
    area = db.session.get(Area, area_id)
    if area is None:
        abort(404)
    return area


@bp.get("/calendar.ics")
def all_feed() -> Response:
    """Every group's sessions, with the public pages' filters (area, theme, language) and
    a date range."""
    filters = _filters(params.FEED)
    if filters.area_id is not None:
        _area_or_404(filters.area_id)
    return _feed(filters, _("Remote groups"), "all")


@bp.get("/areas/<int:area_id>/calendar.ics")
def area_feed(area_id: int) -> Response:
    """The sessions of every group an area co-runs: what its own site wants to show."""
    area = _area_or_404(area_id)
    lang = current_language()
    filters = _filters([p for p in params.FEED if p.name != "area"], area=area.id)
    name = f"{_('Remote groups')}: {area.name(lang)}"
    return _feed(filters, name, ("area", area.id))


@bp.get("/areas/<int:area_id>/embed")
@csp.replace("frame-ancestors", "*")  # made to be framed by the areas' own sites
def embed(area_id: int) -> Response:
    """An area's next sessions, for its own site to show in an iframe: no script, no
    cookies, quiet styles, each session linking to its join page."""
    area = _area_or_404(area_id)
    now = utcnow()
    found, more = data.sessions_page(data.Filters(area_id=area.id), now, EMBED_SESSIONS, None,
                                     with_group=True)
    page = render_template("open_data/embed.html", area=area, sessions=found, more=more,
                           now=now)
    return Response(page, content_type="text/html; charset=utf-8")


@bp.get("/api")
def api_page() -> str:
    """What the open data is and how a site uses it: the API, the feeds, the embed."""
    lang = current_language()
    areas = sorted(data.all_areas(), key=lambda a: a.name(lang))
    example = areas[0] if areas else None
    return render_template(
        "open_data/api.html", areas=areas, example=example,
        openapi_url=external_url("api.openapi_json"),
        all_feed_url=external_url("open_data.all_feed", lang=lang),
        embed_url=external_url("open_data.embed", lang="fi", area_id=example.id)
        if example else None,
    )
