"""Pages behind a private link are sent with `Referrer-Policy: no-referrer` and are never
stored, whichever feature they belong to, and whether or not the link still works."""

from __future__ import annotations

import pytest

from remote_groups.people import security
from remote_groups.people.models import Role


def _check(response):
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/fi/feedback/{t}", "/fi/staff/password/reset/{t}",
                                  "/fi/my/{t}", "/fi/my/{t}/absence"])
def test_unknown_private_links(client, db_session, path):
    _check(client.get(path.format(t="a-link-that-does-not-exist")))


def test_working_password_reset_link(client, make, db_session):
    user = make.user(make.area(), Role.FACILITATOR)
    token = security.issue_reset_token(user)
    db_session.commit()
    page = client.get(f"/fi/staff/password/reset/{token}")
    assert page.status_code == 200
    _check(page)


def test_ordinary_pages_keep_same_origin(client, db_session):
    assert client.get("/fi/").headers["Referrer-Policy"] == "same-origin"
