"""Mails about the exchange board: the coordinators of the area that must act next hear
that a post was answered, that their answer was agreed or declined, or that a post or an
answer they were waiting on was withdrawn. Each in their own language, with a link to the
post; never to the person who acted. Queued in the caller's transaction (the outbox)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..groups.labels import THEME_NAMES
from ..links import external_url
from ..mail.notify import queue_mail
from ..people.models import Area, Role, User
from .models import ExchangePost

KIND = "exchange_notice"

#: The subject of each event's mail; the mail's first line says the same in a sentence.
SUBJECTS = {
    "answered": _l("Your post on the exchange board got an answer"),
    "agreed": _l("Your answer on the exchange board was agreed"),
    "declined": _l("Your answer on the exchange board was declined"),
    "post_withdrawn": _l("A post you answered on the exchange board was withdrawn"),
    "answer_withdrawn": _l("An answer to your post on the exchange board was withdrawn"),
}


def coordinators(area_id: int) -> list[User]:
    """The area's active coordinators, who speak for it on the board."""
    return list(db.session.scalars(
        select(User).where(User.area_id == area_id, User.role == Role.COORDINATOR,
                           User.active.is_(True)).order_by(User.id)))


def tell_area(area_id: int, event: str, post: ExchangePost, actor: User,
              other_area_id: int) -> int:
    """Mail `event` about `post` to `area_id`'s coordinators, except `actor`. `other_area_id`
    is the area that acted (named in the mail). Returns how many mails were queued."""
    other = db.session.get(Area, other_area_id)
    sent = 0
    for person in coordinators(area_id):
        if person.id == actor.id or not person.email:
            continue
        lang = person.language or "fi"
        queue_mail(
            kind=KIND, recipient=person.email, language=lang, template="exchange_notice",
            subject=SUBJECTS[event], event=event, post=post,
            theme=THEME_NAMES[post.theme], other_area=other.name(lang) if other else "",
            link=external_url("exchange.detail", lang=lang, post_id=post.id))
        sent += 1
    return sent
