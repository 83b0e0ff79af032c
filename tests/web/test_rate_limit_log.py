"""A request refused by the rate limit is logged without the client's address."""

from __future__ import annotations

import logging


def test_refused_request_is_logged_without_the_address(limited_app, db_session, caplog):
    client = limited_app.test_client()
    address = {"REMOTE_ADDR": "198.51.100.23"}
    with caplog.at_level(logging.INFO, logger="flask-limiter"):
        codes = [client.post("/fi/staff/password/forgot", data={"email": "x@example.com"},
                             environ_base=address).status_code for _ in range(11)]
    assert codes[-1] == 429
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "exceeded" in logged
    assert "198.51.100.23" not in logged
