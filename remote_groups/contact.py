"""Whom clients contact for help: a phone number with opening hours and an e-mail address.

Every area has one contact line; a group may override it with its own. `contact_for(group)`
is the one place that decides which line a page or a mail shows, so the group page, the
join page, the application page and every mail to a client say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

if TYPE_CHECKING:
    from .groups.models import Group


class ContactFields:
    """Columns of a contact line, shared by areas and groups (a mixin, so both tables
    have the same fields with the same limits)."""

    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_hours_fi: Mapped[str] = mapped_column(String(200), default="")
    contact_hours_sv: Mapped[str] = mapped_column(String(200), default="")
    contact_hours_en: Mapped[str] = mapped_column(String(200), default="")

    @property
    def has_contact(self) -> bool:
        return bool((self.contact_phone or "").strip() or (self.contact_email or "").strip())


@dataclass(frozen=True)
class Contact:
    """A contact line ready to show: `hours` is in the reader's language (or the nearest)."""

    phone: str
    email: str
    hours: str
    source: str  # "group" or the area's code: whose line this is

    @property
    def tel_uri(self) -> str:
        """The number as a tel: link, so a phone dials it with one tap."""
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")


def _hours(line: Any, lang: str) -> str:
    for code in (lang, "fi", "sv", "en"):
        text = (getattr(line, f"contact_hours_{code}", "") or "").strip()
        if text:
            return text
    return ""


def contact_line(line: Any, lang: str, source: str) -> Contact:
    return Contact(phone=(line.contact_phone or "").strip(),
                   email=(line.contact_email or "").strip(),
                   hours=_hours(line, lang), source=source)


def contact_for(group: Group | None, lang: str | None = None) -> Contact | None:
    """The group's own contact line if it has one, else the first co-running area's (in
    rotation order) that has one; None when nobody has entered any."""
    from jinja2 import Undefined

    if group is None or isinstance(group, Undefined):  # a mail rendered without its group
        return None
    if lang is None:
        # The locale in force: the page's language, or the recipient's inside a mail's
        # force_locale(), so templates need not pass it.
        from flask_babel import get_locale

        locale = get_locale()
        lang = locale.language if locale is not None else "fi"
    if group.has_contact:
        return contact_line(group, lang, "group")
    for area in group.areas:
        if area.has_contact:
            return contact_line(area, lang, area.code)
    return None
