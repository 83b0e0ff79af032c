"""Entries of the staff session lists (templates/people/_session_item.html), rendered once
per version of the data they show (`groups.versions.CARDS`: sessions, groups, areas, staff
names). An entry does not depend on the clock; it depends on the language and on whether
the signed-in person facilitates the session, both part of its key."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import get_template_attribute, request
from markupsafe import Markup

from ..groups import versions
from ..groups.models import Session
from ..i18n import current_language
from .my_sessions import Listed, sessions_for_list


def _render(session: Session, mine: bool) -> Markup:
    macro: Callable[..., object] = get_template_attribute("people/_session_item.html",
                                                          "session_item")
    html = macro(session, mine)
    if not isinstance(html, Markup):  # an autoescaping template's macro answers Markup
        raise TypeError("session_item must come from an autoescaping template")
    return html


def session_items(rows: list[Listed], version: int | None) -> list[Markup]:
    """The entries for `rows`, in their order; a session gone in between is left out."""
    keys = {r.id: ("staff-item", r.id, current_language(), request.script_root, r.mine)
            for r in rows}
    found = {i: versions.recall(k, version) for i, k in keys.items()}
    loaded = sessions_for_list([i for i, piece in found.items() if piece is None])
    items = []
    for row in rows:
        piece = found[row.id]
        if piece is None and row.id in loaded:
            session = loaded[row.id]
            piece = versions.remembered(keys[row.id], version,
                                        partial(_render, session, row.mine))
        if piece is not None:
            items.append(piece)
    return items
