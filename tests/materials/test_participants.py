"""What participants see: an open group's materials on its page and join page, a course's
only behind the private link, the files with safe headers, and the invitation that links
to them, sent through the real worker to the loopback SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy

from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.groups.models import Theme
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.worker import WorkerSettings, send_due
from remote_groups.materials import service
from remote_groups.materials.models import MaterialLanguage
from remote_groups.materials.rules import sniff

from .conftest import PDF, PNG

STATUS_LINK = re.compile(r"/(fi|sv|en)/my/([A-Za-z0-9_\-]{40,})")


def _material(world, db_session, title_fi, data=PDF, url=None, title_sv=""):
    details = service.Details(title_fi=title_fi, title_sv=title_sv,
                              description_fi="Kuvaus " + title_fi, description_sv="",
                              theme=Theme.NUTRITION, language=MaterialLanguage.FI, url=url)
    if url:
        material = service.add_link(details, world.facilitator)
    else:
        material = service.add_file(details, data, sniff(data), world.facilitator)
    db_session.commit()
    return material


def _attach(client, material, target):
    response = client.post(f"/fi/staff/materials/{material.id}/attach", data={"target": target})
    assert response.status_code == 303


def _accepted(client, login, world, db_session, email="osallistuja@example.com", lang="fi"):
    """Apply through the web, then a facilitator accepts; the applicant's status token."""
    client.post(f"/{lang}/courses/{world.course.id}/apply", data={
        "name": "Testi Osallistuja", "email": email, "phone": "", "language": lang,
        "home_area": str(world.west.id), "motivation": "Haluan mukaan.",
        "support_needs": "", "consent": "y"})
    mail = db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "course_application", OutboxMessage.recipient == email)).all()[-1]
    token = STATUS_LINK.search(mail.body_text).group(2)
    login(world.facilitator)
    application = db_session.scalar(select(Application).where(Application.email == email))
    response = client.post(f"/fi/staff/courses/{world.course.id}/applications/"
                           f"{application.id}/decision", data={"decision": "accept"})
    assert response.status_code == 303
    client.post("/fi/staff/logout")
    return token


def _assert_safe_download(response, content_type, cache):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy_ = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy_ and "script-src 'none'" in policy_
    assert "sandbox" in policy_
    assert response.headers["Cache-Control"] == cache


def test_an_open_groups_materials_on_its_page_and_join_page(
        client, login, world, db_session):
    on_session = _material(world, db_session, "Tuolijumppa", title_sv="Stolgympa")
    on_group = _material(world, db_session, "Liikuntasuositus", url="https://ukkinstituutti.fi/")
    unattached = _material(world, db_session, "Liittämätön", data=PNG)
    login(world.facilitator)
    _attach(client, on_session, f"s{world.open_session.id}")
    _attach(client, on_group, f"g{world.open_group.id}")
    client.post("/fi/staff/logout")
    page = client.get(f"/sv/groups/{world.open_group.id}").get_data(as_text=True)
    assert "Stolgympa" in page and f'href="/sv/materials/{on_session.id}"' in page
    assert 'href="https://ukkinstituutti.fi/"' in page
    assert 'lang="fi" rel="noopener noreferrer">Liikuntasuositus' in page
    assert "Liittämätön" not in page
    join = client.get(f"/fi/sessions/{world.open_session.id}/join").get_data(as_text=True)
    assert "Tuolijumppa" in join and "Liikuntasuositus" in join
    response = client.get(f"/fi/materials/{on_session.id}")
    _assert_safe_download(response, "application/pdf", "public, max-age=300")
    assert response.get_data() == PDF
    assert 'filename="Tuolijumppa.pdf"' in response.headers["Content-Disposition"]
    # Not attached to anything open: not there for the public.
    assert client.get(f"/fi/materials/{unattached.id}").status_code == 404
    assert client.get("/fi/materials/999999").status_code == 404


def test_staff_download_has_the_same_safe_headers(client, login, world, db_session):
    material = _material(world, db_session, "Kuva", data=PNG)
    assert client.get(f"/fi/staff/materials/{material.id}/file").status_code == 302
    login(world.outsider)
    response = client.get(f"/fi/staff/materials/{material.id}/file")
    _assert_safe_download(response, "image/png", "private, no-store")


