"""Settings from the environment, with defaults that are safe for a demo and refuse to run
production without a real secret."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """The environment is missing something the service cannot run without."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _bool(name: str, default: bool) -> bool:
    """An empty value means "not set" (a deployment template's `NAME=` line must not switch
    a safety off); a value that is neither yes nor no stops the start instead of guessing."""
    value = (os.environ.get(name) or "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {value!r}.")


def _int(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = (os.environ.get(name) or "").strip()
    return float(value) if value else default


def engine_options(uri: str) -> dict[str, Any]:
    """Bounded waits for the database, so a database that is down or stalled costs a request
    seconds, not a gunicorn worker: a connect timeout, a server-side statement and
    idle-in-transaction timeout, TCP keepalives (a peer that vanished is noticed) and a
    bounded wait for a pooled connection. SQLite gets its busy timeout.

    hide_parameters: SQL errors must not copy applicants' data into logs."""
    options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    if uri.startswith("sqlite"):
        options["connect_args"] = {"timeout": _float("DB_BUSY_TIMEOUT_SECONDS", 5.0)}
        return options
    if uri.startswith("postgresql"):
        statement_ms = _int("DB_STATEMENT_TIMEOUT_MS", 15_000)
        idle_ms = _int("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 60_000)
        options["pool_timeout"] = _float("DB_POOL_TIMEOUT_SECONDS", 5.0)
        options["connect_args"] = {
            # libpq counts whole seconds and treats anything under 2 as 2.
            "connect_timeout": _int("DB_CONNECT_TIMEOUT_SECONDS", 3),
            "options": f"-c statement_timeout={statement_ms} "
                       f"-c idle_in_transaction_session_timeout={idle_ms}",
            "keepalives": 1,
            "keepalives_idle": _int("DB_KEEPALIVES_IDLE_SECONDS", 30),
            "keepalives_interval": _int("DB_KEEPALIVES_INTERVAL_SECONDS", 10),
            "keepalives_count": _int("DB_KEEPALIVES_COUNT", 3),
            # Sent data unacknowledged this long: the server is gone (milliseconds).
            "tcp_user_timeout": _int("DB_TCP_USER_TIMEOUT_MS", 30_000),
        }
    return options


def ratelimit_storage_options(uri: str) -> dict[str, Any]:
    """Redis client settings for the rate limiter: short connect and read timeouts and no
    client-side retries, so an unreachable or stalled Redis costs a request at most a few
    hundred milliseconds before Flask-Limiter falls back to per-process memory."""
    if not uri.startswith(("redis", "rediss", "valkey")):
        return {}
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    timeout = _float("RATELIMIT_STORAGE_TIMEOUT_SECONDS", 0.25)
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout,
            "retry": Retry(NoBackoff(), 0)}


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read every setting once. `overrides` lets tests and the demo command set values
    without touching the process environment."""
    overrides = overrides or {}
    mode = overrides.get("RG_MODE") or os.environ.get("RG_MODE", "production")
    default_db = "sqlite:///" + str(Path(instance_path) / "remote_groups.sqlite")
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if mode not in {"demo", "test"}:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        secret = "demo-only-secret-not-for-production"  # noqa: S105
    secure_cookies = mode == "production"
    database_uri = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get(
        "DATABASE_URL", default_db)
    ratelimit_uri = overrides.get("RATELIMIT_STORAGE_URI") or os.environ.get(
        "RATELIMIT_STORAGE_URI", "memory://")
    config: dict[str, Any] = {
        "RG_MODE": mode,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_uri),
        # /readyz waits this long for the database before answering 503.
        "READYZ_TIMEOUT_SECONDS": _float("READYZ_TIMEOUT_SECONDS", 1.5),
        # Request bodies: our forms are small; a bigger body is refused with 413 before it is
        # read. A route that needs more raises request.max_content_length for itself.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 100 * 1024),
        "MAX_FORM_MEMORY_SIZE": _int("MAX_CONTENT_LENGTH", 100 * 1024),
        # The materials library (docs/materials.md): the largest file staff may upload, and
        # the largest upload request read at all (a file between the two is refused with a
        # message next to the field and the typed texts kept).
        "MATERIAL_MAX_BYTES": _int("MATERIAL_MAX_BYTES", 10 * 1024 * 1024),
        "MATERIAL_MAX_REQUEST_BYTES": _int("MATERIAL_MAX_REQUEST_BYTES", 100 * 1024 * 1024),
        # Strict-Transport-Security on answers served over HTTPS (seconds; 0: none).
        "HSTS_MAX_AGE": _int("HSTS_MAX_AGE", 365 * 24 * 3600),
        # Public base URL, used in mails and calendars where there is no request.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "BABEL_DEFAULT_LOCALE": "fi",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Helsinki",
        "LANGUAGES": ("fi", "sv", "en"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", secure_cookies),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", secure_cookies),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Jitsi Meet
        "JITSI_BASE_URL": os.environ.get("JITSI_BASE_URL", "https://meet.jit.si").rstrip("/"),
        # The practice room (/<lang>/practice): one fixed room where anyone tries their
        # camera, microphone and connection; 20-64 of a-z and 0-9, like every room name.
        "PRACTICE_ROOM": os.environ.get("PRACTICE_ROOM", "etaryhmatharjoitushuone"),
        "JITSI_APP_ID": os.environ.get("JITSI_APP_ID", ""),
        "JITSI_APP_SECRET": os.environ.get("JITSI_APP_SECRET", ""),
        # The JWT `sub` (XMPP domain); empty means the host of JITSI_BASE_URL.
        "JITSI_DOMAIN": os.environ.get("JITSI_DOMAIN", ""),
        "JITSI_MUC_DOMAIN": os.environ.get("JITSI_MUC_DOMAIN", "conference.meet.jit.si"),
        "JITSI_DIALIN_NUMBERS_URL": os.environ.get("JITSI_DIALIN_NUMBERS_URL", ""),
        "JITSI_DIALIN_CONFCODE_URL": os.environ.get("JITSI_DIALIN_CONFCODE_URL", ""),
        "JITSI_HTTP_TIMEOUT": float(os.environ.get("JITSI_HTTP_TIMEOUT", "2.0")),
        # Where the accessibility statement tells people to send feedback.
        "ACCESSIBILITY_CONTACT": os.environ.get(
            "ACCESSIBILITY_CONTACT", "saavutettavuus@example.com"
        ),
        # Mail
        "MAIL_FROM": os.environ.get("MAIL_FROM", "etaryhmat@example.com"),
        # Bilingual: the sender and the calendar ORGANIZER read the same in Finnish and Swedish.
        "MAIL_FROM_NAME": os.environ.get("MAIL_FROM_NAME", "Etäryhmät – Distansgrupper"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": _int("SMTP_PORT", 25),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", False),
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", "10")),
        # Mail worker (mail/worker.py): retries with exponential backoff and jitter.
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),
        "MAIL_MAX_PERMANENT_ATTEMPTS": _int("MAIL_MAX_PERMANENT_ATTEMPTS", 2),
        "MAIL_RETRY_BASE_SECONDS": _int("MAIL_RETRY_BASE_SECONDS", 60),
        "MAIL_RETRY_MAX_SECONDS": _int("MAIL_RETRY_MAX_SECONDS", 6 * 3600),
        "MAIL_LEASE_SECONDS": _int("MAIL_LEASE_SECONDS", 300),
        "MAIL_BATCH_SIZE": _int("MAIL_BATCH_SIZE", 20),
        "WORKER_POLL_SECONDS": _int("WORKER_POLL_SECONDS", 30),
        # Text messages (sms/, docs/sms.md): off unless provider, token and sender are set.
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", ""),
        "SMS_API_URL": os.environ.get("SMS_API_URL", ""),
        "SMS_API_USERNAME": os.environ.get("SMS_API_USERNAME", ""),
        "SMS_API_TOKEN": os.environ.get("SMS_API_TOKEN", ""),
        "SMS_SENDER": os.environ.get("SMS_SENDER", ""),
        "SMS_TIMEOUT": float(os.environ.get("SMS_TIMEOUT", "10")),
        # The secret in the delivery-report URL the provider calls; no reports without it.
        "SMS_WEBHOOK_SECRET": os.environ.get("SMS_WEBHOOK_SECRET", ""),
        # Open groups: how many next sessions one text-reminder request covers at most.
        "SMS_OPEN_GROUP_SESSIONS": _int("SMS_OPEN_GROUP_SESSIONS", 4),
        "SMS_REMINDER_RATE_LIMIT": os.environ.get("SMS_REMINDER_RATE_LIMIT",
                                                  "5 per minute;20 per hour"),
        # Rate limits: memory in development, Redis in production (RATELIMIT_STORAGE_URI).
        "RATELIMIT_STORAGE_URI": ratelimit_uri,
        "RATELIMIT_STORAGE_OPTIONS": ratelimit_storage_options(ratelimit_uri),
        # Redis unreachable or stalled: count in this process's memory instead (logged once
        # as a warning), and check Redis again now and then; never a 500 for a rate limit.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # The open-data API (/api/v1/), per client address.
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "300 per minute"),
        "COURSE_APPLY_RATE_LIMIT": os.environ.get("COURSE_APPLY_RATE_LIMIT",
                                                  "5 per minute;30 per hour"),
        # Each worker answers repeated cookie-less public GETs from memory for this many
        # seconds (remote_groups/page_cache.py); off outside production so edits show at once.
        "PUBLIC_PAGE_CACHE_SECONDS": float(
            os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "5" if mode == "production" else "0")
        ),
        # Proxies (load balancers) in front of the app; 0 when clients connect directly.
        "PROXY_HOPS": _int("PROXY_HOPS", 0),
        # Personal data
        "DATA_KEY": os.environ.get("DATA_KEY", ""),
        "RETENTION_DAYS": _int("RETENTION_DAYS", 30),
        # How long a freed course seat is kept for the person offered it (offers/).
        "SEAT_OFFER_HOURS": _int("SEAT_OFFER_HOURS", 48),
        # Closed courses: "auto" = on in test/demo, in production on when DATA_KEY is set.
        "COURSES_ENABLED": os.environ.get("COURSES_ENABLED", "auto"),
    }
    config.update(overrides)
    if mode == "test":
        config.setdefault("TESTING", True)
    return config
