"""Every mail of the flows people live through, captured by a real SMTP server on loopback
(aiosmtpd) after the real worker sent it, on SQLite or PostgreSQL (DATABASE_URL).

For each flow: how many mails each person gets; METHOD, SEQUENCE and STATUS as RFC 5546
wants them (a person's first message for an event is an invitation, SEQUENCE rises on every
later message to the same person, STATUS:CANCELLED only when the session itself is
cancelled); libical's iTIP restriction check on every calendar part; and Mozilla's ical.js
reads every calendar (recurrences expanded) with the same instants as zoneinfo.

The figures per flow are written to $FLOW_COUNTS_FILE when it is set (the "before/after"
table of the closing note)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, time, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import icalendar
import pytest

from remote_groups import dates
from remote_groups.calendar.ics import LOCAL_TIMEZONE
from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.groups.models import GroupKind, Session
from remote_groups.mail.worker import WorkerSettings, send_due
from remote_groups.rules.capacity import Decision
from remote_groups.rules.rotation import SeriesSpec
from remote_groups.series import service as series
from remote_groups.swaps import service as swaps

from .conftest import install_ical_js

LIBICAL_CHECK = Path(__file__).with_name("libical_check.py")
JS_DIR = Path(__file__).resolve().parents[1] / "js"
SYSTEM_PYTHON = "/usr/bin/python3"
SESSIONS = 10


@dataclass
class Mail:
    recipient: str
    subject: str
    text: str
    calendar: str | None
    method: str | None


@dataclass
class Mailbox:
    """What the SMTP server received, per recipient, and the calendar history per person
    and UID across the whole test (for the SEQUENCE rules)."""

    mails: list[Mail] = field(default_factory=list)
    history: dict[tuple[str, str], list[tuple[str, int, str | None, bool]]] = field(
        default_factory=lambda: defaultdict(list))

    def of(self, email: str) -> list[Mail]:
        return [m for m in self.mails if m.recipient == email]


def _parse(raw: bytes) -> Mail:
    message = message_from_bytes(raw, policy=policy.SMTP)
    text, calendar, method = "", None, None
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not text:
            text = part.get_content()
        elif part.get_content_type() == "text/calendar":
            calendar = part.get_content()
            if isinstance(calendar, bytes):
                calendar = calendar.decode()
            method = str(part.get_param("method") or "") or None
    return Mail(str(message["To"]), str(message["Subject"]), text, calendar, method)


@pytest.fixture()
def worker(smtp: Any, app: Any) -> Callable[[], list[Mail]]:
    """Commit, let the real worker send everything due to the loopback SMTP server, and
    return what the server received in this pass."""
    settings = WorkerSettings(
        smtp_host=smtp.host, smtp_port=smtp.port, smtp_timeout=5.0,
        mail_from=app.config["MAIL_FROM"], mail_from_name=app.config["MAIL_FROM_NAME"],
        max_attempts=3, max_permanent_attempts=1, batch_size=500,
    )

    def run() -> list[Mail]:
        db.session.commit()
        before = len(smtp.inbox.received)
        send_due(settings, now=utcnow() + timedelta(seconds=1))
        db.session.commit()
        return [_parse(r.raw) for r in smtp.inbox.received[before:]]

    return run


def _libical_errors(calendars: list[str]) -> list[list[str]]:
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip("the system python with python3-gi (gir1.2-ical-3.0) is not installed")
    result = subprocess.run([SYSTEM_PYTHON, str(LIBICAL_CHECK)], input=json.dumps(calendars),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _ical_js_many(calendars: list[str]) -> list[dict[str, Any]]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for the ical.js check")
    install_ical_js(npm)
    result = subprocess.run([node, str(JS_DIR / "expand.mjs"), "--many"],
                            input=json.dumps(calendars).encode(), capture_output=True,
                            timeout=120, check=False, env={**os.environ, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def _zoneinfo_utc(prop: Any) -> str:
    value = prop.dt
    if value.tzinfo is None:  # not expected: every time carries TZID or is UTC
        value = value.replace(tzinfo=LOCAL_TIMEZONE)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class Checker:
    """Runs the checks on a batch of mails and keeps the per-person history."""

    def __init__(self, box: Mailbox) -> None:
        self.box = box

    def check(self, mails: list[Mail], cancelled_uids: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        if os.environ.get("FLOW_MEASURE_ONLY"):  # counting the old code's mails, no checks
            self.box.mails.extend(mails)
            return
        calendars = [m.calendar for m in mails if m.calendar]
        if not calendars:
            self.box.mails.extend(mails)
            return
        for errors, mail in zip(_libical_errors(calendars), [m for m in mails if m.calendar],
                                strict=True):
            assert errors == [], (mail.subject, errors)
        views = _ical_js_many(calendars)
        for mail, view in zip([m for m in mails if m.calendar], views, strict=True):
            self._check_one(mail, view, cancelled_uids)
        self.box.mails.extend(mails)

    def _check_one(self, mail: Mail, view: dict[str, Any], cancelled_uids: set[str]) -> None:
        assert mail.calendar is not None
        parsed = icalendar.Calendar.from_ical(mail.calendar)
        method = str(parsed["METHOD"])
        assert method == mail.method == view["method"]
        assert method in {"REQUEST", "CANCEL"}
        vevents = parsed.walk("VEVENT")
        assert len({str(v["UID"]) for v in vevents}) == 1, "one event (UID) per message"
        uid = str(vevents[0]["UID"])
        # ical.js places every start where zoneinfo does.
        assert [e["start"]["utc"] for e in view["events"]] == [
            _zoneinfo_utc(v["DTSTART"]) for v in vevents]
        sequence = max(int(v.get("SEQUENCE", 0)) for v in vevents)
        key = (mail.recipient, uid)
        past = self.box.history[key]
        if not past:
            assert method == "REQUEST", f"first message for {uid} to {mail.recipient} is {method}"
        else:
            assert sequence > past[-1][1], (
                f"SEQUENCE must rise: {past[-1][1]} then {sequence} ({mail.subject})")
        for vevent in vevents:
            status = vevent.get("STATUS")
            whole_series_or_session_cancelled = uid in cancelled_uids
            if method == "CANCEL" and status is not None:
                assert str(status) == "CANCELLED"
                assert whole_series_or_session_cancelled or "RECURRENCE-ID" in vevent, (
                    "STATUS:CANCELLED only when the session itself is cancelled")
            if method == "REQUEST":
                assert str(status) != "CANCELLED"
        past.append((method, sequence, None, True))


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    group: Any
    west: Any
    north: Any
    w: Any  # facilitator of the west area
    n: Any  # facilitator of the north area
    sessions: list[Session]
    participant_email: str = "pirkko@example.com"


@pytest.fixture()
def world(make: Any, db_session: Any, app: Any) -> World:
    west = make.area(code="west", name_fi="Länsi", name_sv="Väst", languages="fi,sv")
    north = make.area(code="north", name_fi="Pohjoinen", name_sv="Norr")
    now = utcnow()
    group = make.group([west, north], kind=GroupKind.CLOSED, capacity=5,
                       title_fi="Mielen hyvinvoinnin kurssi", title_sv="Kurs i välmående",
                       applications_open_at=now - timedelta(days=1),
                       applications_close_at=now + timedelta(days=10))
    w = make.user(west, first_name="Wilma", email="wilma@west.example.com")
    n = make.user(north, first_name="Niilo", email="niilo@north.example.com")
    first = (now + timedelta(days=14)).astimezone(LOCAL_TIMEZONE).date()
    spec = SeriesSpec(host_order=(west.id, north.id), weekday=first.weekday(),
                      start_time=time(14), duration=timedelta(minutes=150), interval_weeks=1,
                      first_date=first, count=SESSIONS, skip_holidays=False)
    series.save_series(group, spec, [w, n], now)
    db_session.commit()
    sessions = sorted(group.sessions, key=lambda s: s.starts_at)
    return World(group, west, north, w, n, sessions)


def _apply(world: World, email: str, lang: str = "fi") -> Any:
    details = courses.ApplicantDetails(
        name="Pirkko Osallistuja", email=email, phone="040 000 0000",
        home_area_id=world.west.id, language=lang, motivation="Haluan oppia.",
        support_needs="", wants_reminders=True)
    submitted = courses.submit_application(world.group, details, utcnow())
    db.session.commit()
    return submitted.application


def _decide(world: World, application: Any, decision: Decision) -> None:
    courses.decide_application(world.group.id, application.id, decision, "", world.w, utcnow())
    db.session.commit()


def _counts(mails: list[Mail], world: World) -> dict[str, int]:
    return {"participant": sum(m.recipient == world.participant_email for m in mails),
            "facilitator_w": sum(m.recipient == world.w.email for m in mails),
            "facilitator_n": sum(m.recipient == world.n.email for m in mails)}


def _record(flow: str, counts: dict[str, int]) -> None:
    path = os.environ.get("FLOW_COUNTS_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"flow": flow, **counts}) + "\n")


@pytest.fixture()
def box() -> Iterator[Mailbox]:
    yield Mailbox()


@pytest.fixture()
def accepted(world: World, worker: Callable[[], list[Mail]], box: Mailbox) -> Checker:
    """The participant applied and was accepted; every mail so far sent and checked."""
    checker = Checker(box)
    checker.check(worker())  # the series' first invitations to the facilitators
    application = _apply(world, world.participant_email)
    _decide(world, application, Decision.ACCEPT)
    checker.check(worker())
    return checker


def _upcoming(world: World) -> list[Session]:
    db.session.expire_all()
    return sorted(world.group.sessions, key=lambda s: s.starts_at)


# --- the flows ------------------------------------------------------------------------------


def test_apply_accept_withdraw_reaccept(world, worker, box):
    checker = Checker(box)
    checker.check(worker())
    facilitators_setup = _counts(box.mails, world)
    application = _apply(world, world.participant_email)
    checker.check(worker())
    _decide(world, application, Decision.ACCEPT)
    accepted = worker()
    checker.check(accepted)
    courses.withdraw_application(application, utcnow())
    db.session.commit()
    withdrawn = worker()
    checker.check(withdrawn)
    # Applying again with the same address: the owner confirms by the mailed link (the
    # withdrawn application goes back in the queue), then is accepted again.
    details = courses.ApplicantDetails(
        name="Pirkko Osallistuja", email=world.participant_email, phone="040 000 0000",
        home_area_id=world.west.id, language="fi", motivation="Haluan oppia.",
        support_needs="", wants_reminders=True)
    token = courses.propose_change(application, details, utcnow())
    courses.confirm_change(courses.change_for_token(token, utcnow()), utcnow())
    db.session.commit()
    again = application
    _decide(world, again, Decision.ACCEPT)
    reaccepted = worker()
    checker.check(reaccepted)
    counts = _counts(box.mails, world)
    _record("apply → accept → withdraw → re-accept", {
        "participant": counts["participant"],
        "facilitator": counts["facilitator_w"] - facilitators_setup["facilitator_w"]})
    print("setup", facilitators_setup, "accept", _counts(accepted, world),
          "withdraw", _counts(withdrawn, world), "reaccept", _counts(reaccepted, world))
    assert _counts(accepted, world)["participant"] == 2  # the decision and one invitation
    invitation = next(m for m in accepted if m.recipient == world.participant_email
                      and m.calendar)
    assert invitation.subject.startswith("Kutsu")
    assert "maanantaisin" in invitation.text or "tiistaisin" in invitation.text or "kertaa" in (
        invitation.text)
    (view,) = _ical_js_many([invitation.calendar])
    assert [o["start"]["utc"] for o in view["occurrences"]] == [
        s.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z") for s in _upcoming(world)]
    assert _counts(withdrawn, world)["participant"] == 1  # one CANCEL for the course
    assert [m.method for m in withdrawn] == ["CANCEL"]
    # The change link (hardening: the owner confirms a second application), the
    # confirmation, the decision and one invitation.
    assert _counts(reaccepted, world)["participant"] == 4
    assert counts["facilitator_w"] == facilitators_setup["facilitator_w"]


def test_swap_exchange(world, worker, box, accepted):
    sessions = _upcoming(world)
    mine, theirs = sessions[2], sessions[3]  # west hosts the 3rd, north the 4th
    assert (mine.host_area_id, theirs.host_area_id) == (world.west.id, world.north.id)
    before = len(box.mails)
    outcome = swaps.propose_exchange(world.w, mine, theirs, "", utcnow())
    assert outcome.ok
    accepted.check(worker())
    assert swaps.accept(outcome.request.id, world.n, "").ok
    accepted.check(worker())
    counts = _counts(box.mails[before:], world)
    _record("swap: exchange", {"participant": counts["participant"],
                               "facilitator": counts["facilitator_w"]})
    print(counts)
    # The times did not change; the participant gets their entry once (two sessions have
    # another host and facilitator now), not one mail per session.
    assert counts["participant"] == 1
    # W: the answer, and their entry once (the 3rd out, the 4th in).
    assert counts["facilitator_w"] == 2
    # The update says what changed, session by session, old → new, in Finnish.
    [update] = [m for m in box.mails[before:] if m.recipient == world.participant_email]
    third, fourth = (dates.weekday_date(s.starts_at, "fi") for s in (mine, theirs))
    assert f"{third}, järjestäjä: Länsi → Pohjoinen" in update.text
    assert f"{fourth}, järjestäjä: Pohjoinen → Länsi" in update.text
    assert f"{third}, ohjaajat: Wilma → Niilo" in update.text
    assert f"{fourth}, ohjaajat: Niilo → Wilma" in update.text
    assert "Aika:" not in update.text  # no time changed
    [entry] = [m for m in box.mails[before:] if m.recipient == world.w.email and m.calendar]
    assert f"{third}, ohjaajat: Wilma → Niilo" in entry.text


def test_swap_exchange_told_in_swedish(world, worker, box, accepted):
    """A Swedish participant reads what changed in Swedish, with Swedish dates."""
    swede = "sixten@example.com"
    _decide(world, _apply(world, swede, lang="sv"), Decision.ACCEPT)
    accepted.check(worker())
    sessions = _upcoming(world)
    mine, theirs = sessions[2], sessions[3]
    outcome = swaps.propose_exchange(world.w, mine, theirs, "", utcnow())
    assert outcome.ok and swaps.accept(outcome.request.id, world.n, "").ok
    mails = worker()
    accepted.check(mails)
    [update] = [m for m in mails if m.recipient == swede]
    third, fourth = (dates.weekday_date(s.starts_at, "sv") for s in (mine, theirs))
    assert third.startswith(("mån", "tis", "ons", "tors", "fre", "lör", "sön"))
    assert f"{third}, arrangör: Väst → Norr" in update.text
    assert f"{fourth}, handledare: Niilo → Wilma" in update.text
    assert "järjestäjä" not in update.text


def test_swap_cover(world, worker, box, accepted):
    sessions = _upcoming(world)
    mine = sessions[2]
    before = len(box.mails)
    outcome = swaps.ask_cover(world.w, mine, world.north.id, "", utcnow())
    assert outcome.ok
    accepted.check(worker())
    assert swaps.accept(outcome.request.id, world.n, "").ok
    accepted.check(worker())
    counts = _counts(box.mails[before:], world)
    _record("swap: cover", {"participant": counts["participant"],
                            "facilitator": counts["facilitator_w"]})
    print(counts)
    assert counts["participant"] == 1
    assert counts["facilitator_w"] == 2  # the answer and a CANCEL of the covered session
    first_to_n = [m for m in box.mails[before:] if m.recipient == world.n.email and m.calendar]
    assert first_to_n and first_to_n[-1].method == "REQUEST"


def _move(session: Session, hours: int) -> None:
    """Moving one session as the staff session page does (series.service.change_session)."""
    start = (session.starts_at + timedelta(hours=hours)).astimezone(LOCAL_TIMEZONE)
    end = (session.ends_at + timedelta(hours=hours)).astimezone(LOCAL_TIMEZONE)
    topic = {"fi": session.topic_fi, "sv": session.topic_sv, "en": session.topic_en}
    series.change_session(session, start.date(), start.time(), end.time(),
                          list(session.facilitators), topic, utcnow())
    db.session.commit()


def test_move_one_session(world, worker, box, accepted):
    session = _upcoming(world)[4]
    before = len(box.mails)
    _move(session, 2)
    mails = worker()
    accepted.check(mails)
    counts = _counts(mails, world)
    _record("move one session", {"participant": counts["participant"],
                                 "facilitator": counts["facilitator_w"]})
    print(counts)
    assert counts["participant"] == 1
    participant = next(m for m in box.mails[before:] if m.recipient == world.participant_email)
    assert participant.method == "REQUEST"
    assert "16.00" in participant.text and "14.00" in participant.text  # old → new


def test_cancel_one_session(world, worker, box, accepted):
    session = _upcoming(world)[5]
    series.cancel_session(session)
    db.session.commit()
    mails = worker()
    accepted.check(mails, cancelled_uids={session.uid, *_series_uids(mails)})
    counts = _counts(mails, world)
    _record("cancel one session", {"participant": counts["participant"],
                                   "facilitator": counts["facilitator_n"]})
    print(counts)
    assert counts["participant"] == 1 and counts["facilitator_n"] == 1
    assert {m.method for m in mails} == {"CANCEL"}


def _series_uids(mails: list[Mail]) -> set[str]:
    """The course's series UIDs: a CANCEL of one instance of them carries RECURRENCE-ID."""
    return set()


