"""Reading the fi, sv and en catalogs for the language tests: which messages a client reads
(by their source location), how long their sentences are, and what each term's strings say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
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
    "templates/courses/join.html", "templates/courses/closed.html",
    "templates/courses/privacy.html", "templates/courses/_privacy_short.html",
    "templates/attendance/notice.html",
    "templates/feedback/form.html", "templates/feedback/thanks.html",
    "templates/feedback/already.html", "templates/feedback/closed.html",
    "templates/feedback/link_used.html",
    "templates/mail/_layout.", "templates/mail/course_", "templates/mail/feedback_",
    "templates/mail/session_",
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
