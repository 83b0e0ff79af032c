"""Reading the fi, sv and en catalogs for the language tests: which messages a client reads
(by their source location), how long their sentences are, and what each term's strings say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("fi", "sv", "en")

# Where a client reads text: the public pages, joining, applying, the application's status
# page, the absence notice, feedback, error pages, and the mails and invites clients get.
# A message is client-facing when any of its source locations starts with one of these.
CLIENT_SOURCES = (
    "templates/base.html", "templates/macros.html", "templates/groups/", "templates/errors/",
    "templates/courses/apply.html", "templates/courses/applied.html",
    "templates/courses/status.html", "templates/courses/withdraw.html",
    "templates/courses/_needs_fields.html",
    "templates/courses/join.html", "templates/courses/closed.html",
    "templates/courses/privacy.html", "templates/courses/_privacy_short.html",
    "templates/attendance/notice.html",
    "templates/feedback/form.html", "templates/feedback/thanks.html",
    "templates/feedback/already.html", "templates/feedback/closed.html",
    "templates/feedback/link_used.html",
    "templates/assessment/form.html", "templates/assessment/closed.html",
    "templates/assessment/status_section.html", "remote_groups/assessment/views.py",
    "templates/mail/_layout.", "templates/mail/course_", "templates/mail/feedback_",
    "templates/mail/session_", "templates/mail/intake_",
    "templates/intake/book.html", "templates/intake/cancel.html",
    "templates/intake/_status_section.html", "remote_groups/intake/invites.py",
    "remote_groups/groups/public_views.py", "remote_groups/groups/labels.py",
    "remote_groups/courses/labels.py", "remote_groups/courses/service.py",
    "remote_groups/feedback/service.py", "remote_groups/calendar/invites.py",
    "remote_groups/mail/reminders.py",
)

MAX_WORDS = 15


def load(lang: str, root: Path = TRANSLATIONS) -> Catalog:
    with (root / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def text(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def translation(message: Message) -> str:
    return message.string if isinstance(message.string, str) else (message.string or ("",))[0]


@dataclass(frozen=True)
class Entry:
    """One message in all three languages."""

    context: str | None
    english: str
    fi: str
    sv: str
    locations: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.context}|{self.english}" if self.context else self.english

    def in_language(self, lang: str) -> str:
        return {"en": self.english, "fi": self.fi, "sv": self.sv}[lang]


def entries(root: Path = TRANSLATIONS) -> list[Entry]:
    fi, sv, en = load("fi", root), load("sv", root), load("en", root)
    out = []
    for message in en:
        if not message.id:
            continue
        fi_m, sv_m = fi.get(message.id, message.context), sv.get(message.id, message.context)
        out.append(Entry(message.context, text(message),
                         translation(fi_m) if fi_m else "", translation(sv_m) if sv_m else "",
                         tuple(path for path, _line in message.locations)))
    return out


def is_client_facing(entry: Entry) -> bool:
    return any(path.startswith(CLIENT_SOURCES) for path in entry.locations)


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def sentences(message: str) -> Iterator[str]:
    for sentence in _SENTENCE_END.split(message.strip()):
        if sentence:
            yield sentence


def word_count(sentence: str) -> int:
    return len(_PLACEHOLDER.sub("X", sentence).split())


def longest_client_sentences(root: Path = TRANSLATIONS, top: int = 10
                             ) -> list[tuple[int, str, str]]:
    """(words, language, sentence) for the longest sentences clients read, longest first."""
    found = {(word_count(s), lang, s)
             for entry in entries(root) if is_client_facing(entry)
             for lang in LANGUAGES for s in sentences(entry.in_language(lang))}
    return sorted(found, key=lambda item: (-item[0], item[1], item[2]))[:top]


# --- the agreed terms (docs/terms.md) ----------------------------------------------------------

TERMS_DOC = ROOT / "docs" / "terms.md"


@dataclass(frozen=True)
class Term:
    name: str
    english: re.Pattern[str]
    agreed: dict[str, tuple[str, ...]]
    wrong: dict[str, tuple[str, ...]]


def _cells(row: str) -> list[str]:
    parts = re.split(r"(?<!\\)\|", row.strip().strip("|"))
    return [part.strip().replace("\\|", "|") for part in parts]


def _code(cell: str) -> str:
    return cell.strip().strip("`")


def _forms(cell: str) -> tuple[str, ...]:
    return tuple(form.strip() for form in _code(cell).split(",") if form.strip())


def _table(section: str) -> list[list[str]]:
    text = TERMS_DOC.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in body.splitlines() if line.startswith("|")]
    return [_cells(row) for row in rows[2:]]  # after the header and its rule


def terms() -> list[Term]:
    return [Term(name, re.compile(_code(english), re.IGNORECASE),
                 {"fi": _forms(fi), "sv": _forms(sv)}, {"fi": _forms(not_fi), "sv": _forms(not_sv)})
            for name, english, fi, sv, not_fi, not_sv in _table("Terms")]


def never() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for lang, forms, _why in _table("Never"):
        out[lang] = out.get(lang, ()) + _forms(forms)
    return out


def _word(form_word: str) -> str:
    """`*träff*` → a regular expression for one word of a form."""
    core = re.escape(form_word.strip("*")).replace(r"\*", r"\w*")
    start = r"[\w-]*" if form_word.startswith("*") else r"(?<![\w-])"
    end = r"[\w-]*" if form_word.endswith("*") else r"(?![\w-])"
    return start + core + end


@cache
def form_pattern(form: str) -> re.Pattern[str]:
    """A form's words in order, with at most two other words between them."""
    words = [_word(word) for word in form.split()]
    return re.compile(r"(?:\s+\S+){0,2}?\s+".join(words), re.IGNORECASE)


def english_source(term: Term, entry: Entry) -> str:
    """What a term's English expression is matched against: the msgid, or `context|msgid`
    when the expression names a context."""
    source = entry.key if "[|]" in term.english.pattern else entry.english
    return without_placeholders(source)


def without_placeholders(message: str) -> str:
    return _PLACEHOLDER.sub(" ", message)


def has_form(message: str, forms: tuple[str, ...]) -> str | None:
    """The first of `forms` found in `message`, or None."""
    plain = without_placeholders(message)
    return next((form for form in forms if form_pattern(form).search(plain)), None)
