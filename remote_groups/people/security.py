"""Sign-in protection: failed-attempt limits and password reset tokens, kept in the
database so every app instance sees the same counts and the same tokens.

Nothing here stores an e-mail address or an IP address in the clear: failures are keyed by
a keyed hash (HMAC with SECRET_KEY), which is enough to count and useless to read."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..db_types import utcnow
from ..extensions import db
from .models import LoginFailure, PasswordResetToken, User

# Defaults; override with LOGIN_MAX_FAILURES_PER_ACCOUNT etc. in the config.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 30
RESET_TOKEN_TTL = timedelta(hours=1)


def _keyed(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:64]}"


def account_key(email: str) -> str:
    return _keyed("account", email.strip().lower())


def ip_key(address: str | None) -> str:
    return _keyed("ip", address or "unknown")


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _window() -> timedelta:
    return timedelta(seconds=int(current_app.config.get(
        "LOGIN_FAILURE_WINDOW_SECONDS", FAILURE_WINDOW.total_seconds())))


def _recent_failures(key: str, now: datetime) -> int:
    return db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.key == key, LoginFailure.at > now - _window()
        )
    ) or 0


def is_locked(email: str, address: str | None, now: datetime | None = None) -> bool:
    """Too many recent failures for this account or from this address."""
    now = now or utcnow()
    return (
        _recent_failures(account_key(email), now)
        >= _limit("LOGIN_MAX_FAILURES_PER_ACCOUNT", MAX_FAILURES_PER_ACCOUNT)
        or _recent_failures(ip_key(address), now)
        >= _limit("LOGIN_MAX_FAILURES_PER_IP", MAX_FAILURES_PER_IP)
    )


def record_failure(email: str, address: str | None, now: datetime | None = None) -> None:
    """Count a failure against both keys and drop old rows, so the table stays small."""
    now = now or utcnow()
    db.session.add_all([
        LoginFailure(key=account_key(email), at=now),
        LoginFailure(key=ip_key(address), at=now),
    ])
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - _window()))
    db.session.commit()


def clear_failures(email: str) -> None:
    """A right password clears the account's count (not the address's)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == account_key(email)))
    db.session.commit()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_token(user: User, now: datetime | None = None,
                      ttl: timedelta | None = None) -> str:
    """A new random token for the link; earlier unused tokens of the user stop working.

    An invitation to a new account uses the same single-use link with a longer `ttl`."""
    now = now or utcnow()
    for old in db.session.scalars(select(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
    )):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    seconds = ttl.total_seconds() if ttl is not None else int(current_app.config.get(
        "PASSWORD_RESET_TTL_SECONDS", RESET_TOKEN_TTL.total_seconds()))
    db.session.add(PasswordResetToken(user=user, token_hash=_hash_token(token),
                                      created_at=now,
                                      expires_at=now + timedelta(seconds=seconds)))
    return token


def valid_reset_token(token: str, now: datetime | None = None) -> PasswordResetToken | None:
    """The token's row if it exists, is unused and unexpired; otherwise None."""
    now = now or utcnow()
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash_token(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    if not row.user.active:
        return None
    return row
