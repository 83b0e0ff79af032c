"""iMIP messages: parsed back with the email package, and carried by a real SMTP server."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage, MIMEPart
from email.utils import parsedate_to_datetime

import icalendar
import pytest

from remote_groups.calendar.ics import cancellation, feed, invite
from remote_groups.mail.imip import build_email

SUBJECT = "Kutsu: Hyvinvointiryhmä tiistaina klo 13 – Inbjudan: Välmående på tisdag"
SENDER_NAME = "Etäryhmät – Distansgrupper"


@pytest.fixture()
def invite_ics(make_event, people) -> bytes:
    event = make_event(datetime(2026, 10, 20, 13, 0))
    return invite(event, people.participant, people.organizer, people.dtstamp)


def make_email(ics: bytes | str | None, method: str | None, **overrides) -> EmailMessage:
    arguments = {
        "sender": "noreply@remote-groups.invalid",
        "sender_name": SENDER_NAME,
        "recipient": "pirkko.osallistuja@mail.invalid",
        "subject": SUBJECT,
        "text": "Hei Pirkko,\ntervetuloa ryhmään tiistaina klo 13.\n",
        "html": "<p>Hei Pirkko,</p><p>tervetuloa ryhmään tiistaina klo 13.</p>",
        "ics": ics,
        "method": method,
        "message_id_domain": "remote-groups.invalid",
        "message_id": "outbox-42",
        "date": datetime(2026, 9, 1, 8, 30, tzinfo=UTC),
    }
    return build_email(**{**arguments, **overrides})


def reparse(message: EmailMessage) -> EmailMessage:
    """What a receiving mail client gets: the wire bytes, parsed from scratch."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def content_types(part: MIMEPart) -> list[str]:
    return [p.get_content_type() for p in part.iter_parts()]


def check_invitation(received: EmailMessage, ics: bytes, method: str) -> None:
    """The layout and calendar content every invitation must have on arrival."""
    assert received.get_content_type() == "multipart/mixed"
    alternative, attachment = received.iter_parts()
    assert content_types(alternative) == ["text/plain", "text/html", "text/calendar"]
    text, html, calendar_part = alternative.iter_parts()
    assert text.get_content_charset() == "utf-8"
    assert "tervetuloa ryhmään" in text.get_content()
    assert "tervetuloa ryhmään" in html.get_content()
    assert calendar_part.get_param("method") == method
    assert calendar_part.get_content_charset() == "utf-8"
    calendar_bytes = calendar_part.get_payload(decode=True)
    assert calendar_bytes == ics  # byte for byte, CRLF line ends intact
    assert icalendar.Calendar.from_ical(calendar_bytes)["METHOD"] == method
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_payload(decode=True) == ics


def test_invitation_is_rfc6047_alternative_with_matching_method(invite_ics):
    check_invitation(reparse(make_email(invite_ics, "REQUEST")), invite_ics, "REQUEST")


def test_cancellation_carries_method_cancel_in_mime_and_calendar(make_event, people):
    event = make_event(datetime(2026, 10, 20, 13, 0), sequence=1)
    ics = cancellation(event, people.participant, people.organizer, people.dtstamp)
    check_invitation(reparse(make_email(ics, "CANCEL")), ics, "CANCEL")


def test_without_attachment_the_top_level_is_the_three_alternatives(invite_ics):
    received = reparse(make_email(invite_ics, "REQUEST", attach_ics=False))
    assert received.get_content_type() == "multipart/alternative"
    assert content_types(received) == ["text/plain", "text/html", "text/calendar"]


def test_calendar_given_as_text_is_sent_the_same(invite_ics):
    received = reparse(make_email(invite_ics.decode("utf-8"), "REQUEST"))
    check_invitation(received, invite_ics, "REQUEST")


def test_headers_read_back_in_finnish_and_swedish(invite_ics):
    message = make_email(invite_ics, "REQUEST")
    wire = message.as_bytes()
    received = reparse(message)

    wire.decode("ascii")  # 7-bit clean: no server needs 8BITMIME or SMTPUTF8
    assert "ä".encode() not in wire
    assert received["Subject"] == SUBJECT
    assert received["From"].addresses[0].display_name == SENDER_NAME
    assert received["From"].addresses[0].addr_spec == "noreply@remote-groups.invalid"
    assert received["To"] == "pirkko.osallistuja@mail.invalid"
    assert parsedate_to_datetime(received["Date"]) == datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Message-ID"] == "<outbox-42@remote-groups.invalid>"


def test_message_id_is_stable_for_a_retry_and_unique_otherwise(invite_ics):
    retry_a = make_email(invite_ics, "REQUEST")
    retry_b = make_email(invite_ics, "REQUEST")
    fresh_a = make_email(invite_ics, "REQUEST", message_id=None)
    fresh_b = make_email(invite_ics, "REQUEST", message_id=None)

    assert retry_a["Message-ID"] == retry_b["Message-ID"]
    assert fresh_a["Message-ID"] != fresh_b["Message-ID"]
    assert fresh_a["Message-ID"].endswith("@remote-groups.invalid>")


def test_plain_mail_has_no_calendar_part():
    received = reparse(make_email(None, None))
    assert received.get_content_type() == "multipart/alternative"
    assert content_types(received) == ["text/plain", "text/html"]


@pytest.mark.parametrize(
    ("method", "ics_kind", "message"),
    [
        ("CANCEL", "invite", "method=CANCEL but the calendar says METHOD:REQUEST"),
        ("REQUEST", "feed", "no METHOD"),
        ("REQUEST", None, "together"),
        (None, "invite", "together"),
    ],
)
def test_mismatched_method_is_refused(make_event, people, method, ics_kind, message):
    event = make_event(datetime(2026, 10, 20, 13, 0))
    ics = {
        "invite": invite(event, people.participant, people.organizer, people.dtstamp),
        "feed": feed([event], "Ryhmät", timedelta(hours=1), people.dtstamp),
        None: None,
    }[ics_kind]
    with pytest.raises(ValueError, match=message):
        make_email(ics, method)


def test_invitation_survives_a_real_smtp_server(smtp, invite_ics):
    host, port, inbox = smtp.host, smtp.port, smtp.inbox
    message = make_email(invite_ics, "REQUEST")

    with smtplib.SMTP(host, port, timeout=10) as client:
        refused = client.send_message(message)

    assert refused == {}
    ((mail_from, rcpt_tos, content),) = inbox.messages
    assert mail_from == "noreply@remote-groups.invalid"
    assert rcpt_tos == ["pirkko.osallistuja@mail.invalid"]
    received = message_from_bytes(content, policy=policy.default)
    assert received["Subject"] == SUBJECT
    assert received["Message-ID"] == "<outbox-42@remote-groups.invalid>"
    check_invitation(received, invite_ics, "REQUEST")
