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
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..db_types import utcnow
from ..extensions import db
from .models import LoginThrottle, PasswordResetToken, User

# Defaults; override with LOGIN_MAX_FAILURES_PER_PAIR etc. in the config.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_PAIR = 5  # one account from one client address
MAX_FAILURES_PER_IP = 30  # any accounts from one client address
FIRST_LOCK = timedelta(minutes=1)  # doubles with each lock in a row, up to MAX_LOCK
MAX_LOCK = timedelta(hours=1)
RESET_TOKEN_TTL = timedelta(hours=1)


def _keyed(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:64]}"


def pair_key(email: str, address: str | None) -> str:
    return _keyed("pair", f"{email.strip().lower()}|{address or 'unknown'}")


def ip_key(address: str | None) -> str:
    return _keyed("ip", address or "unknown")


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _seconds(name: str, default: timedelta) -> timedelta:
    return timedelta(seconds=int(current_app.config.get(name, default.total_seconds())))


def _window() -> timedelta:
    return _seconds("LOGIN_FAILURE_WINDOW_SECONDS", FAILURE_WINDOW)


def lock_length(lockouts: int) -> timedelta:
    """1, 2, 4, 8 … minutes for the first, second, third … lock in a row, at most MAX_LOCK."""
    first = _seconds("LOGIN_FIRST_LOCK_SECONDS", FIRST_LOCK)
    longest = _seconds("LOGIN_MAX_LOCK_SECONDS", MAX_LOCK)
    return min(first * (2 ** min(lockouts, 20)), longest)


def _lock_rows(keys: list[str], now: datetime) -> list[LoginThrottle]:
    """The rows for `keys`, created if missing and locked in key order (two attempts never
    wait for each other crosswise). SQLite has no row locks: a write first takes the
    database's write lock, which serialises the attempts just the same."""
    dialect = db.session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    keys = sorted(keys)
    db.session.execute(
        insert(LoginThrottle).values(
            [{"key": k, "failures": 0, "lockouts": 0, "last_failure_at": now} for k in keys]
        ).on_conflict_do_nothing(index_elements=["key"])
    )
    query = (select(LoginThrottle).where(LoginThrottle.key.in_(keys))
             .order_by(LoginThrottle.key).execution_options(populate_existing=True))
    if dialect != "sqlite":
        query = query.with_for_update()
    return list(db.session.scalars(query))


def begin_attempt(email: str, address: str | None,
                  now: datetime | None = None) -> datetime | None:
    """Count a sign-in attempt as a failure *before* the password is checked, and commit.

    Returns when signing in opens again if the pair or the address is locked (nothing is
    counted then, and the password must not be checked); None when the attempt may go on.
    Counting first is what makes the limit hold under simultaneous attempts: each one takes
    its number under the row lock, and the attempt that reaches the limit sets the lock for
    all that follow. A right password then takes its count back (`attempt_succeeded`)."""
    now = now or utcnow()
    pair, ip = pair_key(email, address), ip_key(address)
    rows = {row.key: row for row in _lock_rows([pair, ip], now)}
    limits = {pair: _limit("LOGIN_MAX_FAILURES_PER_PAIR", MAX_FAILURES_PER_PAIR),
              ip: _limit("LOGIN_MAX_FAILURES_PER_IP", MAX_FAILURES_PER_IP)}
    locked = [r.locked_until for r in rows.values()
              if r.locked_until is not None and r.locked_until > now]
    if locked:
        db.session.commit()
        return max(locked)
    for key, row in rows.items():
        if row.last_failure_at <= now - _window():
            row.failures = 0  # the earlier failures are too old to count
            if row.locked_until is None or row.locked_until <= now - _window():
                row.lockouts = 0  # a quiet spell after the last lock: start again at 1 min
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= limits[key]:
            row.locked_until = now + lock_length(row.lockouts)
            row.lockouts += 1
            row.failures = 0
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.last_failure_at <= now - _window() - _seconds(
            "LOGIN_MAX_LOCK_SECONDS", MAX_LOCK),
        LoginThrottle.key.not_in([pair, ip])))
    db.session.commit()
    return None


def attempt_succeeded(email: str, address: str | None) -> None:
    """A right password: the pair starts afresh (its lock too, set by this very attempt if
    it was the last allowed one), and the address gets its pre-counted failure back."""
    clear_pair(email, address)
    db.session.execute(update(LoginThrottle).where(
        LoginThrottle.key == ip_key(address), LoginThrottle.failures > 0
    ).values(failures=LoginThrottle.failures - 1))


def clear_pair(email: str, address: str | None) -> None:
    """A password reset by e-mail proves the owner: their pair from this address opens."""
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.key == pair_key(email, address)))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reset_token() -> str:
    return secrets.token_urlsafe(32)


def issue_reset_token(user: User, now: datetime | None = None,
                      ttl: timedelta | None = None) -> str:
    """A new random token for the link; earlier unused tokens of the user stop working.

    An invitation to a new account uses the same single-use link with a longer `ttl`."""
    now = now or utcnow()
    for old in db.session.scalars(select(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
    )):
        old.used_at = now
    token = new_reset_token()
    seconds = ttl.total_seconds() if ttl is not None else int(current_app.config.get(
        "PASSWORD_RESET_TTL_SECONDS", RESET_TOKEN_TTL.total_seconds()))
    db.session.add(PasswordResetToken(user=user, token_hash=hash_token(token),
                                      created_at=now,
                                      expires_at=now + timedelta(seconds=seconds)))
    return token


def claim_reset_token(row: PasswordResetToken, now: datetime | None = None) -> bool:
    """Mark the token used, atomically: of two simultaneous uses of one link, exactly one
    gets True (the UPDATE's condition is checked under the row's write lock)."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None),
               PasswordResetToken.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def valid_reset_token(token: str, now: datetime | None = None) -> PasswordResetToken | None:
    """The token's row if it exists, is unused and unexpired; otherwise None."""
    now = now or utcnow()
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    if not row.user.active:
        return None
    return row
