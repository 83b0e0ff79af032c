"""Invites for sessions go into the outbox in the recipient's language, with the right
METHOD, UID and SEQUENCE, and never a room link or token."""

import icalendar
from sqlalchemy import select

from remote_groups import signals
from remote_groups.calendar import invites
from remote_groups.calendar.invites import Recipient
from remote_groups.mail.models import OutboxMessage


def _outbox(db_session):
    return list(db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _event(row):
    calendar = icalendar.Calendar.from_ical(row.ics)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_invite_is_a_request_in_the_recipients_language_linking_the_join_page(make, db_session):
    area = make.area(name_sv="Österbotten")
    elin = make.user(area=area, language="sv", first_name="Elin")
    group = make.group(areas=[area], title_fi="Vertaistuki", title_sv="Kamratstöd")
    session = make.session_(group=group, facilitators=[elin])
    invites.queue_invite(session, invites.facilitator_recipients(session)[0])
    db_session.commit()
    [row] = _outbox(db_session)
    assert row.recipient == elin.email and row.language == "sv" and row.ics_method == "REQUEST"
    assert row.subject.startswith("Inbjudan: Kamratstöd")
    calendar, event = _event(row)
    assert str(calendar["METHOD"]) == "REQUEST"
    # One entry per person per group, with its own UID; a first message has SEQUENCE 0.
    assert str(event["UID"]).startswith(f"group-{group.id}-entry-")
    assert int(event["SEQUENCE"]) == 0
    # A facilitator's way in is the staff session page (moderator), not the client page.
    join = f"https://etaryhmat.example.fi/sv/staff/sessions/{session.id}"
    assert str(event["URL"]) == join and str(event["LOCATION"]) == join
    assert session.room_name not in row.ics and session.room_name not in row.body_text
    assert "jwt" not in row.ics
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees if a.params.get("ROLE") == "CHAIR"] == [
        f"mailto:{elin.email}"
    ]
    assert join in row.body_text and "Arrangör: Österbotten" in row.body_text


def test_swap_sends_cancel_to_the_facilitator_taken_off_and_updates_to_the_rest(make, db_session):
    area = make.area()
    old, new = make.user(area=area, language="fi"), make.user(area=area, language="fi")
    session = make.session_(facilitators=[old], host=area)
    before = invites.remember_before(session)
    session.facilitators = [new]
    session.bump_sequence()
    assert invites.queue_session_changed(session, before=before) == 2
    db_session.commit()
    rows = {r.recipient: r for r in _outbox(db_session)}
    # The one taken off: a CANCEL of the session they held (made before entries existed),
    # without STATUS, as the session itself goes on (RFC 5546 3.2.5).
    assert rows[old.email].ics_method == "CANCEL" and rows[old.email].kind == "removed"
    _calendar, event = _event(rows[old.email])
    assert str(event["UID"]) == session.uid and int(event["SEQUENCE"]) == 1
    assert "STATUS" not in event
    # The one added: their first message about it is an invitation.
    assert rows[new.email].ics_method == "REQUEST" and rows[new.email].kind == "invite"
    assert int(_event(rows[new.email])[1]["SEQUENCE"]) == 0


def test_cancelled_session_sends_cancel_to_facilitators_and_participants(app, make, db_session):
    facilitator = make.user()
    session = make.session_(facilitators=[facilitator])
    participant = Recipient(email="osallistuja@example.com", name="Osallistuja",
                            language="fi", chair=False, join_url="https://x.example/oma/abc")

    def source(sender, session):
        return [participant] if session.id == this.id else []

    this = session
    with signals.session_participants.connected_to(source, sender=app):
        from remote_groups.groups.models import SessionStatus

        session.status = SessionStatus.CANCELLED
        session.bump_sequence()
        assert invites.queue_session_changed(session) == 2
        db_session.commit()
        rows = _outbox(db_session)
        assert {r.ics_method for r in rows} == {"CANCEL"}
        assert {r.recipient for r in rows} == {facilitator.email, participant.email}
        mine = next(r for r in rows if r.recipient == participant.email)
        assert "https://x.example/oma/abc" in mine.ics
        assert mine.subject.startswith("Peruttu:")

