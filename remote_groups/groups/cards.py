"""Session cards (templates/macros.html `session_card`) rendered once per version of the
data they show, and the front page's sections built from them.

A card's content is its session's rows (group title and kind, times, topic, host area,
facilitators' first names), the page's language, and two facts of the clock: whether the
session is on now and whether its join window is open. The rows are covered by
`versions.CARDS`; the clock's facts and the language are part of the key, so a card never
shows "Join now" a moment too early or too late. The front page then loads in full only the
sessions whose cards are not remembered yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Protocol

from flask import get_template_attribute, request
from markupsafe import Markup

from ..i18n import current_language
from . import versions
from .joining import join_window
from .models import Session


class _Timed(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


def card_key(entry: _Timed, now: datetime, cancelled: bool, show_group: bool,
             calendar_link: bool) -> tuple[object, ...]:
    """What besides the data's version decides a card's HTML."""
    on_now = entry.starts_at <= now < entry.ends_at and not cancelled
    is_open = join_window(entry.starts_at, entry.ends_at, now, cancelled=cancelled).is_open
    return ("session-card", entry.id, current_language(), request.script_root, cancelled,
            on_now, is_open, show_group, calendar_link)


def _render(session: Session, now: datetime, show_group: bool, calendar_link: bool) -> Markup:
    macro: Callable[..., object] = get_template_attribute("macros.html", "session_card")
    html = macro(session, now, show_group=show_group, calendar_link=calendar_link)
    if not isinstance(html, Markup):  # an autoescaping template's macro answers Markup
        raise TypeError("session_card must come from an autoescaping template")
    return html


def session_card(session: Session, now: datetime, show_group: bool = True,
                 calendar_link: bool = False, version: int | None = None) -> Markup:
    """The template global `session_card_html`: the macro's answer, remembered."""
    if version is None:
        version = versions.current()
    key = card_key(session, now, session.is_cancelled, show_group, calendar_link)
    return versions.remembered(
        key, version, lambda: _render(session, now, show_group, calendar_link))


def cards_for(entries: list[_Timed], now: datetime,
              load: Callable[[list[int]], dict[int, Session]],
              version: int | None) -> dict[int, Markup]:
    """Cards (with the group's title) for scheduled sessions known only by their times;
    `load` fetches in full just those whose cards are not remembered. A session gone in
    between is left out."""
    keys = {e.id: card_key(e, now, False, True, False) for e in entries}
    found = {i: versions.recall(k, version) for i, k in keys.items()}
    missing = [i for i, piece in found.items() if piece is None]
    loaded = load(missing) if missing else {}
    cards: dict[int, Markup] = {}
    for entry_id, piece in found.items():
        if piece is not None:
            cards[entry_id] = piece
        elif entry_id in loaded:
            session = loaded[entry_id]
            # The key as the loaded row says (it may have been cancelled in between).
            key = card_key(session, now, session.is_cancelled, True, False)
            cards[entry_id] = versions.remembered(
                key, version, partial(_render, session, now, True, False))
    return cards
