"""Every staff route that takes a POST refuses it to exactly those whom the access table
(tests/staff/test_access_matrix.py) refuses the route's GET: a change is never guarded by
less than the page that offers it."""

from __future__ import annotations

import pytest

from tests.staff.test_access_matrix import (  # noqa: F401
    TABLE,
    WHO,
    allowed,
    signed_in_client,
    world,
)


def post_endpoints(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/<lang>/staff") and "POST" in (rule.methods or ())
                   and rule.endpoint not in ("staff.login", "staff.forgot_password",
                                             "staff.reset_password")})


@pytest.mark.parametrize("role,relation", [w for w in WHO if w != (None, None)] + [(None, None)],
                         ids=lambda v: str(v))
def test_posts_are_refused_to_whom_the_table_refuses(app, world, make, db_session, role,  # noqa: F811
                                                    relation):
    from flask import url_for

    client = signed_in_client(app, world, make, db_session, role, relation)
    wrong = []
    for endpoint in post_endpoints(app):
        route = TABLE[endpoint]
        if endpoint == "staff.logout" or allowed(route.policy, role, relation):
            continue
        with app.test_request_context():
            url = url_for(endpoint, lang="fi", **route.args(world))
        response = client.post(url, data={"decision": "accept", "action": "send"})
        to_login = response.status_code == 302 and "/staff/login" in response.headers.get(
            "Location", "")
        if (role is None and not to_login) or (role is not None and response.status_code != 403):
            wrong.append(f"{endpoint}: {role}/{relation} got {response.status_code}")
    assert not wrong, "\n".join(wrong)
