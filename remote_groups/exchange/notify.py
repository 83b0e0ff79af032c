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

#: Each event's subject and the mail's opening lines (`%(area)s` is the area that acted).
SUBJECTS = {
    "answered": _l("Your post on the exchange board got an answer"),
    "agreed": _l("Your answer on the exchange board was agreed"),
    "declined": _l("Your answer on the exchange board was declined"),
    "post_withdrawn": _l("A post you answered on the exchange board was withdrawn"),
    "answer_withdrawn": _l("An answer to your post on the exchange board was withdrawn"),
}
LINES = {
    "answered": (_l("%(area)s answered your area's post on the exchange board."),
                 _l("Agree to the answer or decline it on the board.")),
    "agreed": (_l("%(area)s agreed to your area's answer. The exchange is made."),),
    "declined": (_l("%(area)s declined your area's answer."),),
    "post_withdrawn": (_l("%(area)s withdrew a post your area answered."),),
    "answer_withdrawn": (_l("%(area)s withdrew its answer to your area's post."),),
}


def coordinators(area_id: int) -> list[User]:
    """The area's active coordinators, who speak for it on the board."""
    return list(db.session.scalars(
        select(User).where(User.area_id == area_id, User.role == Role.COORDINATOR,
                           User.active.is_(True)).order_by(User.id)))


def tell_area(area_id: int, event: str, post: ExchangePost, actor: User,
              other_area_id: int) -> None:
    """Mail `event` about `post` to `area_id`'s coordinators, except `actor`. `other_area_id`
    is the area that acted, named in the mail."""
    other = db.session.get(Area, other_area_id)
    for person in coordinators(area_id):
        if person.id == actor.id:
            continue
        lang = person.language
        queue_mail(
            kind=KIND, recipient=person.email, language=lang, template="exchange_notice",
            subject=SUBJECTS[event], lines=LINES[event], post=post,
            theme=THEME_NAMES[post.theme], other_area=other.name(lang) if other else "",
            link=external_url("exchange.detail", lang=lang, post_id=post.id))
