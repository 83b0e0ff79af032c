"""The API's per-address limit, on an app with rate limits switched on: a JSON 429 with
Retry-After that a page on another site can read (CORS)."""

from remote_groups import create_app
from remote_groups.extensions import limiter


def test_too_many_requests_from_one_address_get_a_json_429(app, db_session):
    # The limiter is one object for every app; switch it back off for the other tests.
    was_enabled = limiter.enabled
    try:
        limited = create_app({
            "RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
            "API_RATE_LIMIT": "3 per minute", "SERVER_NAME": None,
        })
        client = limited.test_client()
        codes = [client.get("/api/v1/areas").status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        refused = client.get("/api/v1/sessions")
        assert refused.status_code == 429
        assert refused.get_json()["error"]["code"] == "rate_limited"
        assert int(refused.headers["Retry-After"]) > 0
        assert refused.headers["Access-Control-Allow-Origin"] == "*"
        assert refused.headers["Cache-Control"] == "private, no-store"
        assert client.get("/fi/").status_code == 200  # the public pages are not counted
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
