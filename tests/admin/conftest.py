"""The loopback SMTP server of the mail tests, for the browser walk that moves a session."""

from ..mail.conftest import _smtp_server_for_run, settings, smtp  # noqa: F401
