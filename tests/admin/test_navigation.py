"""Every staff page is within two steps of the staff home: following the links of the home
page and of the pages it links to reaches every staff page that needs no id in its URL
(pages of one group or session are reached from the lists on those pages)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from remote_groups.people.models import Role

NOT_FOR_SIGNED_IN = {"staff.login", "staff.forgot_password"}


def _links(html: str) -> set[str]:
    return {urlsplit(h).path for h in re.findall(r'href="(/fi/staff[^"#]*)"', html)}


def _endpoint(app, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path, method="GET")
    except (RequestRedirect, HTTPException):
        return None
    return endpoint


def test_every_staff_page_is_two_steps_from_home(app, client, make, login, db_session):
    admin = make.user(role=Role.ADMIN)
    db_session.commit()
    login(admin)
    seen: set[str] = set()
    frontier = {"/fi/staff/"}
    for _step in range(2):
        found: set[str] = set()
        for path in frontier - seen:
            seen.add(path)
            response = client.get(path)
            if response.status_code == 200:
                found |= _links(response.get_data(as_text=True))
        frontier = found
    reached = {_endpoint(app, p) for p in seen | frontier}
    wanted = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/<lang>/staff") and "GET" in (rule.methods or ())
              and set(rule.arguments) == {"lang"}} - NOT_FOR_SIGNED_IN
    assert wanted - reached == set()
