"""Day one in a real browser (Chromium), with axe-core finding no WCAG 2.1 AA problem in
Finnish or Swedish: an admin corrects an area's Swedish name; a coordinator edits a group's
texts and the public pages show them; a session is moved and the mail server receives the
updated invites (same UID, new time) for the facilitators and the course participant."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from email.message import EmailMessage
from types import SimpleNamespace

import pytest

from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind
from remote_groups.mail.worker import run_worker
from remote_groups.people.models import Role
from remote_groups.rules.capacity import Decision
from remote_groups.rules.rotation import HELSINKI

pytestmark = pytest.mark.browser

def accessible_in_both(page, assert_accessible, path):
    for lang in ("fi", "sv"):
        page.goto(f"/{lang}{path}")
        assert_accessible(page)


def test_admin_corrects_an_areas_swedish_name(page, make, db_session, assert_accessible,
                                              browser_sign_in):
    area = make.area(code="ita-uusimaa", name_fi="Itä-Uudenmaan hyvinvointialue",
                     name_sv="Östra Nyland välfärdsområde", languages="fi,sv")
    admin = make.user(area, Role.ADMIN)
    person = make.user(area, first_name="Elin")
    db_session.commit()
    browser_sign_in(page, admin)
    page.get_by_role("link", name="Alueet").click()
    page.get_by_role("link", name="Itä-Uudenmaan hyvinvointialue").click()
    assert_accessible(page)
    page.fill("#name_sv", "")
    page.get_by_role("button", name="Tallenna alue").click()
    assert page.locator("#name_sv-error").is_visible()  # the message is next to the field
    assert page.title().startswith("Virhe")
    assert_accessible(page)
    page.fill("#name_sv", "Östra Nylands välfärdsområde")
    page.get_by_role("button", name="Tallenna alue").click()
    page.wait_for_url("**/fi/staff/areas/")
    assert "Muutokset on tallennettu." in page.locator(".flashes").inner_text()
    assert "Östra Nylands välfärdsområde" in page.locator("table").inner_text()
    page.goto("/sv/staff/")
    assert "Östra Nylands välfärdsområde" in page.locator("main").inner_text()

    for path in ("/staff/areas/", f"/staff/areas/{area.id}", "/staff/areas/new",
                 "/staff/people/", "/staff/people/invite", f"/staff/people/{person.id}",
                 "/staff/audit", "/staff/", "/staff/outbox/"):
        accessible_in_both(page, assert_accessible, path)
    page.goto("/sv/staff/audit")
    assert "Området ändrat" in page.locator("main").inner_text()


def test_coordinator_edits_a_groups_texts_in_finnish_and_swedish(page, make, db_session,
                                                                  assert_accessible,
                                                                  browser_sign_in):
    area = make.area(languages="fi,sv")
    coordinator = make.user(area, Role.COORDINATOR)
    group = make.group([area], title_fi="Vanha otsikko", title_sv="Gammal rubrik")
    db_session.commit()
    browser_sign_in(page, coordinator)
    page.get_by_role("link", name="Ryhmät ja sarjat").first.click()
    page.get_by_role("link", name="Vanha otsikko").click()
    page.get_by_role("link", name="Muokkaa ryhmää").click()
    assert_accessible(page)
    page.fill("#title_fi", "Liikettä arkeen")
    page.fill("#summary_fi", "Kevyttä liikuntaa yhdessä etänä.")
    page.fill("#title_sv", "Rörelse i vardagen")
    page.fill("#summary_sv", "Lätt motion tillsammans på distans.")
    page.fill("#contact_phone", "abc")
    page.get_by_role("button", name="Tallenna ryhmä").click()
    assert page.locator("#contact_phone-error").is_visible()
    assert page.input_value("#title_sv") == "Rörelse i vardagen"  # nothing typed is lost
    assert_accessible(page)
    page.fill("#contact_phone", "09 816 3000")
    page.fill("#contact_hours_fi", "ma–pe klo 9–15")
    page.fill("#contact_hours_sv", "mån–fre kl. 9–15")
    page.get_by_role("button", name="Tallenna ryhmä").click()
    page.wait_for_url(f"**/staff/series/groups/{group.id}")

    page.goto(f"/fi/groups/{group.id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Liikettä arkeen"
    assert "Kevyttä liikuntaa yhdessä etänä." in page.locator("main").inner_text()
    assert "ma–pe klo 9–15" in page.locator(".contact").inner_text()
    assert_accessible(page)
    page.goto(f"/sv/groups/{group.id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Rörelse i vardagen"
    assert "mån–fre kl. 9–15" in page.locator(".contact").inner_text()
    assert_accessible(page)
    accessible_in_both(page, assert_accessible, f"/staff/series/groups/{group.id}/edit")
    accessible_in_both(page, assert_accessible, f"/staff/series/groups/{group.id}")


def _calendar_part(message: EmailMessage) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_content()
    raise AssertionError("no calendar in the mail")


def _line(calendar: str, prefix: str) -> str:
    return next(line for line in calendar.splitlines() if line.startswith(prefix))


def _sequence(calendar: str) -> int:
    return max(int(line.split(":", 1)[1]) for line in calendar.splitlines()
               if line.startswith("SEQUENCE:"))


def test_a_moved_session_updates_everyones_invite(page, make, db_session, assert_accessible,
                                                  smtp, settings, browser_sign_in):
    area = make.area(languages="fi,sv")
    coordinator = make.user(area, Role.COORDINATOR)
    facilitator = make.user(area, email="ohjaaja@example.fi", first_name="Aino")
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4, title_fi="Vertaiskurssi")
    day = (datetime.now(HELSINKI) + timedelta(days=6)).date()
    session = make.session_(course, datetime.combine(day, time(13), tzinfo=HELSINKI),
                            host=area, facilitators=[facilitator])
    db_session.commit()
    applied = courses.submit_application(course, courses.ApplicantDetails(
        name="Pirkko Osallistuja", email="pirkko@example.fi", phone="", home_area_id=area.id,
        language="sv", motivation="", support_needs=""), utcnow())
    db_session.commit()
    courses.decide_application(course.id, applied.application.id, Decision.ACCEPT, "",
                               facilitator, utcnow())
    db_session.commit()
    session_id = session.id
    course_id, signer = course.id, SimpleNamespace(email=coordinator.email)
    run_worker(settings, once=True, poll_interval=0)  # what was queued before the move
    earlier = {r.rcpt_tos[0]: _calendar_part(r.message) for r in smtp.inbox.received
               if any(p.get_content_type() == "text/calendar" for p in r.message.walk())}
    assert "pirkko@example.fi" in earlier  # the participant's invitation on acceptance
    smtp.inbox.received.clear()

    browser_sign_in(page, signer)
    page.goto(f"/fi/staff/series/groups/{course_id}")
    page.locator(f"a[href$='/sessions/{session_id}/edit']").click()
    assert_accessible(page)
    new_day = day + timedelta(days=1)
    page.fill("#day", new_day.isoformat())
    page.fill("#start_time", "15:00")
    page.fill("#end_time", "16:30")
    page.fill("#topic_fi", "Uni ja lepo")
    page.fill("#topic_sv", "Sömn och vila")
    page.get_by_role("button", name="Tallenna muutokset").click()
    page.wait_for_url(f"**/staff/series/groups/{course_id}")
    assert "Tapaamista on muutettu." in page.locator(".flashes").inner_text()
    accessible_in_both(page, assert_accessible, f"/staff/series/sessions/{session_id}/edit")

    db_session.expire_all()
    run_worker(settings, once=True, poll_interval=0)
    by_recipient = {r.rcpt_tos[0]: r.message for r in smtp.inbox.received}
    assert set(by_recipient) == {"ohjaaja@example.fi", "pirkko@example.fi"}
    for recipient, message in by_recipient.items():
        calendar = _calendar_part(message)
        assert "METHOD:REQUEST" in calendar
        if recipient in earlier:  # the same calendar entry, a newer revision of it
            assert _line(calendar, "UID:") == _line(earlier[recipient], "UID:")
            assert _sequence(calendar) > _sequence(earlier[recipient])
        assert f"DTSTART;TZID=Europe/Helsinki:{new_day:%Y%m%d}T150000" in calendar
    assert "Sömn och vila" in _calendar_part(by_recipient["pirkko@example.fi"])
    page.goto(f"/sv/staff/sessions/{session_id}")
    assert "Träffen ändrad" in page.locator("main").inner_text()
    assert_accessible(page)
