"""Plain notification mails (decisions, answers, links), rendered in the recipient's
language and put in the outbox in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import render_template
from flask_babel import force_locale

from .models import OutboxMessage
from .outbox import Message, enqueue


def queue_mail(
    *,
    kind: str,
    recipient: str,
    language: str,
    template: str,
    subject: Any,
    subject_params: Mapping[str, Any] | None = None,
    dedupe_key: str | None = None,
    reply_to: str = "",
    **context: Any,
) -> OutboxMessage:
    """Render `templates/mail/<template>.txt` and `.html` in `language` and queue them.

    `subject` is a lazy string (`lazy_gettext("Your application: %(title)s")`), so it is
    translated here, inside the recipient's locale, and then filled from `subject_params`.
    `reply_to` (an address) becomes the mail's Reply-To header."""
    with force_locale(language):
        translated = str(subject)
        if subject_params:
            translated = translated % dict(subject_params)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", lang=language, **context)
    return enqueue(Message(
        kind=kind, recipient=recipient, language=language, subject=translated,
        body_text=text, body_html=html, dedupe_key=dedupe_key,
        reply_to=reply_to,
    ))
