"""The balance between areas: who hosts for whom, and who offers what in which language.

Plain data in, plain data out; the balance report (`exchange/balance.py`) reads the rows
and shows what this returns, and the tests check it against sums done by hand.

Words used:
- *offered* in a language: minutes of sessions an area hosted (not cancelled) in the period,
  by the group's language; a session in both languages counts for each (as the reports'
  language balance does, which hands over these minutes).
- *hosted for others*: minutes of exchange sessions the area hosted for another area.
- *received*: minutes of exchange sessions another area hosted for this area.
- *net* = hosted for others - received: above zero the area has given more than it got.

Co-run series are not counted as hosting for others: every co-running area runs the group
for all of them in turn, so there is no one area the session is "for". Only an agreed
exchange says that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LANGUAGES = ("fi", "sv")


@dataclass(frozen=True)
class ExchangeRow:
    """Minutes of exchange sessions `host` held for `receiver` (not cancelled)."""

    host: int
    receiver: int
    language: str  # "fi" or "sv"
    minutes: int


@dataclass(frozen=True)
class GroupRow:
    """A group with sessions in the period: its language and the areas that run it."""

    group: int
    language: str  # "fi", "sv" or "both"
    areas: tuple[int, ...]


@dataclass(frozen=True)
class AreaBalance:
    area: int
    offered: Mapping[str, int]  # language -> minutes hosted in that language
    hosted_for_others: int
    received: int

    @property
    def net(self) -> int:
        return self.hosted_for_others - self.received


@dataclass(frozen=True)
class Balance:
    areas: list[AreaBalance]
    #: (area, language): a language the area serves with no minutes offered in it.
    areas_missing: list[tuple[int, str]]
    #: (group, language): a language one of the group's areas serves that it does not offer.
    groups_missing: list[tuple[int, str]]


def hours(minutes: int) -> float:
    """Minutes as hours with one decimal, as every report shows them."""
    return round(minutes / 60, 1)


def languages_of(group_language: str) -> tuple[str, ...]:
    return LANGUAGES if group_language == "both" else (group_language,)


def balance(served: Mapping[int, Iterable[str]],
            offered: Mapping[int, Mapping[str, int]],
            exchanges: Iterable[ExchangeRow],
            groups: Iterable[GroupRow] = ()) -> Balance:
    """Each area in `served` (area -> languages it serves), ordered by id; `offered` holds
    the minutes hosted per area and language. An exchange between areas not in `served`
    is left out, as is one an area made with itself."""
    given: dict[int, int] = dict.fromkeys(served, 0)
    got: dict[int, int] = dict.fromkeys(served, 0)
    for row in exchanges:
        if row.host == row.receiver:
            continue
        if row.host in given:
            given[row.host] += row.minutes
        if row.receiver in got:
            got[row.receiver] += row.minutes
    rows = []
    missing = []
    for area in sorted(served):
        minutes = {code: int(offered.get(area, {}).get(code, 0)) for code in LANGUAGES}
        rows.append(AreaBalance(area=area, offered=minutes, hosted_for_others=given[area],
                                received=got[area]))
        missing += [(area, code) for code in LANGUAGES
                    if code in set(served[area]) and minutes[code] == 0]
    groups_missing = []
    for group in sorted(groups, key=lambda g: g.group):
        wanted = {code for area in group.areas for code in served.get(area, ())}
        groups_missing += [(group.group, code) for code in LANGUAGES
                           if code in wanted and code not in languages_of(group.language)]
    return Balance(rows, missing, groups_missing)
