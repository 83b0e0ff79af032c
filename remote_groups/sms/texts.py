"""The words of each text message, in the person's language, kept short: one SMS segment
(160 GSM-7 characters) where the links allow (`rules.sms.segments`)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from .. import dates
from ..calendar.invites import Phone

TITLE_MAX = 40


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def _phone(phone: Phone | None) -> str:
    if phone is None or not phone.numbers or not phone.pin:
        return ""
    return " " + _("Phone: %(number)s PIN %(pin)s#", number=phone.numbers[0].number,
                   pin=phone.pin_words)


def _stop(url: str) -> str:
    return _("Stop: %(url)s", url=url)


def reminder(lang: str, title: str, starts_at: datetime, sent_at: datetime, join_url: str,
             phone: Phone | None, stop_url: str) -> str:
    """"Tomorrow at 14.00: <title>." or "Today at …", by the day the text goes out (a
    day-before reminder held over the night arrives on the day itself)."""
    with force_locale(lang):
        time = dates.clock(starts_at, lang)
        same_day = dates.in_helsinki(starts_at).date() == dates.in_helsinki(sent_at).date()
        opening = (_("Today at %(time)s: %(title)s.", time=time, title=_short(title))
                   if same_day else
                   _("Tomorrow at %(time)s: %(title)s.", time=time, title=_short(title)))
        join = _("Join: %(url)s", url=join_url)
        return f"{opening} {join}{_phone(phone)} {_stop(stop_url)}"


def subscribed(lang: str, title: str, count: int, stop_url: str) -> str:
    with force_locale(lang):
        if count == 1:
            first = _("We will remind you of %(title)s by text.", title=_short(title))
        else:
            first = _("We will remind you of the next %(count)d sessions of %(title)s by text.",
                      count=count, title=_short(title))
        return f"{first} {_stop(stop_url)}"


def consent_given(lang: str, title: str, stop_url: str) -> str:
    with force_locale(lang):
        first = _("You will get text messages about %(title)s.", title=_short(title))
        return f"{first} {_stop(stop_url)}"


def accepted(lang: str, title: str, stop_url: str) -> str:
    with force_locale(lang):
        first = _("You have a place on the course: %(title)s. Details are in your e-mail.",
                  title=_short(title))
        return f"{first} {_stop(stop_url)}"


def cancelled(lang: str, title: str, starts_at: datetime, stop_url: str) -> str:
    with force_locale(lang):
        first = _("Cancelled: %(title)s %(when)s.", title=_short(title),
                  when=dates.moment(starts_at, lang))
        return f"{first} {_stop(stop_url)}"


def moved(lang: str, title: str, starts_at: datetime, join_url: str, stop_url: str) -> str:
    with force_locale(lang):
        first = _("Moved: %(title)s is now %(when)s.", title=_short(title),
                  when=dates.moment(starts_at, lang))
        join = _("Join: %(url)s", url=join_url)
        return f"{first} {join} {_stop(stop_url)}"


def survey(lang: str, title: str, survey_url: str, stop_url: str) -> str:
    with force_locale(lang):
        first = _("Thank you for taking part in %(title)s! Your feedback: %(url)s",
                  title=_short(title), url=survey_url)
        return f"{first} {_stop(stop_url)}"
