"""The per-address limit on sending feedback, on an app with rate limits switched on."""

from remote_groups import create_app
from remote_groups.extensions import limiter


def test_many_answers_from_one_address_are_slowed_down(app, open_session, db_session):
    # The limiter is one object for every app; switch it back off for the other tests.
    was_enabled = limiter.enabled
    try:
        limited = create_app({
            "RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
        })
        client = limited.test_client()
        url = f"/fi/sessions/{open_session.id}/feedback"
        codes = [client.post(url, data={}).status_code for _ in range(11)]
        assert codes[:10] == [400] * 10  # empty forms: refused, nothing stored
        assert codes[10] == 429
        assert client.get(url).status_code == 200  # reading the form is never limited
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
