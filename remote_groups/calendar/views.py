"""Calendar feeds over HTTP: a group's subscription feed and one session's .ics download.

Feeds carry no METHOD, ORGANIZER or ATTENDEE (see :mod:`.ics`): they are public pages in
calendar form. Subscribed clients poll them, some every few minutes, so every answer has an
ETag and Last-Modified, and a conditional GET that matches is answered 304 before any
iCalendar is built. The ETag is a hash of what the feed is made of (ids, SEQUENCEs,
statuses, ``updated_at``, titles, language), not of the bytes, so checking it costs only the
queries that load the group, a fixed number however many sessions it has. The validators
and the 304 come from :mod:`remote_groups.http_cache`, as for the public pages.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import gettext as _
from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from ..db_types import utcnow
from ..extensions import db
from ..groups import versions
from ..groups.models import Group, GroupArea, Session
from ..groups.queries import group_with_sessions
from ..http_cache import Fingerprint, answer_if_fresh, stamp
from ..i18n import current_language, localized
from ..links import external_url
from ..ttl_cache import TTLCache
from . import ics
from .invites import public_join_url, session_event

bp = Blueprint("calendar", __name__, url_prefix="/<lang>")

# Raise when the feed's rendering changes, so cached copies are refetched.
FEED_FORMAT = "1"
REFRESH = timedelta(hours=1)
MAX_AGE_SECONDS = 900
CONTENT_TYPE = "text/calendar; charset=utf-8"


class FeedEntry(Protocol):
    """What a feed's ETag is made of: a session, or a narrow row of its columns."""

    @property
    def id(self) -> int: ...

    @property
    def uid(self) -> str: ...

    @property
    def sequence(self) -> int: ...

    @property
    def status(self) -> object: ...

    @property
    def updated_at(self) -> datetime | None: ...


def _session_parts(session: FeedEntry) -> tuple[object, ...]:
    return (session.id, session.uid, session.sequence, str(session.status),
            session.updated_at.isoformat() if session.updated_at else "")


def _last_modified(group: Group, sessions: list[Session]) -> datetime:
    stamps = [s.updated_at for s in sessions if s.updated_at] + [group.created_at or utcnow()]
    return max(stamps).replace(microsecond=0)


def _for_subscribers(response: Response) -> Response:
    """Calendar apps may keep a feed longer than a page (the hook keeps a view's own
    Cache-Control), the 304 included."""
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    return response


def _calendar_response(body: bytes, fingerprint: Fingerprint,
                       filename: str | None = None) -> Response:
    response = Response(body, content_type=CONTENT_TYPE)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _for_subscribers(stamp(response, fingerprint))


def _events(sessions: Iterable[Session], lang: str) -> list[ics.EventData]:
    return [session_event(s, lang, public_join_url(s, lang)) for s in sessions]


@dataclass(frozen=True)
class _KeptFeed:
    body: bytes
    encoding: str


#: Built feeds per worker, by ETag and data version: the first request after a change
#: builds a feed, the others are answered with its bytes.
_feed_bytes: TTLCache[_KeptFeed] = TTLCache(max_entries=512)
FEED_BYTES_SECONDS = 900.0


# A feed holds sessions from this many days back onwards: enough for "what did we do last
# month", small enough that a group running for years stays a quick download.
FEED_HISTORY = timedelta(days=90)


def feed_sessions(sessions: Iterable[Session], now: datetime) -> list[Session]:
    """The sessions a feed holds: those that ended in the last 90 days, and all ahead."""
    since = now - FEED_HISTORY
    return [s for s in sessions if s.ends_at >= since]


def _wants_gzip() -> bool:
    return "gzip" in request.accept_encodings


