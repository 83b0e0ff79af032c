"""The SMS provider adapter: 46elks (https://46elks.com/docs/send-sms), chosen with
``SMS_PROVIDER=46elks``.

46elks (Uppsala, Sweden) sends to Finnish and Swedish numbers. Its API, as documented:
``POST <SMS_API_URL>/sms`` (default ``https://api.46elks.com/a1/sms``) with HTTP Basic auth
(API username and password) and a form-encoded body: ``from`` (a text sender id of up to 11
letters and digits, or a number), ``to`` (E.164), ``message``; optional ``whendelivered`` (a
URL the provider POSTs delivery reports to: form fields ``id``, ``status`` =
sent/delivered/failed, ``delivered``) and ``dontlog=message`` (the provider does not keep
the text). The answer is JSON with the message's ``id``.

Another provider plugs in as a class with ``send(recipient, text) -> provider id`` that
raises ``mail.worker.TemporaryFailure`` (timeouts, 5xx: retried with backoff) or
``PermanentFailure(final=True)`` (4xx: failed at once), registered in ``PROVIDERS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from flask import has_app_context

from ..mail.worker import PermanentFailure, TemporaryFailure, TextSender

log = logging.getLogger(__name__)

DEFAULT_URLS = {"46elks": "https://api.46elks.com/a1"}


@dataclass(frozen=True)
class SmsSettings:
    provider: str
    api_url: str
    username: str
    token: str
    sender: str
    timeout: float = 10.0
    delivery_url: str = ""  # where the provider POSTs delivery reports; "" for none


def settings_from_config(config: Mapping[str, Any]) -> SmsSettings | None:
    """The settings, or None when text messages are not configured (then nothing offers
    them and nothing breaks)."""
    provider = str(config.get("SMS_PROVIDER") or "").strip().lower()
    token = str(config.get("SMS_API_TOKEN") or "")
    sender = str(config.get("SMS_SENDER") or "")
    if provider not in PROVIDERS or not token or not sender:
        return None
    return SmsSettings(
        provider=provider,
        api_url=str(config.get("SMS_API_URL") or DEFAULT_URLS.get(provider, "")).rstrip("/"),
        username=str(config.get("SMS_API_USERNAME") or ""),
        token=token, sender=sender,
        timeout=float(config.get("SMS_TIMEOUT", 10)),
        delivery_url=_delivery_url(config),
    )


def _delivery_url(config: Mapping[str, Any]) -> str:
    """Our webhook, authenticated by the secret in its path (46elks documents extra URL
    parts for this); not sent without a secret or outside the app."""
    secret = str(config.get("SMS_WEBHOOK_SECRET") or "")
    if not secret or not has_app_context():
        return ""
    from ..links import external_url

    return external_url("sms.delivery", token=secret)


def sms_configured(config: Mapping[str, Any]) -> bool:
    return settings_from_config(config) is not None


class Elks46:
    """46elks' REST API (see the module's docstring)."""

    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def send(self, recipient: str, text: str) -> str:
        s = self.settings
        data = {"from": s.sender, "to": recipient, "message": text, "dontlog": "message"}
        if s.delivery_url:
            data["whendelivered"] = s.delivery_url
        try:
            response = requests.post(f"{s.api_url}/sms", data=data, auth=(s.username, s.token),
                                     timeout=(s.timeout, s.timeout))
        except requests.Timeout:
            raise TemporaryFailure("provider timed out") from None
        except requests.RequestException as error:
            raise TemporaryFailure(f"provider unreachable: {type(error).__name__}") from None
        return _answer(response.status_code, response)


def _answer(code: int, response: requests.Response) -> str:
    """The provider's id from a 2xx answer; the body of an error is never kept (it may
    repeat the number)."""
    if code in (401, 403, 429) or code >= 500:
        # Busy, down, or our credentials: the provider or the settings, not the message.
        raise TemporaryFailure(f"provider answered HTTP {code}")
    if code >= 400:
        raise PermanentFailure(f"provider refused the message: HTTP {code}", final=True)
    try:
        answer = response.json()
    except ValueError:
        answer = None  # accepted (2xx) all the same: sending it again would send it twice
    reference = answer.get("id") if isinstance(answer, dict) else None
    return str(reference or "")


PROVIDERS: dict[str, Callable[[SmsSettings], TextSender]] = {"46elks": Elks46}


def sender_from_config(config: Mapping[str, Any]) -> TextSender | None:
    settings = settings_from_config(config)
    return None if settings is None else PROVIDERS[settings.provider](settings)
