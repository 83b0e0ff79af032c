"""Which language version of a message each reader gets."""

from __future__ import annotations

import pytest

from remote_groups.rules.messages import version_for

BOTH = {"fi": ("Otsikko", "Viesti"), "sv": ("Rubrik", "Meddelande")}
FI = {"fi": ("Otsikko", "Viesti"), "sv": ("", "")}
SV = {"fi": ("", ""), "sv": ("Rubrik", "Meddelande")}


@pytest.mark.parametrize("reader, versions, expected", [
    ("fi", BOTH, "fi"), ("sv", BOTH, "sv"), ("en", BOTH, "fi"),
    ("sv", FI, "fi"), ("en", FI, "fi"), ("fi", SV, "sv"), ("en", SV, "sv"),
    ("sv", {"fi": ("Otsikko", "Viesti"), "sv": ("Rubrik", "  ")}, "fi"),  # half a version
    ("fi", {"fi": ("", ""), "sv": ("", "")}, None), ("fi", {}, None),
])
def test_own_language_first_then_the_other(reader, versions, expected):
    assert version_for(reader, versions) == expected
