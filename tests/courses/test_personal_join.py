"""The personal join page of a closed course: guest room link, phone numbers from the
deployment's dial-in API (served on loopback), and nothing for the public join page."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow

from ..conftest import JITSI, MUC
from .conftest import form_data, outbox


def test_an_accepted_participant_gets_the_room_and_the_phone_numbers(
        client, course, login, make, db_session, dialin):
    now_on = make.session_(course.group, starts_at=utcnow() - timedelta(minutes=5),
                           host=course.areas[0])
    db_session.commit()
    dialin.expect_request("/phoneNumberList").respond_with_json(
        [{"countryCode": "fi", "tollFree": False, "formattedNumber": "+358 9 0000 0000"}])
    dialin.expect_request("/conferenceMapper",
                          query_string={"conference": f"{now_on.room_name}@{MUC}"}) \
        .respond_with_json({"id": 987654321, "conference": f"{now_on.room_name}@{MUC}"})
    client.post(f"/sv/courses/{course.group.id}/apply",
                data=form_data(course.areas[0], email="puhelin@example.com", language="sv"))
    login(course.facilitator)
    application = db_session.scalar(select(Application))
    client.post(f"/fi/staff/courses/{course.group.id}/applications/{application.id}/decision",
                data={"decision": "accept"})
    [invite] = outbox(kind="invite", recipient="puhelin@example.com")
    link = re.search(r"https://etaryhmat\.example\.fi(/sv/my/\S+?/join)",
                     invite.body_text).group(1)
    html = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert f"{JITSI}/{now_on.room_name}?lang=sv" in html and "jwt=" not in html
    assert "+358 9 0000 0000" in html and "987 654 321" in html
    # The public join page of the same session hands out no room link.
    public = client.get(f"/sv/sessions/{now_on.id}/join").get_data(as_text=True)
    assert f"{JITSI}/{now_on.room_name}" not in public
