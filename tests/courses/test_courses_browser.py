"""A whole course application in a real browser, in Finnish and Swedish: apply (with a
mistake first), see the status page, a facilitator accepts, the invite is in the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.extensions import db
from remote_groups.rules.capacity import Status

from .conftest import outbox, status_token

pytestmark = pytest.mark.browser

WORDS = {
    "fi": {"apply": "Hae paikkaa", "send": "Lähetä hakemus", "thanks": "Kiitos hakemuksestasi",
           "error_email": "Kirjoita sähköpostiosoitteesi.", "status": "Vastaanotettu",
           "save": "Tallenna päätös", "accepted": "Hyväksytty",
           "title": "Mielen hyvinvoinnin kurssi"},
    "sv": {"apply": "Ansök om en plats", "send": "Skicka ansökan",
           "thanks": "Tack för din ansökan",
           "error_email": "Skriv din e-postadress.", "status": "Mottagen",
           "save": "Spara beslutet", "accepted": "Antagen", "title": "Kurs i psykiskt välmående"},
}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_apply_review_accept_and_the_invite_is_sent(page, course, assert_accessible, lang,
                                                    db_session, browser_sign_in):
    words = WORDS[lang]
    email = f"selain-{lang}@example.com"
    page.goto(f"/{lang}/groups/{course.group.id}")
    page.get_by_role("link", name=words["apply"]).click()
    assert page.get_by_role("heading", level=1).inner_text().endswith(words["title"])
    assert_accessible(page)

    # A first try with the e-mail address missing: errors next to the fields, nothing lost.
    page.fill("#name", "Selain Testaaja")
    page.fill("#motivation", "Haluaisin tavata muita samassa tilanteessa olevia.")
    page.get_by_role("button", name=words["send"]).click()
    assert page.locator("#email-error").inner_text().strip() == words["error_email"]
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert page.locator("#name").input_value() == "Selain Testaaja"
    assert page.locator("#motivation").input_value().startswith("Haluaisin tavata")
    assert_accessible(page)

    page.fill("#email", email)
    page.select_option("#home_area", str(course.areas[1].id))
    page.select_option("#language", lang)
    page.fill("#support_needs", "Tarvitsen tekstityksen.")
    page.check("#consent")
    page.get_by_role("button", name=words["send"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["thanks"]

    token = status_token(outbox(kind="course_application", recipient=email)[0])
    page.goto(f"/{lang}/my/{token}")
    assert words["status"] in page.locator("#h-status").inner_text()
    assert_accessible(page)

    # A facilitator of a co-running area signs in and accepts.
    browser_sign_in(page, course.facilitator, lang)
    page.goto(f"/{lang}/staff/courses/{course.group.id}/applications")
    application = db_session.scalar(select(Application).where(Application.email == email))
    card = page.locator(f"#application-{application.id}")
    card.locator(f"#d-{application.id}-accept").check()
    card.get_by_role("button", name=words["save"]).click()
    page.wait_for_load_state()
    assert words["accepted"] in page.locator(f"#application-{application.id} .badge").inner_text()
    assert_accessible(page)

    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.ACCEPTED
    sent = outbox(kind="invite", recipient=email)
    assert len(sent) == 1  # one invitation: the course as one recurring calendar entry
    assert all(m.ics_method == "REQUEST" and "METHOD:REQUEST" in m.ics for m in sent)
    assert all(m.language == lang and words["title"] in m.ics for m in sent)

    # The applicant's status page now lists the sessions with personal join links.
    page.goto(f"/{lang}/my/{token}")
    assert words["accepted"] in page.locator("#h-status").inner_text()
    assert page.locator(f"a[href*='/my/{token}/sessions/']").count() == len(course.sessions)
    assert_accessible(page)
    # The withdrawal confirmation and the privacy notice, without withdrawing.
    page.goto(f"/{lang}/my/{token}/withdraw")
    assert_accessible(page)
    page.goto(f"/{lang}/courses/privacy")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_confirming_a_second_application_in_the_browser(page, course, client, assert_accessible,
                                                        lang, db_session):
    import re

    from .conftest import form_data

    url = f"/{lang}/courses/{course.group.id}/apply"
    client.post(url, data=form_data(course.areas[0], language=lang))
    client.post(url, data=form_data(course.areas[1], language=lang, motivation="Uusi syy."))
    [mail] = outbox(kind="course_change")
    path = re.search(r"https?://\S+?(/(?:fi|sv)/courses/confirm/\S+)", mail.body_text).group(1)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    assert "/my/" in page.url
    assert_accessible(page)
    page.goto(path)  # used: the link says so, and nothing changes again
    assert_accessible(page)
    db_session.expire_all()
    [application] = db_session.scalars(select(Application)).all()
    assert application.motivation == "Uusi syy."


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_coordinator_cancels_a_course_in_the_browser(page, course, make, db_session, lang,
                                                       assert_accessible, browser_sign_in):
    """From the course list to the confirmation page, then the course is cancelled with a
    reason; axe on every page."""
    from remote_groups.people.models import Role

    coordinator = make.user(course.areas[0], Role.COORDINATOR, email=f"koord-{lang}@example.com")
    db_session.commit()
    browser_sign_in(page, coordinator, lang)
    page.goto(f"/{lang}/staff/courses/")
    cancel = {"fi": "Peru haettava kurssi", "sv": "Ställ in kursen med ansökan"}[lang]
    page.get_by_role("link", name=cancel).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == cancel
    assert_accessible(page)

    # The browser keeps the reason within the limit (the server's own message for a longer
    # one is tested in test_cancel_course.py).
    assert page.get_attribute("#reason", "maxlength") == "300"
    page.fill("#reason", "Ohjaaja sairastui.")
    page.get_by_role("button", name=cancel).click()
    page.wait_for_url(f"**/{lang}/staff/courses/")
    assert_accessible(page)
    db.session.expire_all()
    assert {s.status.value for s in course.group.sessions} == {"cancelled"}
