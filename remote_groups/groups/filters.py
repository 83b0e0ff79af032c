"""The front page's filters: theme, language of instruction, area.

Read from the query string by a plain function (no Flask), so a bad or tampered value is
simply ignored ("show everything") instead of becoming an error page.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from ..db_types import database_id
from .models import InstructionLanguage, Theme

E = TypeVar("E", bound=enum.Enum)


@dataclass(frozen=True)
class SessionFilter:
    theme: Theme | None = None
    # fi or sv; a group taught in both languages matches either.
    language: InstructionLanguage | None = None
    area_id: int | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.theme, self.language, self.area_id))

    def query_args(self) -> dict[str, str]:
        """The filter as URL arguments, to carry it to the next page."""
        values = {"theme": self.theme, "language": self.language, "area": self.area_id}
        return {key: str(value) for key, value in values.items() if value is not None}

    def languages_matching(self) -> tuple[InstructionLanguage, ...]:
        """The instruction languages that serve a visitor who chose `language`."""
        if self.language is None:
            return tuple(InstructionLanguage)
        if self.language == InstructionLanguage.BOTH:
            return (InstructionLanguage.BOTH,)
        return (self.language, InstructionLanguage.BOTH)


def parse_filter(args: Mapping[str, str]) -> SessionFilter:
    """`?theme=exercise&language=sv&area=3`; anything unknown counts as "all"."""
    theme = _enum(Theme, args.get("theme"))
    language = _enum(InstructionLanguage, args.get("language"))
    area_id = database_id(args.get("area"))
    return SessionFilter(theme=theme, language=language, area_id=area_id)


def _enum(kind: type[E], value: str | None) -> E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None
