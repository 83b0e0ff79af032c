"""The intake call's invitation as people receive it: sent by the real worker to the loopback
SMTP server (aiosmtpd), in the recipient's language, with a calendar part that icalendar,
libical (iTIP rules) and Mozilla's ical.js all read; the video room and the dial-in number
and PIN (dial-in API on loopback) are in it."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
from sqlalchemy import select

from remote_groups.intake.models import IntakeSlot

from ..calendar.test_mail_flows import _ical_js_many, _libical_errors, worker  # noqa: F401
from ..conftest import MUC
from .conftest import accept


def _api_up(httpserver, rooms):
    httpserver.expect_request("/phoneNumberList").respond_with_json(
        [{"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 4245 1234"}])
    for n, room in enumerate(rooms):
        httpserver.expect_request("/conferenceMapper",
                                  query_string=f"conference={room}%40{MUC}").respond_with_json(
            {"id": 987654320 + n, "conference": f"{room}@{MUC}"})


def _event(mail):
    cal = icalendar.Calendar.from_ical(mail.calendar)
    [event] = cal.walk("VEVENT")
    return event


def _conferences(event):
    found = event.get("CONFERENCE") or []
    return [(c.params.get("FEATURE"), str(c)) for c in
            (found if isinstance(found, list) else [found])]


def test_booking_moving_and_cancelling_send_invitations_over_smtp_in_two_languages(
        client, intake, db_session, dialin, worker):  # noqa: F811
    slots = list(db_session.scalars(select(IntakeSlot).order_by(IntakeSlot.starts_at)))
    _api_up(dialin, [s.room_name for s in slots])
    fi = accept(intake, "suomeksi@example.com")
    sv = accept(intake, "pa.svenska@example.com", lang="sv", name="Saga Svensson")
    worker()  # the acceptance mails and course invitations
    assert client.post(f"{fi.status_url}/intake", data={"slot": str(slots[0].id)}
                       ).status_code == 303
    assert client.post(f"{sv.status_url}/intake", data={"slot": str(slots[1].id)}
                       ).status_code == 303
    mails = worker()
    by_person = {m.recipient: m for m in mails if "suomeksi" in m.recipient
                 or "svenska" in m.recipient}
    assert set(by_person) == {"suomeksi@example.com", "pa.svenska@example.com"}
    finnish, swedish = by_person["suomeksi@example.com"], by_person["pa.svenska@example.com"]
    assert finnish.subject.startswith("Alkukeskustelu: Mielen hyvinvoinnin kurssi")
    assert swedish.subject.startswith("Inledande samtal: Kurs i psykiskt välmående")
    assert "Alkukeskustelusi on varattu." in finnish.text
    assert "Ditt inledande samtal är bokat." in swedish.text
    assert "+358 9 4245 1234" in swedish.text and "987 654 321" in swedish.text
    assert "näppäile PIN-koodi" in finnish.text
    for mail, slot, lang in ((finnish, slots[0], "fi"), (swedish, slots[1], "sv")):
        assert mail.method == "REQUEST"
        event = _event(mail)
        conferences = _conferences(event)
        assert ("VIDEO", f"{intake_base(dialin)}/{slot.room_name}?lang={lang}") in [
            (f, u.split("#")[0]) for f, u in conferences]
        assert any(f == "PHONE" and u.startswith("tel:+358942451234,,98765432")
                   for f, u in conferences)
        assert event["DTSTART"].dt.astimezone(slot.starts_at.tzinfo) == slot.starts_at
    # The facilitator got both calls, each under its own UID.
    to_facilitator = [m for m in mails if m.recipient == intake.facilitator.email]
    assert len(to_facilitator) == 2
    assert len({str(_event(m)["UID"]) for m in to_facilitator}) == 2

    # Move the Finnish participant's call, then cancel it.
    assert client.post(f"{fi.status_url}/intake", data={"slot": str(slots[2].id)}
                       ).status_code == 303
    moved = [m for m in worker() if m.recipient == "suomeksi@example.com"]
    assert client.post(f"{fi.status_url}/intake/cancel").status_code == 303
    cancelled = [m for m in worker() if m.recipient == "suomeksi@example.com"]
    [moved], [cancelled] = moved, cancelled
    assert moved.subject.startswith("Alkukeskustelu siirtyi:")
    assert cancelled.method == "CANCEL" and "Alkukeskustelu on peruttu:" in cancelled.text
    uid = str(_event(finnish)["UID"])
    assert [(str(_event(m)["UID"]), int(_event(m)["SEQUENCE"]))
            for m in (finnish, moved, cancelled)] == [(uid, 0), (uid, 1), (uid, 2)]

    calendars = [m.calendar for m in (finnish, swedish, moved, cancelled, *to_facilitator)]
    assert _libical_errors(calendars) == [[] for _ in calendars]
    views = _ical_js_many(calendars)
    for view, mail in zip(views, calendars, strict=True):
        [event] = view["events"]
        ours = icalendar.Calendar.from_ical(mail).walk("VEVENT")[0]
        assert event["uid"] == str(ours["UID"]) and event["sequence"] == int(ours["SEQUENCE"])
        assert event["start"]["utc"] == ours["DTSTART"].dt.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z")
        assert event["start"]["zone"] == "Europe/Helsinki"
        assert {"VIDEO"} <= {c["feature"] for c in event["conferences"]}


def intake_base(_dialin) -> str:
    from ..conftest import JITSI

    return JITSI


def test_without_dial_in_the_invitation_has_the_video_way_in_only(
        client, intake, db_session, jitsi, worker):  # noqa: F811
    slot = db_session.scalar(select(IntakeSlot).order_by(IntakeSlot.starts_at))
    person = accept(intake, "vain.video@example.com")
    worker()
    client.post(f"{person.status_url}/intake", data={"slot": str(slot.id)})
    [mail] = [m for m in worker() if m.recipient == "vain.video@example.com"]
    assert [f for f, _u in _conferences(_event(mail))] == ["VIDEO"]
    assert "PIN" not in mail.text
    assert slot.starts_at + timedelta(minutes=30) == _event(mail)["DTEND"].dt
