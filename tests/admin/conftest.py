"""Worker settings for the loopback SMTP server (`smtp` comes from tests/smtp.py), for the
browser walk that moves a session."""

from ..mail.conftest import settings  # noqa: F401
