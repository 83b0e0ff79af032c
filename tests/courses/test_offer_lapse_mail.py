"""A seat offer that lapses unanswered (`remote-groups offers expire`): the person gets one
short mail in their language, sent through the loopback SMTP server, saying they are still on
the waiting list, with the area's contact line. Their private link keeps working (the mail
carries none: a fresh one would cut off the one they have)."""

from __future__ import annotations

from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.mail.worker import send_due
from remote_groups.rules.capacity import Status

from ..mail.conftest import settings  # noqa: F401 (the worker's settings, as a fixture)
from .conftest import outbox, status_token
from .test_offers import _expire_now, full_course  # noqa: F401 (fixture)

PHONE = "09 816 1234"


def test_a_lapsed_offer_is_told_once_in_the_persons_language_and_their_link_still_works(
        app, client, course, full_course, db_session, smtp, settings):  # noqa: F811
    west = course.areas[0]
    west.contact_phone, west.contact_hours_sv = PHONE, "mån–fre kl. 9–15"
    west.contact_hours_fi = "ma–pe klo 9–15"
    db_session.commit()
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    link = status_token(outbox(kind="course_offer", recipient="w0@example.com")[0])
    assert outbox(kind="course_offer_lapsed") == []  # nothing before the deadline

    _expire_now(app, db_session, "w0@example.com")
    [mail] = outbox(kind="course_offer_lapsed")
    assert (mail.recipient, mail.language) == ("w0@example.com", "sv")
    assert mail.subject == "Erbjudandet om en plats har gått ut: Kurs i psykiskt välmående"
    assert "/my/" not in mail.body_text and "/my/" not in mail.body_html
    # Running the step again tells nobody twice.
    app.test_cli_runner().invoke(args=["offers", "expire"])
    assert len(outbox(kind="course_offer_lapsed")) == 1

    smtp.inbox.received.clear()
    send_due(settings)
    [message] = [r.message for r in smtp.inbox.received if r.rcpt_tos == ["w0@example.com"]
                 and str(r.message["Subject"]) == mail.subject]
    text = next(p for p in message.walk()
                if p.get_content_type() == "text/plain").get_content()
    for line in ("Du svarade inte på erbjudandet om en plats i tid, så det har gått ut.",
                 "Du står fortfarande på reservlistan.", PHONE, "mån–fre kl. 9–15"):
        assert line in text
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert "reservlistan" in html and 'href="tel:098161234"' in html

    # The link from the offer mail still opens their page, which says they are waiting.
    page = client.get(f"/sv/my/{link}")
    assert page.status_code == 200
    assert "Platsen som erbjöds har gått ut" in page.get_data(as_text=True)
    db_session.expire_all()
    waiting = db_session.scalar(select(Application).where(
        Application.email == "w0@example.com"))
    assert waiting.status == Status.WAITING

    # The next one (Finnish) lets it lapse too: their mail is in Finnish.
    _expire_now(app, db_session, "w1@example.com")
    [_first, second] = outbox(kind="course_offer_lapsed")
    assert (second.recipient, second.language) == ("w1@example.com", "fi")
    assert "Olet yhä varasijalla." in second.body_text and PHONE in second.body_text


def test_an_offer_answered_or_withdrawn_sends_no_lapse_mail(
        app, client, course, full_course, db_session, login):  # noqa: F811
    client.post(f"/fi/my/{full_course['a1']}/withdraw")
    token = status_token(outbox(kind="course_offer", recipient="w0@example.com")[0])
    client.post(f"/sv/my/{token}/offer/accept")
    assert _expire_now(app, db_session, "w0@example.com").startswith("expired 0")
    assert outbox(kind="course_offer_lapsed") == []
