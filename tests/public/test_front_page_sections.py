"""The front page loads in full only the sessions its sections show, and still shows the
same: at most 40 on now, 12 later and then a pointer to the groups' own pages."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from remote_groups.db_types import utcnow
from remote_groups.groups.schedule import Agenda, map_agenda, trim_agenda

MORE = "More sessions are listed on each group's page."


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime


def _slots(count: int) -> list[Slot]:
    start = datetime(2026, 12, 3, 10, tzinfo=UTC)
    return [Slot(start + timedelta(hours=i), start + timedelta(hours=i, minutes=90))
            for i in range(count)]


def test_trimming_keeps_what_is_shown_and_one_more_in_order():
    agenda = Agenda(now=_slots(5), today=_slots(2), this_week=[], later=_slots(20))
    trimmed = trim_agenda(agenda, {"now": 3, "today": 3, "later": 12})
    assert trimmed.now == agenda.now[:4]
    assert trimmed.today == agenda.today
    assert trimmed.this_week == []
    assert trimmed.later == agenda.later[:13]


def test_mapping_replaces_entries_and_leaves_out_what_is_gone():
    agenda = Agenda(now=[1, 2], today=[3], this_week=[], later=[4, 5])
    found = {1: "a", 3: "c", 5: "e"}
    assert map_agenda(agenda, found.get) == Agenda(now=["a"], today=["c"], this_week=[],
                                                   later=["e"])


def _cards(html: str, heading_id: str) -> int:
    section = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html,
                        re.DOTALL)
    assert section, heading_id
    return section.group(1).count('<li class="session')


def test_front_page_shows_forty_on_now_and_twelve_later_with_a_pointer(client, make):
    group = make.group(title_fi="Aamujumppa")
    now = utcnow()
    for i in range(41):
        make.session_(group=group, starts_at=now - timedelta(minutes=10 + i))
    for i in range(14):
        make.session_(group=group, starts_at=now + timedelta(days=10, hours=i))

    page = client.get("/en/").text

    assert _cards(page, "h-now") == 40
    assert _cards(page, "h-later") == 12
    assert MORE in page


def test_no_pointer_when_every_later_session_is_shown(client, make):
    group = make.group(title_fi="Iltasatu")
    for i in range(12):
        make.session_(group=group, starts_at=utcnow() + timedelta(days=10, hours=i))

    page = client.get("/en/").text

    assert _cards(page, "h-later") == 12
    assert MORE not in page
