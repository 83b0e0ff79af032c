"""Applying, the private status link, changing details and withdrawing."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, text

from remote_groups.courses.models import Application, ApplicationChange
from remote_groups.db_types import utcnow
from remote_groups.rules.capacity import Status

from .conftest import form_data, outbox, status_token


def _applications(db_session):
    return list(db_session.scalars(select(Application).order_by(Application.id)))


def test_the_form_asks_for_everything_in_swedish(client, course):
    page = client.get(f"/sv/courses/{course.group.id}/apply").get_data(as_text=True)
    assert "Kurs i psykiskt välmående" in page
    for label in ('name="name"', 'name="email"', 'name="phone"', 'name="home_area"',
                  'name="language"', 'name="motivation"', 'name="support_needs"',
                  'name="consent"'):
        assert label in page
    assert "Västra området" in page  # county names in Swedish
    assert "30" in page  # how long the details are kept


def test_errors_are_shown_next_to_the_fields_and_nothing_typed_is_lost(client, course, db_session):
    data = form_data(course.areas[0], email="ei-osoite", consent=None, phone="soita minulle")
    response = client.post(f"/fi/courses/{course.group.id}/apply", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error"' in page and "Tarkista sähköpostiosoite" in page
    assert 'id="consent-error"' in page
    assert 'id="phone-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="ei-osoite"' in page and "Haluan oppia jaksamaan paremmin arjessa." in page
    assert _applications(db_session) == []
    assert outbox() == []


def test_an_application_is_saved_and_confirmed_by_mail_with_a_private_link(
        client, course, db_session):
    response = client.post(f"/sv/courses/{course.group.id}/apply",
                           data=form_data(course.areas[1], language="sv"))
    assert response.status_code == 303
    assert "/sv/courses/" in response.headers["Location"]
    [application] = _applications(db_session)
    assert application.status == Status.PENDING
    assert application.home_area_id == course.areas[1].id
    [mail] = outbox(kind="course_application")
    assert mail.recipient == "hakija@example.com" and mail.language == "sv"
    assert "Kurs i psykiskt välmående" in mail.subject
    token = status_token(mail)
    # Only a hash of the link is stored.
    raw = db_session.execute(text("SELECT * FROM course_applications")).mappings().one()
    assert token not in str(dict(raw))
    page = client.get(f"/sv/my/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Mottagen, väntar på beslut" in page.get_data(as_text=True)


def test_the_why_and_support_texts_are_encrypted_at_rest(client, course, db_session):
    client.post(f"/fi/courses/{course.group.id}/apply", data=form_data(course.areas[0]))
    raw = db_session.execute(
        text("SELECT motivation, support_needs, email_hash FROM course_applications")
    ).one()
    assert "jaksamaan" not in raw.motivation and raw.motivation.startswith("gAAAA")
    assert "taukoja" not in raw.support_needs
    assert "hakija" not in raw.email_hash
    db_session.expire_all()
    [application] = _applications(db_session)
    assert application.motivation == "Haluan oppia jaksamaan paremmin arjessa."


CONFIRM_LINK = re.compile(r"https://etaryhmat\.example\.fi(/(?:fi|sv|en)/courses/confirm/\S+)")


def _confirm_path(mail) -> str:
    match = CONFIRM_LINK.search(mail.body_text)
    assert match, "no confirmation link in the mail"
    return match.group(1)


def test_the_same_address_again_changes_nothing_until_its_owner_confirms(client, course,
                                                                         db_session):
    url = f"/fi/courses/{course.group.id}/apply"
    client.post(url, data=form_data(course.areas[0]))
    first = _applications(db_session)[0]
    first_applied = first.applied_at
    [first_mail] = outbox(kind="course_application")
    owner_link = f"/fi/my/{status_token(first_mail)}"
    again = client.post(url, data=form_data(course.areas[1], email="  Hakija@Example.COM ",
                                            motivation="Uusi perustelu.", language="sv"))
    assert again.status_code == 303  # the same answer as for a new application
    db_session.expire_all()
    [application] = _applications(db_session)
    assert application.motivation == "Haluan oppia jaksamaan paremmin arjessa."
    assert application.home_area_id == course.areas[0].id
    assert client.get(owner_link).status_code == 200  # the owner's link still works
    [confirm_mail] = outbox(kind="course_change")
    assert confirm_mail.recipient == "hakija@example.com"
    assert "Uusi perustelu" not in confirm_mail.body_text  # the mail carries no details
    path = _confirm_path(confirm_mail)
    assert path.startswith("/sv/courses/confirm/")
    page = client.get(path)
    assert page.status_code == 200 and "Bekräfta din ansökan" in page.get_data(as_text=True)
    db_session.expire_all()
    assert _applications(db_session)[0].motivation != "Uusi perustelu."  # opening is not enough
    done = client.post(path)
    assert done.status_code == 303
    db_session.expire_all()
    [application] = _applications(db_session)
    assert application.motivation == "Uusi perustelu."
    assert application.home_area_id == course.areas[1].id
    assert application.applied_at == first_applied  # keeps its place in line
    assert client.get(done.headers["Location"]).status_code == 200
    assert client.post(path).status_code == 410  # one use only


def test_a_closed_window_says_when_applications_open(client, course, db_session):
    course.group.applications_open_at = utcnow() + timedelta(days=3)
    course.group.applications_close_at = utcnow() + timedelta(days=9)
    db_session.commit()
    response = client.get(f"/fi/courses/{course.group.id}/apply")
    page = response.get_data(as_text=True)
    assert "Hakuaika ei ole käynnissä" in page and "Hakuaika alkaa" in page
    posted = client.post(f"/fi/courses/{course.group.id}/apply", data=form_data(course.areas[0]))
    assert "Hakuaika ei ole käynnissä" in posted.get_data(as_text=True)
    assert _applications(db_session) == []


def test_an_open_group_has_no_application_form(client, make, db_session):
    group = make.group()
    db_session.commit()
    assert client.get(f"/fi/courses/{group.id}/apply").status_code == 404


def _apply_and_token(client, course, **overrides):
    client.post(f"/fi/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], **overrides))
    return status_token(outbox(kind="course_application")[-1])


def test_details_can_be_changed_with_the_private_link(client, course, db_session):
    token = _apply_and_token(client, course)
    data = form_data(course.areas[1], name="Testi Muutettu", language="sv")
    data.pop("email")
    data.pop("consent")
    response = client.post(f"/fi/my/{token}", data=data)
    assert response.status_code == 303
    db_session.expire_all()
    [application] = _applications(db_session)
    assert application.name == "Testi Muutettu" and application.language == "sv"
    assert application.email == "hakija@example.com"


def test_withdrawing_asks_first_and_then_withdraws(client, course, db_session):
    token = _apply_and_token(client, course)
    confirm = client.get(f"/fi/my/{token}/withdraw")
    assert "Haluatko perua hakemuksesi?" in confirm.get_data(as_text=True)
    assert _applications(db_session)[0].status == Status.PENDING
    client.post(f"/fi/my/{token}/withdraw")
    db_session.expire_all()
    assert _applications(db_session)[0].status == Status.WITHDRAWN
    assert "Hakemus peruttu" in client.get(f"/fi/my/{token}").get_data(as_text=True)


def test_a_withdrawn_application_is_revived_only_by_its_owner(client, course, db_session):
    token = _apply_and_token(client, course)
    client.post(f"/fi/my/{token}/withdraw")
    url = f"/fi/courses/{course.group.id}/apply"
    client.post(url, data=form_data(course.areas[1], name="Joku Muu"))
    db_session.expire_all()
    [application] = _applications(db_session)
    assert application.status == Status.WITHDRAWN and application.name == "Testi Hakija"
    assert client.get(f"/fi/my/{token}").status_code == 200
    # Someone else cannot use an expired link either.
    path = _confirm_path(outbox(kind="course_change")[-1])
    change = db_session.scalars(select(ApplicationChange)).one()
    change.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    assert client.post(path).status_code == 410
    db_session.expire_all()
    assert _applications(db_session)[0].status == Status.WITHDRAWN
    # The owner applies again and confirms from the mail: back in the queue, last in line.
    client.post(url, data=form_data(course.areas[1]))
    client.post(_confirm_path(outbox(kind="course_change")[-1]))
    db_session.expire_all()
    assert _applications(db_session)[0].status == Status.PENDING


def test_an_unknown_link_is_not_found(client, course):
    assert client.get("/fi/my/" + "x" * 43).status_code == 404


def test_nothing_personal_reaches_the_log(client, course, caplog):
    caplog.set_level("DEBUG")
    client.post(f"/fi/courses/{course.group.id}/apply", data=form_data(course.areas[0]))
    logged = caplog.text
    for secret in ("hakija@example.com", "Testi Hakija", "jaksamaan", "taukoja", "040 000"):
        assert secret not in logged


def test_the_privacy_notice_says_what_is_kept_and_for_how_long(client, course):
    page = client.get("/sv/courses/privacy").get_data(as_text=True)
    assert "Dataskyddsbeskrivning för kurssökande" in page
    assert "30 dagar efter att kursen har slutat" in page
    assert "krypterat" in page
