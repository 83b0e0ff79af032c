"""Plain decisions about feedback: default items, when a session can be rated, what a filled
form says. No Flask, no database; the views and `service` call these."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SCORES = (1, 2, 3, 4, 5)
COMMENT_MAX = 2000
# Open-group feedback is asked "after the session": from its start (people leave early)
# until a week after it ended, when memories are still fresh.
SESSION_FEEDBACK_DAYS = 7
COURSE_SURVEY_DAYS = 21
# The facilitators' own short survey after a course: fixed statements by number (their words
# are in `views.FACILITATOR_STATEMENTS`), answered once by each facilitator of the course.
FACILITATOR_ITEMS = (1, 2, 3, 4)
# A report shows the facilitators' averages only from this many answers: a course has two or
# three facilitators, whose colleagues would otherwise read each one's answer.
FACILITATOR_MIN_ANSWERS = 5


@dataclass(frozen=True)
class DefaultItem:
    text_fi: str
    text_sv: str
    text_en: str
    in_session_survey: bool


# The statements of the pilots' paper surveys (DOMAIN.md). After a single open session only
# the last three make sense; a course asks all five.
DEFAULT_ITEMS: tuple[DefaultItem, ...] = (
    DefaultItem("Hyvinvointini on parantunut.", "Mitt välbefinnande har blivit bättre.",
                "My wellbeing has improved.", False),
    DefaultItem("Opin taitoja, joista on hyötyä arjessa.",
                "Jag lärde mig färdigheter som är till nytta i vardagen.",
                "I learned skills useful in daily life.", False),
    DefaultItem("Sain tukea muilta osallistujilta.", "Jag fick stöd av de andra deltagarna.",
                "I got support from peers.", True),
    DefaultItem("Ryhmä oli selkeästi järjestetty.", "Gruppen var tydligt ordnad.",
                "The group was clearly organised.", True),
    DefaultItem("Suosittelisin ryhmää muille.", "Jag skulle rekommendera gruppen.",
                "I would recommend the group.", True),
)


def session_feedback_open(starts_at: datetime, ends_at: datetime, cancelled: bool,
                          now: datetime) -> bool:
    """Feedback on a session is taken once it has begun and for a week after it ended."""
    return (not cancelled) and starts_at <= now < ends_at + timedelta(days=SESSION_FEEDBACK_DAYS)


def token_hash(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 cannot be reversed by guessing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class FilledSurvey:
    """What one visitor answered: scores by item id, a comment, and problems by field name."""

    scores: dict[int, int] = field(default_factory=dict)
    comment: str = ""
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.scores and not self.comment

    @property
    def ok(self) -> bool:
        return not self.problems and not self.is_empty


def read_survey(form: Mapping[str, str], item_ids: Sequence[int]) -> FilledSurvey:
    """Read `item-<id>` radio values and `comment` from a submitted form.

    Every item may be skipped (a person may not want to answer one), but an empty form is not
    an answer. Problem codes: "score" (not 1–5), "too_long", "empty" (under key "form")."""
    filled = FilledSurvey()
    for item_id in item_ids:
        raw = (form.get(f"item-{item_id}") or "").strip()
        if not raw:
            continue
        if raw in {str(score) for score in SCORES}:  # not isdigit(): "²" is a digit too
            filled.scores[item_id] = int(raw)
        else:
            filled.problems[f"item-{item_id}"] = "score"
    filled.comment = (form.get("comment") or "").strip()
    if len(filled.comment) > COMMENT_MAX:
        filled.problems["comment"] = "too_long"
        # Shown back for shortening, but never more than twice what fits: the browser's
        # maxlength already stops people, so anything longer is a script's junk to drop.
        filled.comment = filled.comment[:2 * COMMENT_MAX]
    if filled.is_empty and not filled.problems:
        filled.problems["form"] = "empty"
    return filled


def facilitator_feedback_open(session_times: Sequence[tuple[datetime, datetime]],
                              now: datetime) -> bool:
    """Facilitators give their feedback once the course's last session has begun."""
    return bool(session_times) and now >= max(s for s, _e in session_times)


def given_sessions(cookie_value: object) -> set[int]:
    """Session ids from the (already verified) 'feedback given' cookie; anything odd counts
    as nothing given rather than an error."""
    if not isinstance(cookie_value, list):
        return set()
    return {v for v in cookie_value if isinstance(v, int)}


def remember_given(given: set[int], session_id: int, keep: int = 50) -> list[int]:
    """The cookie keeps the most recent `keep` sessions so it never grows without bound."""
    ordered = sorted(given | {session_id})
    return ordered[-keep:]
