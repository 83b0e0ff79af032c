"""Keys for applicants' data: encryption at rest and keyed hashes for lookups.

What an applicant writes about why they apply and about their support needs can be health
data, so those columns are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key from
the environment (`DATA_KEY`). E-mail addresses are looked up by a keyed hash (HMAC-SHA256), so
the lookup column alone tells nothing even about a known address. Both keys are derived from
DATA_KEY with HKDF, each for its own purpose.

In test and demo mode a key is derived from SECRET_KEY when DATA_KEY is unset; in production
the courses feature refuses to start without DATA_KEY (see `courses.init_app`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from ..config import ConfigError


@dataclass(frozen=True)
class DataKeys:
    fernet: Fernet
    lookup: bytes  # HMAC key for e-mail lookups


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


@lru_cache(maxsize=8)
def _keys_from_secret(secret: str) -> DataKeys:
    raw = secret.encode("utf-8")
    fernet_key = base64.urlsafe_b64encode(_derive(raw, b"remote_groups/courses/encrypt"))
    return DataKeys(fernet=Fernet(fernet_key), lookup=_derive(raw, b"remote_groups/courses/lookup"))


def data_secret(config: Mapping[str, Any]) -> str:
    """DATA_KEY, or in test/demo mode a stand-in derived from SECRET_KEY."""
    secret = str(config.get("DATA_KEY") or "")
    if secret:
        return secret
    if config.get("RG_MODE") in {"test", "demo"}:
        return "derived-from-secret-key:" + str(config["SECRET_KEY"])
    raise ConfigError(
        "DATA_KEY is not set. Closed courses store applicants' texts encrypted; set DATA_KEY "
        "to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))') "
        "and keep it safe: without it the stored texts cannot be read."
    )


def data_keys(config: Mapping[str, Any] | None = None) -> DataKeys:
    return _keys_from_secret(data_secret(config if config is not None else current_app.config))


def email_lookup_hash(email: str, config: Mapping[str, Any] | None = None) -> str:
    """The keyed hash of a normalised e-mail address (trimmed, lower-case)."""
    normal = email.strip().lower().encode("utf-8")
    return hmac.new(data_keys(config).lookup, normal, hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """Status and join tokens are 256 random bits, so a plain SHA-256 is enough to make the
    stored value useless for opening the page."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest with the data key; empty text is stored as empty.

    The database only ever sees Fernet tokens; Python code sees the plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None or value == "":
            return value
        return data_keys().fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return data_keys().fernet.decrypt(value.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            # Never echo the stored value: it is ciphertext at best, personal data at worst.
            raise ConfigError("stored text cannot be decrypted with this DATA_KEY") from error
