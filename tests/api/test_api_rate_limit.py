"""The API's per-address limit, on an app with rate limits switched on: a JSON 429 with
Retry-After that a page on another site can read (CORS)."""

import pytest


@pytest.fixture
def limited_app_config():
    """The shared rate-limited app (tests/conftest.py), with a low limit on the API."""
    return {"API_RATE_LIMIT": "3 per minute"}


def test_too_many_requests_from_one_address_get_a_json_429(limited_app, db_session):
    client = limited_app.test_client()
    codes = [client.get("/api/v1/areas").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    refused = client.get("/api/v1/sessions")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert refused.headers["Cache-Control"] == "private, no-store"
    assert client.get("/fi/").status_code == 200  # the public pages are not counted
