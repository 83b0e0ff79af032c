"""After sign-in the browser goes back where it was, but never to another site."""

from __future__ import annotations

import pytest

from remote_groups.people.models import Role


@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\x00/evil.example",
    "/\u3000/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
])
def test_next_to_another_site_goes_to_the_staff_home(client, make, db_session, target):
    user = make.user(make.area(), Role.FACILITATOR)
    db_session.commit()
    answer = client.post("/fi/staff/login", query_string={"next": target},
                         data={"email": user.email, "password": "correct horse battery"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/fi/staff/"


def test_next_within_the_site_is_kept(client, make, db_session):
    user = make.user(make.area(), Role.FACILITATOR)
    db_session.commit()
    answer = client.post("/fi/staff/login", query_string={"next": "/fi/staff/swaps/?x=1"},
                         data={"email": user.email, "password": "correct horse battery"})
    assert answer.headers["Location"] == "/fi/staff/swaps/?x=1"
