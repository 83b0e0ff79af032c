"""Start and end self-assessment: the ready-made scales, when each one can be answered, what
a filled form says, and the course's average change per item. Plain data in, plain data out.

The average change is over *pairs*: people (pseudonyms) who answered an item both at the start
and at the end. Figures from fewer than `MIN_PAIRS` people are hidden, so that nobody's own
answers can be worked out from a report."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

#: Figures need at least this many pairs (people who answered both times).
MIN_PAIRS = 5
#: The end assessment opens this long before the last session begins...
END_OPENS_BEFORE = timedelta(days=1)
#: ...and closes this long after it ended.
END_CLOSES_AFTER = timedelta(days=21)
MAX_ITEMS = 12
ITEM_TEXT_MAX = 300


class Phase(enum.StrEnum):
    START = "start"
    END = "end"


class ScaleRange(enum.StrEnum):
    ONE_TO_FIVE = "1-5"
    ZERO_TO_TEN = "0-10"

    @property
    def low(self) -> int:
        return 1 if self is ScaleRange.ONE_TO_FIVE else 0

    @property
    def high(self) -> int:
        return 5 if self is ScaleRange.ONE_TO_FIVE else 10

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(range(self.low, self.high + 1))


@dataclass(frozen=True)
class ItemText:
    text_fi: str
    text_sv: str
    text_en: str


@dataclass(frozen=True)
class Preset:
    """A ready-made set written for this service from the pilots' themes. These are short
    everyday statements, not validated instruments; coordinators may edit them."""

    key: str
    scale: ScaleRange
    items: tuple[ItemText, ...]


PRESETS: tuple[Preset, ...] = (
    Preset("wellbeing", ScaleRange.ONE_TO_FIVE, (
        ItemText("Voin hyvin.", "Jag mår bra.", "I feel well."),
        ItemText("Nukun ja lepään riittävästi.", "Jag sover och vilar tillräckligt.",
                 "I sleep and rest enough."),
        ItemText("Liikun arjessa.", "Jag rör på mig i vardagen.",
                 "I move about in my daily life."),
        ItemText("Syön säännöllisesti.", "Jag äter regelbundet.", "I eat regularly."),
        ItemText("Minulla on ihmisiä, joihin voin olla yhteydessä.",
                 "Jag har människor som jag kan kontakta.",
                 "I have people I can contact."),
    )),
    Preset("coping", ScaleRange.ONE_TO_FIVE, (
        ItemText("Jaksan arjessa.", "Jag orkar med vardagen.", "I cope with daily life."),
        ItemText("Osaan pyytää apua, kun tarvitsen sitä.",
                 "Jag kan be om hjälp när jag behöver det.",
                 "I can ask for help when I need it."),
        ItemText("Minulla on keinoja rauhoittua.", "Jag har sätt att lugna ner mig.",
                 "I have ways to calm down."),
        ItemText("Uskon, että asiani voivat parantua.", "Jag tror att saker kan bli bättre.",
                 "I believe things can get better."),
    )),
    Preset("work_ability", ScaleRange.ZERO_TO_TEN, (
        ItemText("Työkykyni juuri nyt.", "Min arbetsförmåga just nu.",
                 "My ability to work right now."),
        ItemText("Jaksan työssä tai työnhaussa.", "Jag orkar med arbetet eller jobbsökandet.",
                 "I have the energy for work or job seeking."),
        ItemText("Mieleni voimavarat.", "Mina psykiska resurser.", "My mental resources."),
        ItemText("Usko omiin mahdollisuuksiini.", "Tron på mina egna möjligheter.",
                 "Belief in my own chances."),
    )),
)


def preset(key: str) -> Preset | None:
    return next((p for p in PRESETS if p.key == key), None)


# --- when ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    opens_at: datetime | None  # None: open from acceptance
    closes_at: datetime | None  # None: no end


def window(phase: Phase, sessions: Sequence[tuple[datetime, datetime]]) -> Window | None:
    """When a phase can be answered, from the course's (starts, ends) of sessions that are
    not cancelled. None: never (the end one of a course without sessions).

    Start: from acceptance until the course's midpoint (half-way from the first start to the
    last end). End: from a day before the last session begins until three weeks after it."""
    if not sessions:
        return Window(None, None) if phase is Phase.START else None
    first = min(s for s, _e in sessions)
    last_start = max(s for s, _e in sessions)
    last_end = max(e for _s, e in sessions)
    if phase is Phase.START:
        return Window(None, first + (last_end - first) / 2)
    return Window(last_start - END_OPENS_BEFORE, last_end + END_CLOSES_AFTER)


def is_open(win: Window | None, now: datetime) -> bool:
    if win is None:
        return False
    if win.opens_at is not None and now < win.opens_at:
        return False
    return win.closes_at is None or now < win.closes_at


# --- what was answered --------------------------------------------------------------------

@dataclass
class Filled:
    """What one person answered: scores by item id and problems by field name
    (`item-<id>`: "missing" or "score")."""

    scores: dict[int, int] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_answers(form: Mapping[str, str], item_ids: Sequence[int],
                 scale: ScaleRange) -> Filled:
    """Every item needs a number of the scale: the start and end answers are compared
    item by item. What was chosen is kept, so a mistake loses nothing."""
    allowed = {str(score) for score in scale.scores}
    filled = Filled()
    for item_id in item_ids:
        raw = (form.get(f"item-{item_id}") or "").strip()
        if not raw:
            filled.problems[f"item-{item_id}"] = "missing"
        elif raw in allowed:  # not isdigit(): "²" is a digit too
            filled.scores[item_id] = int(raw)
        else:
            filled.problems[f"item-{item_id}"] = "score"
    return filled


# --- the report ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """One score: whose (a pseudonym, never a name), when, which item."""

    pseudonym: str
    phase: Phase
    item_id: int
    score: int


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    pairs: int  # people who answered this item at the start and at the end
    start_mean: float | None  # None when hidden (fewer than MIN_PAIRS pairs)
    end_mean: float | None
    change: float | None  # mean of (end - start) over the pairs

    @property
    def hidden(self) -> bool:
        return self.change is None


def average_changes(answers: Iterable[Answer], item_ids: Sequence[int],
                    min_pairs: int = MIN_PAIRS) -> list[ItemChange]:
    """The average change per item (end − start) over the pairs, in the order of
    `item_ids`; the means are rounded to two decimals and hidden below `min_pairs` pairs."""
    by_item: dict[int, dict[str, dict[Phase, int]]] = {i: {} for i in item_ids}
    for a in answers:
        if a.item_id in by_item:
            by_item[a.item_id].setdefault(a.pseudonym, {})[a.phase] = a.score
    result = []
    for item_id in item_ids:
        pairs = [(p[Phase.START], p[Phase.END]) for p in by_item[item_id].values()
                 if Phase.START in p and Phase.END in p]
        n = len(pairs)
        if n < min_pairs or n == 0:
            result.append(ItemChange(item_id, n, None, None, None))
            continue
        start = sum(s for s, _e in pairs) / n
        end = sum(e for _s, e in pairs) / n
        change = sum(e - s for s, e in pairs) / n
        result.append(ItemChange(item_id, n, round(start, 2), round(end, 2), round(change, 2)))
    return result
