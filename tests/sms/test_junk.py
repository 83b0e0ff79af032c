"""Bad input to the text-message pages never gives a server error, with texts configured."""

from __future__ import annotations

import pytest

from .conftest import HOOK_SECRET

JUNK = ["", "x" * 5_000, "²", "a\x00b", "-1", "99999999999999999999999999", "+", "ä😀\u202e<"]


@pytest.mark.parametrize("value", JUNK)
def test_junk_never_gives_a_server_error(client, participant, open_group, sms_on, value):
    _, sessions = open_group
    token = participant.token
    posts = [
        (f"/fi/my/{token}/reminders", {"way": value, "mobile": value}),
        (f"/fi/my/{token}/reminders", {"way": "sms", "mobile": value}),
        (f"/sv/sessions/{sessions[0].id}/text-reminder", {"mobile": value, "which": value}),
        (f"/fi/stop-texts/{value or 'x'}", {}),
        (f"/sms/delivery/{HOOK_SECRET}", {"id": value, "status": value}),
        (f"/sms/delivery/{HOOK_SECRET}", {"id": value, "status": "delivered"}),
    ]
    for url, data in posts:
        answer = client.post(url.replace("\x00", ""), data=data)
        assert answer.status_code < 500, (url, data)
    for url in (f"/s/{value or 'x'}", f"/fi/stop-texts/{value or 'x'}"):
        assert client.get(url.replace("\x00", "")).status_code < 500
