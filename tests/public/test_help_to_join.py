"""Help to join (issue 20): every join page and every kind of mail a client gets says whom to
call when joining does not work: the area's contact line with its hours, in the reader's
language. The test walks every join page and makes every client mail kind the service has
(the outbox's list of kinds, less the staff-only ones), so a new kind must come here too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from remote_groups.calendar import invites
from remote_groups.courses import service
from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.feedback.service import send_course_survey
from remote_groups.groups.models import GroupKind
from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.reminders import queue_due_reminders
from remote_groups.mail.views import KIND_NAMES
from remote_groups.offers import service as offers
from remote_groups.offers.models import SeatOffer

PHONE = "09 816 0000"
HOURS = {"fi": "ma–pe klo 9–15", "sv": "mån–fre kl. 9–15"}
HEADING = {"fi": "Eikö liittyminen onnistu? Soita meille",
           "sv": "Fungerar det inte att gå med? Ring oss"}
# Mail kinds that go to staff only; every other kind goes to clients.
STAFF_ONLY = {"password_reset", "password_no_account", "staff_invite", "swap_request",
              "swap_answer", "removed", "exchange_notice"}
# Text messages (sms_*) are in the outbox's list too, but they are not mails: short texts
# with no room for a contact line; tests/sms covers what they say.
TEXT_MESSAGES = {kind for kind in KIND_NAMES if kind.startswith("sms_")}
CLIENT_KINDS = set(KIND_NAMES) - STAFF_ONLY - TEXT_MESSAGES


def _area(make):
    return make.area(code="apu", name_fi="Apualue", name_sv="Hjälpområde", languages="fi,sv",
                     contact_phone=PHONE, contact_email="apu@example.fi",
                     contact_hours_fi=HOURS["fi"], contact_hours_sv=HOURS["sv"])


def _says_whom_to_call(html: str, lang: str) -> None:
    assert PHONE in html and HOURS[lang] in html


def test_every_join_page_says_whom_to_call(client, jitsi, make, db_session):
    area = _area(make)
    now = utcnow()
    open_group = make.group([area], title_fi="Avoin", title_sv="Öppen")
    on_now = make.session_(open_group, starts_at=now - timedelta(minutes=10))
    later = make.session_(open_group, starts_at=now + timedelta(days=2))
    course = make.group([area], kind=GroupKind.CLOSED, capacity=2, title_fi="Kurssi",
                        title_sv="Kurs", applications_open_at=now - timedelta(days=1),
                        applications_close_at=now + timedelta(days=3))
    course_now = make.session_(course, starts_at=now - timedelta(minutes=5))
    course_later = make.session_(course, starts_at=now + timedelta(days=3))
    details = service.ApplicantDetails(
        name="Anna", email="anna@example.com", phone="", home_area_id=area.id,
        language="sv", motivation="Jag vill vara med.", support_needs="")
    submitted = service.submit_application(course, details, now)
    submitted.application.status = "accepted"
    db_session.commit()
    token = submitted.status_token
    pages = [f"/{{lang}}/sessions/{on_now.id}/join", f"/{{lang}}/sessions/{later.id}/join",
             f"/{{lang}}/sessions/{course_now.id}/join",  # a course's public page: the notice
             f"/{{lang}}/my/{token}/sessions/{course_now.id}/join",
             f"/{{lang}}/my/{token}/sessions/{course_later.id}/join"]
    for lang in ("fi", "sv"):
        for page in pages:
            response = client.get(page.format(lang=lang))
            assert response.status_code == 200, page
            html = response.get_data(as_text=True)
            _says_whom_to_call(html, lang)
            assert HEADING[lang] in html, page
            assert 'href="tel:098160000"' in html


def test_every_client_mail_kind_says_whom_to_call(client, jitsi, make, db_session, login,
                                                  app):
    area = _area(make)
    now = utcnow()
    facilitator = make.user(area, email="apuohjaaja@example.com")
    course = make.group([area], kind=GroupKind.CLOSED, capacity=1, title_fi="Kurssi",
                        title_sv="Kurs", applications_open_at=now - timedelta(days=1),
                        applications_close_at=now + timedelta(days=3))
    soon = make.session_(course, starts_at=now + timedelta(minutes=50), facilitators=[facilitator])
    soon.created_at = now - timedelta(days=3)
    later = make.session_(course, starts_at=now + timedelta(days=5), facilitators=[facilitator])
    last = make.session_(course, starts_at=now + timedelta(days=12), facilitators=[facilitator])
    db_session.commit()

    def apply(email, lang):
        client.post(f"/{lang}/courses/{course.id}/apply", data={
            "name": "Testi Hakija", "email": email, "phone": "", "home_area": str(area.id),
            "language": lang, "motivation": "Haluan mukaan.", "support_needs": "",
            "consent": "y", "wants_reminders": "y"})

    def application_email(offer):
        return db_session.get(Application, offer.application_id).email

    def application(email):
        db_session.expire_all()
        return db_session.scalar(select(Application).where(Application.email == email))

    apply("eka@example.com", "sv")  # course_application
    apply("eka@example.com", "sv")  # course_change
    apply("toka@example.com", "fi")
    apply("kolmas@example.com", "fi")
    apply("neljas@example.com", "fi")
    login(facilitator)
    base = f"/fi/staff/courses/{course.id}/applications"
    client.post(f"{base}/{application('eka@example.com').id}/decision",
                data={"decision": "accept"})  # course_decision, invite
    client.post(f"{base}/{application('toka@example.com').id}/decision",
                data={"decision": "waitlist"})
    client.post(f"{base}/{application('neljas@example.com').id}/decision",
                data={"decision": "waitlist"})
    client.post(f"{base}/{application('kolmas@example.com').id}/decision",
                data={"decision": "decline"})
    client.post(f"{base}/{application('eka@example.com').id}/link",
                data={"action": "resend"})  # course_link
    queue_due_reminders(utcnow())  # reminder
    db_session.commit()
    # One session moves (update) and another is cancelled (cancel).
    before = invites.remember_before(later)
    later.starts_at += timedelta(hours=1)
    later.ends_at += timedelta(hours=1)
    later.bump_sequence()
    invites.queue_session_changed(later, before=before)
    last.status = "cancelled"
    last.bump_sequence()
    invites.queue_session_cancelled(last)
    db_session.commit()
    # The participant withdraws (left); the seat is offered to the next (course_offer).
    token = service.queue_new_link(application("eka@example.com"), utcnow())
    db_session.commit()
    client.post(f"/sv/my/{token}/withdraw")
    # The first offer lapses unanswered (course_offer_lapsed); the next person gets it.
    first_offer = db_session.scalar(select(SeatOffer))
    assert offers.expire(first_offer.id, first_offer.expires_at) is not None
    db_session.commit()
    offer_mail = db_session.scalar(select(OutboxMessage).where(
        OutboxMessage.kind == "course_offer",
        OutboxMessage.recipient != application_email(first_offer)))
    from tests.courses.conftest import status_token

    client.post(f"/fi/my/{status_token(offer_mail)}/offer/accept")
    send_course_survey(course, [("eka@example.com", "sv")], utcnow())  # course_survey
    db_session.commit()
    service.cancel_course(course, "", utcnow())  # course_cancelled
    db_session.commit()

    clients = {"eka@example.com": "sv", "toka@example.com": "fi", "kolmas@example.com": "fi",
               "neljas@example.com": "fi"}
    mails = [m for m in db_session.scalars(select(OutboxMessage))
             if m.recipient in clients]
    seen = {m.kind for m in mails}
    assert seen >= CLIENT_KINDS, f"not walked: {sorted(CLIENT_KINDS - seen)}"
    for mail in mails:
        lang = clients[mail.recipient]
        assert mail.language == lang
        for body in (mail.body_text, mail.body_html):
            assert PHONE in body and HOURS[lang] in body, (mail.kind, body[:300])
    # Mails with a way to join say it is the number to call when joining does not work.
    for mail in mails:
        if mail.kind in ("invite", "update", "reminder"):
            assert HEADING[clients[mail.recipient]] in mail.body_text, mail.kind
