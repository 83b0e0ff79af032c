"""No page, mail or invite shows a clock time with a colon, or seconds, in Finnish or Swedish:
services in Finland write 14.30 (klo 14.30, kl. 14.30) in both languages."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
from sqlalchemy import select

from remote_groups.calendar import invites
from remote_groups.db_types import utcnow
from remote_groups.i18n import HELSINKI
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.reminders import queue_due_reminders
from remote_groups.people.models import Role

COLON_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d])")
SECONDS = re.compile(r"(?<![\d.:])\d{1,2}[.:]\d{2}[.:]\d{2}(?![\d])")



def visible_text(page: str) -> str:
    """What a reader sees: no scripts or styles, no tags (so no `datetime=` attributes)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def clock_problems(text: str) -> list[str]:
    return [m.group(0) for m in (*COLON_TIME.finditer(text), *SECONDS.finditer(text))]


def test_the_check_finds_colons_and_seconds_but_not_dates():
    assert clock_problems("ti 1.12.2026 klo 14:30–16.00") == ["14:30"]
    assert clock_problems("kl. 14.30.15") == ["14.30.15"]
    assert clock_problems("mån 21.12.2026 kl. 14.00–16.30, 2026-12-21") == []
    assert clock_problems('<time datetime="2026-12-21T14:00:00+02:00">') != []
    assert clock_problems(visible_text('<time datetime="2026-12-21T14:00:00+02:00">x</time>')) == []


@pytest.fixture
def scene(make: Any, db_session: Any) -> Any:
    """A group with sessions at minutes past the hour (14.30 Helsinki time), facilitators
    who read Finnish and Swedish, and a coordinator."""
    area = make.area(languages="fi,sv", name_fi="Pohjanmaa", name_sv="Österbotten")
    fi_user = make.user(area=area, language="fi", first_name="Aino")
    sv_user = make.user(area=area, language="sv", first_name="Elin")
    coordinator = make.user(area=area, role=Role.COORDINATOR, language="fi")
    group = make.group(areas=[area], title_fi="Vertaistuki", title_sv="Kamratstöd")
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(HELSINKI).date()
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 14, 30, tzinfo=HELSINKI)
    later = make.session_(group=group, starts_at=start, minutes=95,
                          facilitators=[fi_user, sv_user])
    soon = make.session_(group=group, starts_at=utcnow() + timedelta(hours=2, minutes=7),
                         minutes=95, facilitators=[fi_user, sv_user])
    db_session.commit()
    return {"group": group, "later": later, "soon": soon, "coordinator": coordinator}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_public_pages_show_times_without_colons(client, scene, lang):
    urls = [f"/{lang}/", f"/{lang}/groups", f"/{lang}/groups/{scene['group'].id}",
            f"/{lang}/sessions/{scene['later'].id}/join",
            f"/{lang}/sessions/{scene['soon'].id}/join"]
    found = {url: clock_problems(visible_text(client.get(url).get_data(as_text=True)))
             for url in urls}
    assert not any(found.values()), found


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_staff_pages_show_times_without_colons(client, login, scene, lang):
    login(scene["coordinator"])
    group, later = scene["group"], scene["later"]
    urls = [f"/{lang}/staff/", f"/{lang}/staff/sessions/{later.id}",
            f"/{lang}/staff/series/groups/{group.id}", f"/{lang}/groups/{group.id}/rotation",
            f"/{lang}/staff/series/sessions/{later.id}/cancel",
            f"/{lang}/staff/series/sessions/{later.id}/host", f"/{lang}/staff/reports/"]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = clock_problems(visible_text(response.get_data(as_text=True)))
    assert not any(found.values()), found


def _mails(db_session: Any, lang: str) -> list[OutboxMessage]:
    return [row for row in db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if row.language == lang]


def _queue_everything(scene: Any, db_session: Any) -> None:
    for session in (scene["later"], scene["soon"]):
        for recipient in invites.facilitator_recipients(session):
            invites.queue_invite(session, recipient)
            invites.queue_cancellation(session, recipient)
    queue_due_reminders(utcnow())
    db_session.commit()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_mails_show_times_without_colons(app, scene, db_session, lang):
    with app.test_request_context(f"/{lang}/"):
        _queue_everything(scene, db_session)
    rows = _mails(db_session, lang)
    assert len(rows) >= 4
    found = {f"{row.kind} {row.id}": clock_problems(
        f"{row.subject}\n{row.body_text}\n{visible_text(row.body_html or '')}") for row in rows}
    assert not any(found.values()), found


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_invites_show_times_without_colons(app, scene, db_session, lang):
    with app.test_request_context(f"/{lang}/"):
        _queue_everything(scene, db_session)
    texts = []
    for row in _mails(db_session, lang):
        if row.ics:
            for event in icalendar.Calendar.from_ical(row.ics).walk("VEVENT"):
                texts.append(f"{event.get('SUMMARY', '')}\n{event.get('DESCRIPTION', '')}")
    assert len(texts) >= 4
    found = [problem for text in texts for problem in clock_problems(text)]
    assert not found, found

