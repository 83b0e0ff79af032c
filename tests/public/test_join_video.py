"""The big join button: one anonymous count, then straight into the room as a guest, in the
page's language, on the pre-join screen, with the name the visitor chose (if any)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
import pytest

from remote_groups.video import service


def fragment(url: str) -> dict[str, object]:
    """Jitsi's `#key=value&…` settings, JSON-decoded the way Jitsi reads them."""
    pairs = (part.split("=", 1) for part in urlsplit(url).fragment.split("&"))
    return {key: json.loads(unquote(value)) for key, value in pairs}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_button_counts_one_join_and_opens_the_room_in_the_page_language(
        client, on_now, jitsi, join_count, lang) -> None:
    response = client.post(f"/{lang}/sessions/{on_now.id}/join/video")
    assert response.status_code == 303
    target = urlsplit(response.location)
    assert f"{target.scheme}://{target.netloc}" == jitsi
    assert target.path == f"/{on_now.room_name}"
    assert parse_qs(target.query) == {"lang": [lang]}  # no token for guests
    assert fragment(response.location)["config.prejoinConfig.enabled"] is True
    assert join_count(on_now) == 1


def test_every_press_counts(client, on_now, jitsi, join_count) -> None:
    for _ in range(3):
        client.post(f"/fi/sessions/{on_now.id}/join/video")
    assert join_count(on_now) == 3


def test_the_chosen_name_goes_to_jitsi_quoted_as_json(client, on_now, jitsi) -> None:
    response = client.post(f"/fi/sessions/{on_now.id}/join/video",
                           data={"display_name": '  Matti "M" & co  '})
    assert fragment(response.location)["userInfo.displayName"] == 'Matti "M" & co'


def test_no_name_means_no_name_in_the_link(client, on_now, jitsi) -> None:
    response = client.post(f"/fi/sessions/{on_now.id}/join/video", data={"display_name": "  "})
    assert "userInfo.displayName" not in fragment(response.location)


def test_a_too_long_name_is_explained_next_to_the_field_and_nothing_is_counted(
        client, on_now, jitsi, join_count) -> None:
    typed = "N" * 61
    response = client.post(f"/sv/sessions/{on_now.id}/join/video", data={"display_name": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Använd högst 60 tecken." in html
    assert 'aria-invalid="true"' in html and f'value="{typed}"' in html  # nothing typed is lost
    assert join_count(on_now) == 0


def test_the_join_page_itself_never_shows_the_room_or_sets_a_token(client, on_now, jitsi,
                                                                   monkeypatch, app) -> None:
    monkeypatch.setitem(app.config, "JITSI_APP_ID", "remote-groups")
    monkeypatch.setitem(app.config, "JITSI_APP_SECRET", "s3cret-for-tests-only-0123456789abcdef")
    response = client.get(f"/fi/sessions/{on_now.id}/join")
    html = response.get_data(as_text=True)
    assert on_now.room_name not in html
    # The page's form may send the browser on to Jitsi, and nowhere else.
    assert "form-action 'self' https://meet.example.invalid;" in (
        response.headers["Content-Security-Policy"] + ";")
    redirect = client.post(f"/fi/sessions/{on_now.id}/join/video").location
    assert "jwt=" not in redirect  # clients are guests even when tokens are configured


def test_unknown_sessions_and_languages_are_not_found(client, on_now, jitsi) -> None:
    assert client.get("/fi/sessions/999999/join").status_code == 404
    assert client.post("/fi/sessions/999999/join/video").status_code == 404
    assert client.get(f"/de/sessions/{on_now.id}/join").status_code == 404


def test_the_join_page_shows_host_area_and_first_names_only(client, on_now, jitsi) -> None:
    html = client.get(f"/sv/sessions/{on_now.id}/join").get_data(as_text=True)
    assert "Rörelse i vardagen" in html and "Västra Nyland" in html
    assert "Aino" in html and "Testinen" not in html


# The video service: one dial-in client per app, tokens for facilitators only.

SECRET = "s3cret-for-tests-only-0123456789abcdef"


def test_one_dial_in_client_per_app_until_the_settings_change(app, jitsi, monkeypatch) -> None:
    with app.app_context():
        first = service.dialin_client()
        assert service.dialin_client() is first
        monkeypatch.setitem(app.config, "JITSI_HTTP_TIMEOUT", 1.5)
        assert service.dialin_client() is not first


@pytest.fixture
def tokens(app, jitsi, monkeypatch):
    monkeypatch.setitem(app.config, "JITSI_APP_ID", "remote-groups")
    monkeypatch.setitem(app.config, "JITSI_APP_SECRET", SECRET)


def test_a_facilitator_of_the_session_gets_a_moderator_token(on_now, tokens) -> None:
    facilitator = on_now.facilitators[0]
    url = service.facilitator_join_url(on_now, facilitator, "sv")
    token = parse_qs(urlsplit(url).query)["jwt"][0]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == on_now.room_name
    assert claims["context"]["user"]["moderator"] == "true"
    assert claims["context"]["user"]["name"] == "Aino"
    assert parse_qs(urlsplit(url).query)["lang"] == ["sv"]


def test_other_staff_get_the_guest_link(on_now, tokens, make) -> None:
    colleague = make.user(area=on_now.host_area)
    url = service.facilitator_join_url(on_now, colleague, "fi")
    assert "jwt=" not in url and on_now.room_name in url


def test_without_token_auth_facilitators_get_the_plain_link(on_now, jitsi) -> None:
    url = service.facilitator_join_url(on_now, on_now.facilitators[0], "fi")
    assert "jwt=" not in url and on_now.room_name in url


def test_the_link_calendars_and_mails_carry_opens_this_join_page(client, on_now, jitsi) -> None:
    from remote_groups.calendar.invites import public_join_url

    url = urlsplit(public_join_url(on_now, "sv"))
    assert on_now.room_name not in url.geturl()
    html = client.get(url.path).get_data(as_text=True)
    assert "Gå med i videoträffen" in html
