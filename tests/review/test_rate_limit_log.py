"""A request refused by the rate limit is logged without the client's address."""

from __future__ import annotations

import logging

from remote_groups import create_app
from remote_groups.extensions import limiter


def test_refused_request_is_logged_without_the_address(app, db_session, caplog):
    was_enabled = limiter.enabled
    try:
        limited = create_app({
            "RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
        })
        client = limited.test_client()
        address = {"REMOTE_ADDR": "198.51.100.23"}
        with caplog.at_level(logging.INFO, logger="flask-limiter"):
            codes = [client.post("/fi/staff/password/forgot", data={"email": "x@example.com"},
                                 environ_base=address).status_code for _ in range(11)]
        assert codes[-1] == 429
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "exceeded" in logged
        assert "198.51.100.23" not in logged
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
