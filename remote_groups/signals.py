"""The signals one feature sends and another answers, so neither imports the other.

Why signals (blinker, which Flask ships): closed courses are optional (off without DATA_KEY in
production), yet the calendar and the feedback feature need to know a course's participants.
Each feature connects its receivers for one app (`sender=app`) in its `init_app`, so an app
without courses has no receivers, even when another app in the same process has them (tests
build several), and the connections go with the app.

Every receiver is called as `receiver(app, **kwargs)` and returns its part of the answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from blinker import Namespace
from flask import current_app

_signals = Namespace()

#: Who takes part in a session besides its facilitators. kwargs: `session`; each receiver
#: returns a list of `calendar.invites.Recipient`.
session_participants = _signals.signal("session-participants")

#: Who gets a closed course's end survey. kwargs: `group`; each receiver returns a list of
#: (e-mail, language) pairs.
course_survey_recipients = _signals.signal("course-survey-recipients")

#: An application's personal data is being erased (on request or at retention). kwargs:
#: `application`, `now`; each receiver deletes or blanks what its feature keeps about the
#: person (intake bookings, self-assessments, messages, text-message numbers...). Receivers
#: flush; they never commit.
application_erasing = _signals.signal("application-erasing")

#: A data-access request. kwargs: `application`; each receiver returns a dict of what its
#: feature keeps about the person, merged into that application's entry of the export.
application_exporting = _signals.signal("application-exporting")

#: Parts of an applicant's private status page (`/<lang>/my/<token>`) that other features
#: add: intake booking, self-assessments, messages, seat offers, text-message choices.
#: kwargs: `application`, `token`, `now`; each receiver returns rendered HTML (Markup) or
#: "" when it has nothing to show. Shown in connection order, below the sessions.
status_page_sections = _signals.signal("status-page-sections")

#: Extra columns of a course's participant list for staff. kwargs: `group`, `applications`;
#: each receiver returns a list of (header, {application id: cell text or Markup}), built
#: with a constant number of queries for the whole list.
participant_columns = _signals.signal("participant-columns")

#: Links from a course's staff pages to other features' pages for that course (intake
#: slots, self-assessment, messages...). kwargs: `group`; each receiver returns a list of
#: (label, url) the current user may open.
course_staff_links = _signals.signal("course-staff-links")

#: An accepted participant leaves a course (withdraws, or staff move them to the waiting
#: list or decline them). kwargs: `application`, `now`; each receiver undoes what its feature
#: booked for them (an intake call). Receivers flush; they never commit.
participant_leaving = _signals.signal("participant-leaving")


#: A facilitator's decision on an application was applied (its mail is queued). kwargs:
#: `application`, `decision` ("accepted", "promoted", "declined", "waiting"); receivers
#: queue what their feature sends about it (e.g. a text message) and return nothing.
application_decided = _signals.signal("application-decided")

#: An applicant's reminder choice from the application form was applied with their details
#: (a new application, or details sent again and confirmed by the address's owner). Sent
#: only when the form offered the choice. kwargs: `application`, `way` ("sms", "email",
#: "both", "none"), `mobile` (E.164, or "" without texts), `now`; receivers store it and
#: return nothing. Receivers flush; they never commit.
application_reminders_chosen = _signals.signal("application-reminders-chosen")

#: A session was moved to another time or cancelled (its calendar updates are queued).
#: kwargs: `session`, `cancelled` (bool), `moved_from` (the old start, or None); receivers
#: queue what their feature sends about it (e.g. text messages) and return nothing.
session_changed = _signals.signal("session-changed")


#: A course-end survey link was mailed to a participant. kwargs: `group`, `email`,
#: `language`, `url` (the same single-use link); receivers may send it another way too
#: (e.g. a text message) and return nothing.
course_survey_link_sent = _signals.signal("course-survey-link-sent")

#: When people are busy outside sessions (intake calls they published, booked or free), so
#: a change that books them into a session can refuse the clash. kwargs: `user_ids`,
#: `earliest`, `latest`; each receiver returns a list of `Busy` overlapping the window.
#: Callers hold `groups.booking.lock_facilitators_time` for the people first.
facilitator_busy = _signals.signal("facilitator-busy")


class Busy(NamedTuple):
    """`user_id` is busy from `starts_at` to `ends_at` with `label` (a lazily translated
    short noun, e.g. "intake call"); `key` tells spans of one receiver apart."""

    user_id: int
    starts_at: datetime
    ends_at: datetime
    label: Any
    key: Any


def answers(signal: Any, **kwargs: Any) -> list[Any] | None:
    """Every receiver's answer for the current app, in connection order; None when no
    receiver is connected for it (the feature that would answer is off)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not any(True for _ in signal.receivers_for(app)):
        return None
    return [answer for _receiver, answer in signal.send(app, **kwargs)]
