"""Settings from the environment, with defaults that are safe for a demo and refuse to run
production without a real secret."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """The environment is missing something the service cannot run without."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


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
    config: dict[str, Any] = {
        "RG_MODE": mode,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        # hide_parameters: SQL errors must not copy applicants' data into logs.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
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
        # Rate limits: memory in development, Redis in production (RATELIMIT_STORAGE_URI).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
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
        # Closed courses: "auto" = on in test/demo, in production on when DATA_KEY is set.
        "COURSES_ENABLED": os.environ.get("COURSES_ENABLED", "auto"),
    }
    config.update(overrides)
    if mode == "test":
        config.setdefault("TESTING", True)
    return config
