"""The catalogs are the source of truth for translations: every message the code and the
templates use is in the fi, sv and en catalogs, translated, and nothing stale is left."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from .catalogs import ROOT, entries, load, text, translation

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "_lp": ((1, "c"), 2),
            "lazy_pgettext": ((1, "c"), 2)}
METHODS = [("remote_groups/**.py", "python"), ("templates/**.html", "jinja2"),
           ("templates/**.txt", "jinja2")]


def _used_in_code() -> set[tuple[str | None, str]]:
    used = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS, strip_comment_tags=True):
        text = message if isinstance(message, str) else message[0]
        used.add((context, text))
    return used


def test_every_message_in_the_code_is_in_the_catalogs_translated():
    in_catalogs = {(e.context, e.english): e for e in entries()}
    used = _used_in_code()
    assert len(used) > 700
    missing = sorted(used - set(in_catalogs), key=str)
    assert not missing, missing
    untranslated = [key for key in used
                    if not (in_catalogs[key].fi and in_catalogs[key].sv)]
    assert not untranslated, untranslated
    stale = sorted(set(in_catalogs) - used, key=str)
    assert not stale, stale


def test_the_english_catalog_says_the_source_text():
    english = [m for m in load("en") if m.id]
    assert len(english) > 700
    differ = [m.id for m in english if translation(m) != text(m)]
    assert not differ, differ
