"""The whole course journey in one walk, in a real browser, by keyboard, 320 px wide, in
Finnish and Swedish, with axe on every page on the way: a person applies with needs, a
facilitator sees the needs and accepts, the person books an intake call, answers the
self-assessment at the start and at the end, and the facilitator sees the change in the
course's report. Each step is the feature's own reusable step (`tests/*/steps.py`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remote_groups.assessment.service import store, use_preset
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.intake.models import IntakeBooking
from remote_groups.rules.assessment import Phase
from remote_groups.rules.capacity import Status

from ..assessment.steps import answer_end, answer_start, open_report
from ..intake.conftest import accept
from ..intake.steps import book_intake, publish_intake_slots
from .conftest import outbox, status_token
from .steps import apply_with_needs

pytestmark = pytest.mark.browser

SAVE_DECISION = {"fi": "Tallenna päätös", "sv": "Spara beslutet"}
INTERPRETER = {"fi": "arabia", "sv": "arabiska"}


def _move_course_to_its_last_week(course, db_session) -> None:
    """Time passes: the last session is today, so the end self-assessment is open."""
    now = utcnow()
    for weeks_before, session in enumerate(reversed(course.sessions)):
        session.starts_at = now - timedelta(days=7 * weeks_before, hours=1)
        session.ends_at = session.starts_at + timedelta(hours=2)
    db_session.commit()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_apply_accept_intake_start_end_report(page, live_server, course, db_session, jitsi,
                                              assert_accessible, browser_sign_in, lang):
    course.group.capacity = 12
    items = [item.id for item in use_preset(course.group, "wellbeing").items]
    db_session.commit()
    page.set_viewport_size({"width": 320, "height": 900})

    def check(p) -> None:
        assert_accessible(p)
        assert p.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, \
            p.url

    # 1. Apply with needs.
    email = apply_with_needs(page, live_server, course.group.id, lang,
                             interpreter=INTERPRETER[lang])
    check(page)
    status_url = f"/{lang}/my/{status_token(outbox(kind='course_application', recipient=email)[0])}"
    application = db_session.scalar(select(Application).where(Application.email == email))

    # 2. The facilitator publishes intake times, sees the needs and accepts.
    browser_sign_in(page, course.facilitator, lang)
    day = (utcnow() + timedelta(days=5)).date().isoformat()
    publish_intake_slots(page, course.group.id, day, "9.00, 9.30", lang, check=check)
    page.goto(f"/{lang}/staff/courses/{course.group.id}/applications")
    check(page)
    card = page.locator(f"#application-{application.id}")
    assert INTERPRETER[lang] in card.inner_text()
    card.locator(f"#d-{application.id}-accept").focus()
    page.keyboard.press("Space")
    assert card.locator(f"#d-{application.id}-accept").is_checked()
    card.get_by_role("button", name=SAVE_DECISION[lang]).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    db_session.expire_all()
    assert db_session.get(Application, application.id).status == Status.ACCEPTED

    # 3. The participant books an intake call through the private link.
    book_intake(page, status_url, lang, choice=1, check=check)
    db_session.expire_all()
    booking = db_session.scalar(select(IntakeBooking))
    assert booking is not None and booking.application_id == application.id

    # 4. The start self-assessment.
    answer_start(page, status_url, [1, 2, 3, 4, 5])
    check(page)

    # Four others on the course answer too: every statement 2 at the start, 3 at the end.
    for n in range(4):
        other = accept(course, f"muut-{n}@example.com", lang=lang)
        store(other.application.id, course.group.id, Phase.START, dict.fromkeys(items, 2),
              utcnow())
        store(other.application.id, course.group.id, Phase.END, dict.fromkeys(items, 3),
              utcnow())
    db_session.commit()

    # 5. The end self-assessment, in the course's last week.
    _move_course_to_its_last_week(course, db_session)
    answer_end(page, status_url, [3, 3, 3, 5, 5])
    check(page)

    # 6. The facilitator sees the average change per statement, from five pairs.
    page.set_viewport_size({"width": 1024, "height": 800})
    rows = list(open_report(page, course.group.id, lang).values())
    check(page)
    assert rows[0] == ["5", "1,8", "3", "+1,2"]  # starts 1,2,2,2,2; ends 3 × 5
    assert rows[1] == ["5", "2", "3", "+1"]
    assert rows[2] == ["5", "2,2", "3", "+0,8"]
    assert rows[3] == ["5", "2,4", "3,4", "+1"]  # 4 -> 5, four times 2 -> 3
    assert rows[4] == ["5", "2,6", "3,4", "+0,8"]
