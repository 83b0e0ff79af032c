"""Which language version of a message to participants each person gets.

A facilitator writes a message once, in Finnish, in Swedish or in both. Each participant
gets the version in their own language; when it is missing, the other one. English
readers get Finnish first, as the service's main language, and Swedish when only that
exists. Plain function, no Flask."""

from __future__ import annotations

from collections.abc import Mapping

WRITTEN_LANGUAGES = ("fi", "sv")


def version_for(reader_language: str, versions: Mapping[str, tuple[str, str]]) -> str | None:
    """The language ("fi" or "sv") of the version `reader_language` gets, or None when
    neither version is complete. `versions` maps a language to (subject, body)."""
    complete = [lang for lang in WRITTEN_LANGUAGES
                if all(part.strip() for part in versions.get(lang, ("", "")))]
    if reader_language in complete:
        return reader_language
    return complete[0] if complete else None
