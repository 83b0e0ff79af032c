"""Words for application statuses, in the visitor's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from ..rules.capacity import Status

STATUS_NAMES = {
    Status.PENDING: _l("Received, waiting for a decision"),
    Status.ACCEPTED: _l("Accepted to the course"),
    Status.WAITING: _l("On the waiting list"),
    Status.DECLINED: _l("Not chosen this time"),
    Status.WITHDRAWN: _lp("application", "Withdrawn"),
}

STATUS_HELP = {
    Status.PENDING: _l("The facilitators will read your application and tell you by e-mail."),
    Status.ACCEPTED: _l("You have a place. We sent you calendar invitations for the sessions."),
    Status.WAITING: _l("A freed place is offered by e-mail to the first on the waiting "
                       "list."),
    Status.DECLINED: _l("Unfortunately there was no place for you on this course. You are "
                        "welcome to apply for other courses."),
    Status.WITHDRAWN: _l("You have withdrawn. You can apply again while applications are open."),
}


def status_name(status: str) -> str:
    return str(STATUS_NAMES[Status(status)])


def status_help(status: str) -> str:
    return str(STATUS_HELP[Status(status)])
