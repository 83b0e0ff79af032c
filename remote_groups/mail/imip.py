"""E-mail messages, with an iCalendar invitation when there is one (iMIP, RFC 6047).

Plain data in, an :class:`email.message.EmailMessage` out; sending is the worker's job.

Layout of a message with a calendar object::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
        text/calendar; method=REQUEST; charset=utf-8
      application/ics; name=invite.ics   (attachment)

Why the extra attachment: the ``text/calendar`` part inside ``multipart/alternative`` is
what Outlook/Exchange, Gmail, Apple Mail and Thunderbird recognise as a meeting (with
Accept buttons and automatic updates). Many of our clients read mail in webmail or phone
apps that ignore that part entirely; for them the ``invite.ics`` attachment is something
they can tap to add the session to their calendar. This is the layout Google Calendar
itself sends, so the big clients show it as one invitation, not two. Pass
``attach_ics=False`` for the bare RFC 6047 ``multipart/alternative``.

The calendar bytes are sent base64-encoded so no mail server can re-wrap the folded
lines or turn CRLF into LF on the way.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import icalendar

ICS_FILENAME = "invite.ics"
_MESSAGE_ID_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


def _calendar_method(ics: bytes) -> str | None:
    """The METHOD inside the calendar object, read with a real parser (folded lines and
    all), so the MIME parameter is checked against what clients will actually see."""
    calendar = icalendar.Calendar.from_ical(ics)
    method = calendar.get("METHOD")
    return str(method).upper() if method is not None else None


def _message_id(message_id: str | None, domain: str) -> str:
    """A stable id when the caller gives one (e.g. built from the outbox row), so a send
    that is retried after a timeout reaches the recipient as the same message and mail
    clients and servers can drop the duplicate."""
    if message_id is None:
        return make_msgid(domain=domain)
    bare = message_id.strip().removeprefix("<").removesuffix(">")
    local, _, given_domain = bare.partition("@")
    full_domain = given_domain or domain
    if not (_MESSAGE_ID_PART.match(local) and _MESSAGE_ID_PART.match(full_domain)):
        raise ValueError(f"unusable message id {message_id!r}")
    return f"<{local}@{full_domain}>"


def build_email(
    *,
    sender: str,
    sender_name: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    ics: bytes | str | None,
    method: str | None,
    message_id_domain: str,
    message_id: str | None = None,
    attach_ics: bool = True,
    date: datetime | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    """Build one message for ``recipient``.

    ``ics`` and ``method`` come together: ``method`` must equal the METHOD inside ``ics``
    (REQUEST or CANCEL), otherwise ``ValueError`` — a mismatch makes Outlook show a
    plain attachment instead of a meeting. Without ``ics`` the message is
    ``multipart/alternative`` text + HTML (or text only when ``html`` is empty).

    ``message_id`` may be ``"local"``, ``"local@domain"`` or ``"<local@domain>"``; the
    domain defaults to ``message_id_domain``. ``date`` defaults to now (UTC).

    Uses the SMTP policy (CRLF line ends); all parts are 7-bit clean on the wire, and
    non-ASCII subjects and names (ä, ö, å) are RFC 2047 encoded.
    """
    if (ics is None) != (method is None):
        raise ValueError("ics and method must be given together")
    ics_bytes: bytes | None = None
    if ics is not None and method is not None:
        ics_bytes = ics.encode("utf-8") if isinstance(ics, str) else ics
        method = method.upper()
        inside = _calendar_method(ics_bytes)
        if inside is None:
            raise ValueError("the calendar has no METHOD; a feed cannot be sent as iMIP")
        if inside != method:
            raise ValueError(f"MIME method={method} but the calendar says METHOD:{inside}")

    message = EmailMessage(policy=policy.SMTP)
    message["From"] = Address(display_name=sender_name, addr_spec=sender)
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = format_datetime((date or datetime.now(UTC)).astimezone(UTC))
    message["Message-ID"] = _message_id(message_id, message_id_domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    message["X-Auto-Response-Suppress"] = "All"  # the same for Exchange

    # quoted-printable keeps the message 7-bit, so no server needs 8BITMIME to carry ä/ö/å.
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html:
        message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if ics_bytes is None:
        _drop_inner_mime_version(message)
        return message

    calendar_params = {"method": method, "charset": "utf-8"}
    message.add_alternative(ics_bytes, "text", "calendar", cte="base64", params=calendar_params)
    if attach_ics:
        message.make_mixed()
        message.add_attachment(
            ics_bytes,
            "application",
            "ics",
            cte="base64",
            filename=ICS_FILENAME,
            params={"name": ICS_FILENAME},  # older Outlook reads the name from here
        )
    _drop_inner_mime_version(message)
    return message


def _drop_inner_mime_version(message: EmailMessage) -> None:
    """The email package stamps MIME-Version on parts it creates; only the top belongs."""
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]
