"""Settings come from the application's configuration as plain values."""

from __future__ import annotations

from remote_groups.config import load_config
from remote_groups.video.settings import JitsiSettings


def test_settings_are_read_from_the_jitsi_keys_of_the_configuration(tmp_path) -> None:
    config = load_config(
        str(tmp_path),
        {
            "RG_MODE": "test",
            "JITSI_BASE_URL": "https://video.example.invalid/",
            "JITSI_APP_ID": "remote-groups",
            "JITSI_APP_SECRET": "an-invented-test-secret-that-is-long-enough-for-hs256",
            "JITSI_MUC_DOMAIN": "conference.video.example.invalid",
            "JITSI_DIALIN_NUMBERS_URL": "http://127.0.0.1:1/numbers",
            "JITSI_DIALIN_CONFCODE_URL": "http://127.0.0.1:1/confcode",
            "JITSI_HTTP_TIMEOUT": 1.5,
        },
    )

    settings = JitsiSettings.from_config(config)

    assert settings == JitsiSettings(
        base_url="https://video.example.invalid",
        app_id="remote-groups",
        app_secret="an-invented-test-secret-that-is-long-enough-for-hs256",
        muc_domain="conference.video.example.invalid",
        dialin_numbers_url="http://127.0.0.1:1/numbers",
        dialin_confcode_url="http://127.0.0.1:1/confcode",
        timeout=1.5,
    )
    assert settings.jwt_subject == "video.example.invalid"
    assert settings.dialin_configured


def test_empty_dial_in_urls_switch_dial_in_off() -> None:
    settings = JitsiSettings.from_config(
        {"JITSI_BASE_URL": "https://meet.example.invalid", "JITSI_DIALIN_NUMBERS_URL": ""}
    )

    assert not settings.dialin_configured
    assert settings.timeout == 2.0
