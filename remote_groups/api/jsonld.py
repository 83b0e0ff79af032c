"""schema.org data for a group's page (JSON-LD), so search engines and the areas' sites can
read a group as an event series and its next sessions as online events.

Put in the page as ``<script type="application/ld+json">``: a data block, which browsers
never run, so the Content-Security-Policy's ``script-src 'self'`` does not apply to it
(tests/api/test_jsonld.py checks that Chromium reports no violation). ``tojson`` escapes
``<``, ``>`` and ``&``, so no text in it can close the element.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..calendar.invites import public_join_url
from ..groups.models import Group, InstructionLanguage, Session
from ..i18n import HELSINKI, current_language, localized
from ..people.models import Area
from .data import absolute

#: How many of the next sessions the data lists as Events.
NEXT_SESSIONS = 5
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
STATUS = {"scheduled": "https://schema.org/EventScheduled",
          "cancelled": "https://schema.org/EventCancelled"}


def _languages(group: Group) -> str | list[str]:
    if group.instruction_language == InstructionLanguage.BOTH:
        return ["fi", "sv"]
    return group.instruction_language.value


def _organization(area: Area, lang: str) -> dict[str, Any]:
    return {"@type": "GovernmentOrganization", "name": area.name(lang),
            "alternateName": area.name_sv if lang != "sv" else area.name_fi}


def _event(group: Group, session: Session, lang: str, page: str) -> dict[str, Any]:
    title = localized(group, "title", lang)[0]
    topic = localized(session, "topic", lang)[0]
    # Course participants join by their personal link; for anyone else the way in to a
    # course is its page (where they apply), as on the group page itself.
    join = page if group.is_closed else public_join_url(session, lang)
    return {
        "@type": "Event",
        "name": f"{title}: {topic}" if topic else title,
        "startDate": session.starts_at.astimezone(HELSINKI).isoformat(timespec="seconds"),
        "endDate": session.ends_at.astimezone(HELSINKI).isoformat(timespec="seconds"),
        "eventStatus": STATUS[session.status.value],
        "eventAttendanceMode": ONLINE,
        "location": {"@type": "VirtualLocation", "url": join},
        "url": join,
        "inLanguage": _languages(group),
        "organizer": _organization(session.host_area, lang),
        "isAccessibleForFree": True,
    }


def group_jsonld(group: Group, sessions: Sequence[Session]) -> dict[str, Any]:
    """The group as an EventSeries with its next sessions as Events (`subEvent`)."""
    lang = current_language()
    page = absolute("public.group", lang=lang, group_id=group.id)
    series: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "@id": page,
        "url": page,
        "name": localized(group, "title", lang)[0],
        "description": localized(group, "summary", lang)[0],
        "eventAttendanceMode": ONLINE,
        "location": {"@type": "VirtualLocation", "url": page},
        "inLanguage": _languages(group),
        "organizer": [_organization(area, lang) for area in group.areas],
        "isAccessibleForFree": True,
        "subEvent": [_event(group, s, lang, page) for s in list(sessions)[:NEXT_SESSIONS]],
    }
    return series