def _gzipped(response: Response) -> Response:
    """The body gzip-compressed when the client accepts it (a year of sessions is ~300 kB
    of text, ~20 kB gzipped). `Vary: Accept-Encoding` keeps caches from mixing the two."""
    response.vary.add("Accept-Encoding")
    if response.status_code == 200 and _wants_gzip():
        response.set_data(gzip.compress(response.get_data(), mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    return response


def feed_response(sessions: Sequence[FeedEntry], *, key: tuple[object, ...], name: str,
                  lang: str, created_at: datetime | None = None,
                  full: Callable[[], list[Session]] | None = None) -> Response:
    """A subscribable feed of `sessions` (already chosen, e.g. by `feed_sessions`): ETag and
    Last-Modified from what it is made of, 304 before building, gzip when accepted. `key`
    names the feed (its kind and id) for the ETag. Used by the group feed and by feeds of
    several groups. `sessions` may be narrow rows (id, uid, sequence, status, updated_at)
    when `full` loads the same sessions in full, which only building the feed needs."""
    stamps = [s.updated_at for s in sessions if s.updated_at] + [created_at or utcnow()]
    last_modified = max(stamps).replace(microsecond=0)
    fingerprint = Fingerprint.of(
        FEED_FORMAT, *key, lang, name, current_app.config["PUBLIC_BASE_URL"],
        "gzip" if _wants_gzip() else "identity", *(_session_parts(s) for s in sessions),
        last_modified=last_modified,
    )
    if (early := answer_if_fresh(fingerprint)) is not None:
        return _gzipped(_for_subscribers(early))
    # The bytes are kept under the ETag and the version of everything else a feed shows
    # (host areas' and facilitators' names): a poll that misses its 304 is not rebuilt.
    version = versions.current()
    cache_key = (fingerprint.etag, version)
    if version is not None and (kept := _feed_bytes.get(cache_key)) is not None:
        response = _calendar_response(kept.body, fingerprint)
        response.vary.add("Accept-Encoding")
        if kept.encoding:
            response.headers["Content-Encoding"] = kept.encoding
        return response
    chosen = full() if full is not None else sessions
    body = ics.feed(_events(chosen, lang), name=name,  # type: ignore[arg-type]
                    refresh=REFRESH, dtstamp=last_modified)
    response = _gzipped(_calendar_response(body, fingerprint))
    if version is not None:
        _feed_bytes.set(cache_key, _KeptFeed(response.get_data(),
                                             response.headers.get("Content-Encoding", "")),
                        FEED_BYTES_SECONDS)
    return response


def _feed_rows(group_id: int, now: datetime) -> list[Row[Any]]:
    """What a group feed's ETag is made of, as narrow rows (no facilitators, no areas):
    `feed_sessions`' choice, in the same order."""
    query = (select(Session.id, Session.uid, Session.sequence, Session.status,
                    Session.updated_at, Session.starts_at, Session.ends_at)
             .where(Session.group_id == group_id, Session.ends_at >= now - FEED_HISTORY)
             .order_by(Session.starts_at))
    return list(db.session.execute(query))


@bp.get("/groups/<int:group_id>/calendar.ics")
def group_feed(group_id: int) -> Response:
    """The group's sessions from the last 90 days onwards, scheduled and cancelled (struck
    out in clients). The sessions are loaded in full only when the feed is built."""
    versions.current()  # before the rows (see groups/versions.py)
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    now = utcnow()
    lang = current_language()
    rows = _feed_rows(group.id, now)
    name = localized(group, "title", lang)[0] or _("Remote groups")

    def full() -> list[Session]:
        # feed_sessions keeps those ending at `since` or later; the query, after.
        since = now - FEED_HISTORY - timedelta(microseconds=1)
        loaded = group_with_sessions(group_id, ending_after=since)
        return feed_sessions(loaded.sessions, now) if loaded is not None else []

    return feed_response(rows, key=("group", group.id), name=name, lang=lang,
                         created_at=group.created_at, full=full)


def _session_with_details(session_id: int) -> Session | None:
    query = (
        select(Session)
        .where(Session.id == session_id)
        .options(
            selectinload(Session.group).selectinload(Group.group_areas)
            .selectinload(GroupArea.area),
            selectinload(Session.host_area),
            selectinload(Session.facilitators),
        )
    )
    return db.session.scalar(query)


@bp.get("/sessions/<int:session_id>/calendar.ics")
def session_ics(session_id: int) -> Response:
    """One session to add to a calendar by hand (a download, not a subscription)."""
    session = _session_with_details(session_id)
    if session is None:
        abort(404)
    lang = current_language()
    last_modified = _last_modified(session.group, [session])
    fingerprint = Fingerprint.of(
        FEED_FORMAT, "session", lang, current_app.config["PUBLIC_BASE_URL"],
        session.group.title_fi, session.group.title_sv, session.group.title_en,
        *_session_parts(session), last_modified=last_modified,
    )
    if (early := answer_if_fresh(fingerprint)) is not None:
        return _for_subscribers(early)
    body = ics.build_calendar(_events([session], lang), method=None, dtstamp=last_modified)
    return _calendar_response(body, fingerprint, filename=f"session-{session.id}.ics")


def group_feed_links(group: Group) -> dict[str, str]:
    """The https address of the group's feed and its webcal:// twin (which makes phones
    and desktop clients offer to subscribe), both absolute from PUBLIC_BASE_URL."""
    https = external_url("calendar.group_feed", lang=current_language(), group_id=group.id)
    rest = https.partition("://")[2]
    return {"https": https, "webcal": f"webcal://{rest}"}