def test_a_course_material_only_through_the_private_link(client, login, world, db_session):
    material = _material(world, db_session, "Kurssin työkirja")
    login(world.facilitator)
    _attach(client, material, f"s{world.course_session.id}")
    client.post("/fi/staff/logout")
    # Not on the public pages, and the public file URL does not serve it.
    assert "Kurssin työkirja" not in client.get(f"/fi/groups/{world.course.id}").get_data(
        as_text=True)
    assert client.get(f"/fi/materials/{material.id}").status_code == 404
    token = _accepted(client, login, world, db_session)
    status = client.get(f"/fi/my/{token}").get_data(as_text=True)
    link = f"/fi/my/{token}/materials/{material.id}"
    assert "Kurssin työkirja" in status and link in status
    join = client.get(f"/fi/my/{token}/sessions/{world.course_session.id}/join")
    assert link in join.get_data(as_text=True)
    response = client.get(link)
    _assert_safe_download(response, "application/pdf", "private, no-store")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # A stranger without the token, with a made-up one, or with another course's: 404.
    assert client.get(f"/fi/my/{'x' * 43}/materials/{material.id}").status_code == 404
    assert client.get(f"/fi/my//materials/{material.id}").status_code == 404
    other_course = world.open_group  # an applicant of nothing: the token names no course
    assert client.get(f"/fi/my/{token}/materials/999999").status_code == 404
    assert other_course is not None


def test_a_pending_applicant_does_not_get_the_course_file(client, login, world, db_session):
    material = _material(world, db_session, "Kurssin työkirja")
    login(world.facilitator)
    _attach(client, material, f"g{world.course.id}")
    client.post("/fi/staff/logout")
    client.post(f"/fi/courses/{world.course.id}/apply", data={
        "name": "Odottaja", "email": "odottaa@example.com", "phone": "", "language": "fi",
        "home_area": str(world.west.id), "motivation": "Haluan mukaan.",
        "support_needs": "", "consent": "y"})
    mail = db_session.scalar(select(OutboxMessage).where(
        OutboxMessage.kind == "course_application"))
    token = STATUS_LINK.search(mail.body_text).group(2)
    assert "Kurssin työkirja" not in client.get(f"/fi/my/{token}").get_data(as_text=True)
    assert client.get(f"/fi/my/{token}/materials/{material.id}").status_code == 404


def _send_all(smtp, app):
    settings = WorkerSettings(
        smtp_host=smtp.host, smtp_port=smtp.port, smtp_timeout=5.0,
        mail_from=app.config["MAIL_FROM"], mail_from_name=app.config["MAIL_FROM_NAME"],
        max_attempts=3, max_permanent_attempts=1, batch_size=500)
    db.session.commit()
    send_due(settings, now=utcnow() + timedelta(seconds=1))
    db.session.commit()
    found = []
    for received in smtp.inbox.received:
        message = message_from_bytes(received.raw, policy=policy.SMTP)
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                calendar = part.get_content()
                calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
                found.append((str(message["To"]), calendar.replace("\r\n ", "")))
    return found


def test_the_invitation_links_to_the_sessions_materials(
        client, login, world, db_session, smtp, app, make):
    # A second session, so the participant's entry is a recurring one with a master text.
    make.session_(world.course, starts_at=world.course_session.starts_at + timedelta(days=7),
                  host=world.west, facilitators=[world.facilitator])
    db_session.commit()
    material = _material(world, db_session, "Kurssin työkirja")
    login(world.facilitator)
    _attach(client, material, f"g{world.course.id}")
    client.post("/fi/staff/logout")
    _accepted(client, login, world, db_session, email="kutsu@example.com", lang="sv")
    calendars = dict(_send_all(smtp, app))
    invite = calendars["kutsu@example.com"]
    assert "Material för den här träffen:" in invite
    match = re.search(r"Kurssin työkirja: (https://etaryhmat\.example\.fi(/sv/my/\S+?/materials/"
                      rf"{material.id}))", invite.replace("\\n", "\n").replace("\\,", ","))
    assert match, invite
    # The link in the mail opens the file: it carries the participant's own key.
    response = client.get(match.group(2))
    _assert_safe_download(response, "application/pdf", "private, no-store")


def test_a_facilitators_invitation_links_to_the_staff_page_and_feeds_list_none(
        client, login, world, db_session, smtp, app):
    from remote_groups.calendar import invites

    material = _material(world, db_session, "Tuolijumppa")
    login(world.facilitator)
    _attach(client, material, f"s{world.open_session.id}")
    client.post("/fi/staff/logout")
    [facilitator] = invites.facilitator_recipients(world.open_session)
    assert invites.send_entry(world.open_group, facilitator) is not None
    calendars = dict(_send_all(smtp, app))
    invite = calendars["olli@example.com"].replace("\\n", "\n").replace("\\,", ",")
    assert "Tämän tapaamisen materiaalit:" in invite
    assert (f"Tuolijumppa: https://etaryhmat.example.fi/fi/staff/materials/{material.id}"
            in invite)
    # Feeds are built with a fixed number of queries, so they leave the materials out;
    # subscribers find them on the group page.
    feed = client.get(f"/fi/groups/{world.open_group.id}/calendar.ics").get_data(as_text=True)
    assert "materials/" not in feed.replace("\r\n ", "")