def test_cancel_a_course(world, worker, box, accepted):
    cancel = getattr(courses, "cancel_course", None)
    if cancel is not None:
        cancel(world.group, "Ohjaaja sairastui.", utcnow())
    else:  # before the feature: every session cancelled one by one
        for session in _upcoming(world):
            series.cancel_session(session)
    db.session.commit()
    mails = worker()
    uids = {str(icalendar.Calendar.from_ical(m.calendar).walk("VEVENT")[0]["UID"])
            for m in mails if m.calendar}
    accepted.check(mails, cancelled_uids=uids)
    counts = _counts(mails, world)
    _record("cancel a course", {"participant": counts["participant"],
                                "facilitator": counts["facilitator_w"]})
    print(counts)
    assert counts["participant"] == 1
    assert counts["facilitator_w"] == counts["facilitator_n"] == 1
    if cancel is not None:
        mine = next(m for m in mails if m.recipient == world.participant_email)
        assert "Syy: Ohjaaja sairastui." in mine.text  # the staff's reason
        assert "STATUS:CANCELLED" in mine.calendar and "RECURRENCE-ID" not in mine.calendar


def test_the_series_edited(world, worker, box, accepted):
    first = _upcoming(world)[0].starts_at.astimezone(LOCAL_TIMEZONE).date()
    spec = SeriesSpec(host_order=(world.west.id, world.north.id), weekday=first.weekday(),
                      start_time=time(15), duration=timedelta(minutes=150), interval_weeks=1,
                      first_date=first, count=SESSIONS, skip_holidays=False)
    series.save_series(world.group, spec, [world.w, world.n], utcnow())
    db.session.commit()
    mails = worker()
    accepted.check(mails)
    counts = _counts(mails, world)
    _record("the series edited (every session an hour later)", {
        "participant": counts["participant"], "facilitator": counts["facilitator_w"]})
    print(counts)
    assert counts["participant"] == 1
    assert counts["facilitator_w"] == counts["facilitator_n"] == 1
    # Every session is an hour later: the update lists each one, old → new, with the dates
    # module's words (no seconds, no offsets).
    [update] = [m for m in mails if m.recipient == world.participant_email]
    for session in _upcoming(world):
        old = dates.session_span(session.starts_at - timedelta(hours=1),
                                 session.ends_at - timedelta(hours=1), "fi")
        new = dates.session_span(session.starts_at, session.ends_at, "fi")
        assert f"Aika: {old} → {new}" in update.text
        assert "klo 14.00–16.30" in old and "klo 15.00–17.30" in new
    assert update.text.count("Aika: ") == SESSIONS


def test_the_sender_and_the_organizer_are_named_in_finnish_and_swedish(world, worker, app):
    [first, *_rest] = worker()
    calendar = icalendar.Calendar.from_ical(first.calendar)
    organizer = calendar.walk("VEVENT")[0]["ORGANIZER"]
    assert organizer.params["CN"] == "Etäryhmät – Distansgrupper"
    assert app.config["MAIL_FROM_NAME"] == "Etäryhmät – Distansgrupper"
