"""Every staff route, walked with every role from the session's own area and from an area
outside the group, and anonymously: each lets in exactly whom the table says.

The table is the specification. A staff route added later (any URL under /<lang>/staff)
that is missing from it fails `test_every_staff_route_is_in_the_table`, so whoever adds a
route must say who may enter it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.courses import service as courses
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind, Theme
from remote_groups.materials import service as materials
from remote_groups.materials.models import MaterialLanguage
from remote_groups.materials.rules import PDF
from remote_groups.people.models import Role
from remote_groups.swaps import service

EVERYONE = "everyone"  # the sign-in and reset pages
SIGNED_IN = "signed_in"  # any member of staff
AREA = "area"  # staff of the area concerned, and admins from any area
ADMIN = "admin"  # admins only
COORDINATOR = "coordinator"  # coordinators of any area, and admins
COORDINATOR_AREA = "coordinator_area"  # coordinators of a co-running area, and admins
COURSE_FACILITATOR = "course_facilitator"  # those booked to facilitate the course's sessions


@dataclass(frozen=True)
class Route:
    method: str
    policy: str
    args: Callable[[Any], dict[str, Any]] = lambda w: {}
    data: Callable[[Any], dict[str, str]] = lambda w: {}


TABLE: dict[str, Route] = {
    "staff.login": Route("GET", EVERYONE),
    "staff.forgot_password": Route("GET", EVERYONE),
    "staff.reset_password": Route("GET", EVERYONE, lambda w: {"token": "not-a-real-token"}),
    "staff.logout": Route("POST", SIGNED_IN),
    "staff.home": Route("GET", SIGNED_IN),
    "staff.change_password": Route("GET", SIGNED_IN),
    "staff.session_page": Route("GET", AREA, lambda w: {"session_id": w.own_session.id}),
    "staff.session_video": Route("GET", AREA, lambda w: {"session_id": w.own_session.id}),
    "swaps.index": Route("GET", SIGNED_IN),
    "swaps.propose_exchange": Route("GET", AREA, lambda w: {"session_id": w.own_session.id}),
    "swaps.ask_cover": Route("GET", AREA, lambda w: {"session_id": w.own_session.id}),
    "swaps.detail": Route("GET", AREA, lambda w: {"request_id": w.incoming.id}),
    "swaps.answer": Route("POST", AREA, lambda w: {"request_id": w.incoming.id},
                          lambda w: {"decision": "decline", "message": ""}),
    "swaps.withdraw": Route("POST", AREA, lambda w: {"request_id": w.outgoing.id}),
    # The outbox holds people's addresses: admins only (feat/mail).
    "outbox.index": Route("GET", ADMIN),
    "outbox.retry": Route("POST", ADMIN, lambda w: {"message_id": 999999}),
    # Series are set up by coordinators (feat/series); only the pages, no changes, are walked.
    "series.index": Route("GET", COORDINATOR),
    "series.new_group": Route("GET", COORDINATOR),
    "series.manage": Route("GET", COORDINATOR_AREA, lambda w: {"group_id": w.group.id}),
    "series.plan": Route("GET", COORDINATOR_AREA, lambda w: {"group_id": w.group.id}),
    "series.extra": Route("GET", COORDINATOR_AREA, lambda w: {"group_id": w.group.id}),
    "series.cancel": Route("GET", COORDINATOR_AREA, lambda w: {"session_id": w.own_session.id}),
    "series.host": Route("GET", COORDINATOR_AREA, lambda w: {"session_id": w.own_session.id}),
    # Closed courses (feat/courses): staff of a co-running area review; admins answer data
    # requests. Decisions and links are walked with harmless answers (waiting list, revoke).
    "courses_staff.index": Route("GET", SIGNED_IN),
    "courses_staff.applications": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    "courses_staff.participants": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    "courses_staff.participants_csv": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    "courses_staff.decide": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "application_id": w.application_id},
        lambda w: {"decision": "waitlist", "message": ""}),
    "courses_staff.link": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "application_id": w.application_id},
        lambda w: {"action": "revoke"}),
    "courses_staff.data_requests": Route("GET", ADMIN),
    # Messages to a course's participants (issue 18): staff of a co-running area and admins.
    "course_messages.messages": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    # Seat offers (issue 18): staff of a co-running area withdraw an open offer (walked on an
    # application without one: nothing changes).
    "offers_staff.withdraw": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "application_id": w.application_id}),
    # Cancelling a whole course: coordinators of a co-running area and admins. Walked with a
    # reason over the limit, so the form answers and nothing is cancelled.
    "courses_staff.cancel_course": Route("POST", COORDINATOR_AREA,
                                         lambda w: {"group_id": w.course.id},
                                         lambda w: {"reason": "x" * 301}),
    # Reports and feedback (feat/reports): reports for all staff (facilitators see their own
    # area's figures), statements edited by coordinators, course surveys by the course's areas.
    "reports.index": Route("GET", SIGNED_IN),
    "reports.export": Route("GET", SIGNED_IN, lambda w: {"key": "feedback"}),
    "feedback_staff.items": Route("GET", COORDINATOR),
    "feedback_staff.edit_item": Route("GET", COORDINATOR),
    "feedback_staff.course_surveys": Route("GET", SIGNED_IN),
    "feedback_staff.send_survey": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    # Intake calls (issue 18): staff of a co-running area publish times and book for
    # participants (the posts are walked with ids of no slot or booking: refused first).
    "intake_staff.page": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    "intake_staff.required": Route("POST", AREA, lambda w: {"group_id": w.course.id}),
    "intake_staff.add_slots": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id},
        lambda w: {"facilitator": str(w.intake["facilitator"]), "day": w.intake["day"],
                   "times": "9.00", "minutes": "30"}),
    "intake_staff.delete_slot": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "slot_id": w.intake["free"]}),
    "intake_staff.staff_book": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "slot_id": w.intake["to_book"]},
        lambda w: {"application": str(w.intake["unbooked"])}),
    "intake_staff.staff_cancel": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "booking_id": w.intake["booking"]}),
    "intake_staff.done": Route(
        "POST", AREA, lambda w: {"group_id": w.course.id, "booking_id": w.intake["booking"]}),
    # Self-assessment (issue 18): a course's statements by coordinators of a co-running area,
    # its report by the area's staff; the facilitators' own survey by the course's
    # facilitators only (none of the people made here facilitates the course).
    "assessment_staff.scale": Route("GET", COORDINATOR_AREA, lambda w: {"group_id": w.course.id}),
    "assessment_staff.edit_item": Route("GET", COORDINATOR_AREA,
                                        lambda w: {"group_id": w.course.id}),
    "assessment_staff.report": Route("GET", AREA, lambda w: {"group_id": w.course.id}),
    "feedback_staff.facilitator_feedback": Route("GET", COURSE_FACILITATOR,
                                                 lambda w: {"group_id": w.course.id}),
    # Attendance (feat/reports): staff of a co-running area mark; everyone sees their own
    # follow-up list; a contact mark for a missing row just returns to the list.
    "attendance.session_attendance": Route("GET", AREA,
                                           lambda w: {"session_id": w.own_session.id}),
    "attendance.follow_up": Route("GET", SIGNED_IN),
    "attendance.contacted": Route("POST", SIGNED_IN,
                                  lambda w: {"session_id": 999999, "application_id": 999999}),
    # Day one (issue 13): staff accounts by admins and by coordinators for their own area;
    # areas and the audit log by admins; a group's details, archiving and one session's
    # time, facilitators and topic by coordinators of a co-running area.
    "staff_admin.people": Route("GET", COORDINATOR),
    "staff_admin.invite": Route("GET", COORDINATOR),
    "staff_admin.person": Route("GET", COORDINATOR_AREA, lambda w: {"user_id": w.person.id}),
    "staff_admin.deactivate": Route("POST", COORDINATOR_AREA,
                                    lambda w: {"user_id": w.person.id}),
    "staff_admin.reactivate": Route("POST", COORDINATOR_AREA,
                                    lambda w: {"user_id": w.person.id}),
    "staff_admin.invite_again": Route("POST", COORDINATOR_AREA,
                                      lambda w: {"user_id": w.person.id}),
    "staff_admin.areas": Route("GET", ADMIN),
    "staff_admin.new_area": Route("GET", ADMIN),
    "staff_admin.area": Route("GET", ADMIN, lambda w: {"area_id": w.own_area.id}),
    "staff_admin.audit_log": Route("GET", ADMIN),
    "series.edit_group": Route("GET", COORDINATOR_AREA, lambda w: {"group_id": w.group.id}),
    "series.archive": Route("POST", COORDINATOR_AREA, lambda w: {"group_id": w.group.id}),
    "series.edit_session": Route("GET", COORDINATOR_AREA,
                                 lambda w: {"session_id": w.own_session.id}),
    # The exchange board (issue 19): all staff read it and the balance report; coordinators
    # post and answer other areas' posts; the posting area's coordinators agree, decline
    # and withdraw; the answering area's coordinators withdraw their answer.
    "exchange.board": Route("GET", SIGNED_IN),
    "exchange.detail": Route("GET", SIGNED_IN, lambda w: {"post_id": w.exchange["own_post"]}),
    "exchange.new_offer": Route("GET", COORDINATOR),
    "exchange.new_request": Route("GET", COORDINATOR),
    "exchange.answer": Route("GET", COORDINATOR,
                             lambda w: {"post_id": w.exchange["partner_post"]}),
    "exchange.agree": Route("GET", COORDINATOR_AREA,
                            lambda w: {"reply_id": w.exchange["to_own"]}),
    "exchange.decline": Route("POST", COORDINATOR_AREA,
                              lambda w: {"reply_id": w.exchange["to_own"]}),
    "exchange.withdraw": Route("POST", COORDINATOR_AREA,
                               lambda w: {"post_id": w.exchange["own_post"]}),
    "exchange.withdraw_answer": Route("POST", COORDINATOR_AREA,
                                      lambda w: {"reply_id": w.exchange["from_own"]}),
    "exchange_balance.index": Route("GET", SIGNED_IN),
    "exchange_balance.export": Route("GET", SIGNED_IN, lambda w: {"key": "balance"}),
    # The materials library (issue 19): every member of staff finds and downloads; the
    # uploader, their area's coordinators and admins edit and delete (walked as pages);
    # staff who manage the group attach and detach. Attaching is walked without a target
    # (answered "choose one"): which groups a user may attach to is checked per target, in
    # tests/materials/test_library.py.
    "materials.library": Route("GET", SIGNED_IN),
    "materials.new": Route("GET", SIGNED_IN),
    "materials.detail": Route("GET", SIGNED_IN, lambda w: {"material_id": w.material.id}),
    "materials.staff_file": Route("GET", SIGNED_IN, lambda w: {"material_id": w.material.id}),
    "materials.edit": Route("GET", COORDINATOR_AREA, lambda w: {"material_id": w.material.id}),
    "materials.delete": Route("GET", COORDINATOR_AREA,
                              lambda w: {"material_id": w.material.id}),
    "materials.attach": Route("POST", SIGNED_IN, lambda w: {"material_id": w.material.id}),
    "materials.detach": Route("POST", AREA, lambda w: {"material_id": w.material.id,
                                                       "attachment_id": w.attachment.id}),
}

ROLES = [Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN]
WHO = [(role, relation) for role in ROLES for relation in ("own", "other")] + [(None, None)]


def staff_endpoints(app: Any) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/<lang>/staff")}


def test_every_staff_route_is_in_the_table(app):
    missing = staff_endpoints(app) - set(TABLE)
    assert not missing, f"say who may enter these staff routes in TABLE: {sorted(missing)}"
    assert set(TABLE) <= staff_endpoints(app)


@dataclass
class World:
    own_area: Any
    other_area: Any
    own_session: Any
    group: Any
    incoming: Any  # a request addressed to the own area
    outgoing: Any  # a request made by the own area
    course: Any = None  # a closed course co-run by the own area
    application_id: int = 0  # an application to it
    person: Any = None  # a facilitator of the own area with no sessions (account pages)
    exchange: Any = None  # ids of exchange-board posts and answers (see `_exchange_posts`)
    material: Any = None  # a file added by a facilitator of the own area
    attachment: Any = None  # that file attached to the group
    intake: Any = None  # ids of the course's intake times and a booking (see `_intake`)


@pytest.fixture
def world(make, db_session):
    own = make.area(code="own")
    partner = make.area(code="partner")
    other = make.area(code="other")
    group = make.group([own, partner])
    start = utcnow() + timedelta(days=5)
    own_facilitator = make.user(own)
    partner_facilitator = make.user(partner)
    own_session = make.session_(group, start, host=own, facilitators=[own_facilitator])
    partner_session = make.session_(group, start + timedelta(days=7), host=partner,
                                    facilitators=[partner_facilitator])
    db_session.commit()
    incoming = service.propose_exchange(partner_facilitator, partner_session, own_session).request
    outgoing = service.ask_cover(own_facilitator, own_session, None).request
    assert incoming and outgoing
    course = make.group([own, partner], kind=GroupKind.CLOSED, capacity=4)
    applied = courses.submit_application(course, courses.ApplicantDetails(
        name="Testi Hakija", email="hakija@example.com", phone="", home_area_id=own.id,
        language="fi", motivation="Haluan mukaan.", support_needs=""), utcnow())
    db_session.commit()
    person = make.user(own)
    material = materials.add_file(materials.Details(
        title_fi="Ohje", title_sv="", description_fi="", description_sv="",
        theme=Theme.REST, language=MaterialLanguage.FI), b"%PDF-1.4\n%%EOF\n",
        PDF, own_facilitator)
    attachment = materials.attach(material, own_facilitator, group=group)
    db_session.commit()
    return World(own, other, own_session, group, incoming, outgoing, course,
                 applied.application.id, person, _exchange_posts(own, partner, db_session),
                 material, attachment, _intake(course, own, own_facilitator, make, db_session))


def _intake(course: Any, area: Any, facilitator: Any, make: Any, db_session: Any) -> dict:
    """The course requires an intake: three times ahead, one booked by an accepted
    participant, and another accepted participant without a booking."""
    from remote_groups.courses.crypto import email_lookup_hash
    from remote_groups.courses.models import Application
    from remote_groups.intake import service as intake
    from remote_groups.rules.capacity import Status

    course.intake_required = True
    first = (utcnow() + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    slots = intake.add_slots(course, facilitator, [
        (first + timedelta(minutes=30 * n), first + timedelta(minutes=30 * (n + 1)))
        for n in range(3)]).slots
    people = []
    for n in range(2):
        email = f"osallistuja{n}@example.com"
        people.append(Application(group=course, status=Status.ACCEPTED, name=f"Osallistuja {n}",
                                  email=email, email_hash=email_lookup_hash(email),
                                  home_area=area, consent_at=utcnow()))
    db_session.add_all(people)
    db_session.flush()
    booked = intake.book(people[0], slots[2].id, utcnow()).booking
    assert booked is not None
    db_session.commit()
    return {"facilitator": facilitator.id, "day": (first + timedelta(days=1)).date().isoformat(),
            "free": slots[0].id, "to_book": slots[1].id, "unbooked": people[1].id,
            "booking": booked.id}


def _exchange_posts(own: Any, partner: Any, db_session: Any) -> dict[str, int]:
    """An offer by the own area answered by the partner, and an offer by the partner
    answered by the own area."""
    from remote_groups.exchange.models import ExchangePost, ExchangeReply, PostKind
    from remote_groups.groups.models import Theme

    today = utcnow().date()
    posts = {name: ExchangePost(kind=PostKind.OFFER, area_id=area.id, language="sv",
                                theme=Theme.NUTRITION, session_count=2, period_start=today,
                                period_end=today + timedelta(days=60))
             for name, area in (("own_post", own), ("partner_post", partner))}
    replies = {"to_own": ExchangeReply(post=posts["own_post"], area_id=partner.id),
               "from_own": ExchangeReply(post=posts["partner_post"], area_id=own.id)}
    db_session.add_all([*posts.values(), *replies.values()])
    db_session.commit()
    rows: dict[str, ExchangePost | ExchangeReply] = {**posts, **replies}
    return {name: row.id for name, row in rows.items()}


def signed_in_client(app, world, make, db_session, role, relation):
    """A test client signed in as a new user of that role in the own or the other area
    (anonymous when `role` is None)."""
    client = app.test_client()
    if role is not None:
        area = world.own_area if relation == "own" else world.other_area
        user = make.user(area, role)
        db_session.commit()
        assert client.post("/fi/staff/login", data={
            "email": user.email, "password": "correct horse battery"}).status_code == 302
    return client


def allowed(policy: str, role: Role | None, relation: str | None) -> bool:
    if policy == EVERYONE:
        return True
    if role is None:
        return False
    if policy == ADMIN:
        return role == Role.ADMIN
    if policy == COURSE_FACILITATOR:
        return False
    if policy == COORDINATOR:
        return role in (Role.COORDINATOR, Role.ADMIN)
    if policy == COORDINATOR_AREA:
        return role == Role.ADMIN or (role == Role.COORDINATOR and relation == "own")
    return policy == SIGNED_IN or role == Role.ADMIN or relation == "own"


@pytest.mark.parametrize("role,relation", WHO, ids=lambda v: str(v))
def test_each_staff_route_lets_in_exactly_whom_it_should(app, world, make, db_session, role,
                                                         relation):
    from flask import url_for

    client = signed_in_client(app, world, make, db_session, role, relation)
    wrong = []
    for endpoint, route in sorted(TABLE.items()):
        if endpoint == "staff.logout":
            continue  # walked last: it ends the session
        wrong += _check(app, client, world, endpoint, route, role, relation, url_for)
    wrong += _check(app, client, world, "staff.logout", TABLE["staff.logout"], role, relation,
                    url_for)
    assert not wrong, "\n".join(wrong)


def _check(app, client, world, endpoint, route, role, relation, url_for) -> list[str]:
    with app.test_request_context():
        url = url_for(endpoint, lang="fi", **route.args(world))
    response = client.open(url, method=route.method, data=route.data(world))
    location = response.headers.get("Location", "")
    sent_to_login = response.status_code == 302 and "/staff/login" in location
    refused = response.status_code in (401, 403) or sent_to_login
    expected = allowed(route.policy, role, relation)
    if expected and (refused or (response.status_code >= 400 and response.status_code != 410)):
        return [f"{endpoint}: {role}/{relation} should enter, got {response.status_code}"]
    if not expected:
        want_login = role is None
        if (want_login and not sent_to_login) or (not want_login and response.status_code != 403):
            return [f"{endpoint}: {role}/{relation} should be refused, got "
                    f"{response.status_code} {location}"]
    return []
