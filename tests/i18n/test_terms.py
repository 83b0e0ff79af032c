"""The catalogs use the agreed words of docs/terms.md: one concept, one word, in Finnish and in
Finland-Swedish, and 'session' (never 'meeting') in the English source."""

from __future__ import annotations

import pytest

from .catalogs import english_source, entries, has_form, never, terms

TERMS = terms()
ENTRIES = entries()


def test_the_terms_list_is_read_whole():
    names = {term.name for term in TERMS}
    assert len(TERMS) >= 30
    assert {"session", "host (area that runs a session)", "join / join page",
            "withdraw (an application)", "cancel (a session) / cancelled"} <= names
    assert all(term.agreed["fi"] and term.agreed["sv"] for term in TERMS)
    # every term is used by at least one message, except the ones kept for what comes next
    unused = {term.name for term in TERMS
              if not any(term.english.search(english_source(term, e)) for e in ENTRIES)}
    assert unused <= {"experience expert"}


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.name)
def test_each_term_is_translated_with_its_agreed_word(term):
    problems = []
    for entry in ENTRIES:
        if not term.english.search(english_source(term, entry)):
            continue
        for lang in ("fi", "sv"):
            translated = entry.in_language(lang)
            if not has_form(translated, term.agreed[lang]):
                problems.append(f"{lang}: {entry.key!r} → {translated!r} lacks "
                                f"{' / '.join(term.agreed[lang])}")
            wrong = has_form(translated, term.wrong[lang])
            if wrong:
                problems.append(f"{lang}: {entry.key!r} → {translated!r} says {wrong!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_words_that_are_always_wrong_appear_nowhere(lang):
    forms = never()[lang]
    found = [(entry.key, entry.in_language(lang), has_form(entry.in_language(lang), forms))
             for entry in ENTRIES if has_form(entry.in_language(lang), forms)]
    assert not found, "\n".join(f"{key!r} → {text!r}: {form!r}" for key, text, form in found)


def test_every_message_is_translated_in_finnish_and_swedish():
    missing = [(lang, e.key) for e in ENTRIES for lang in ("fi", "sv") if not e.in_language(lang)]
    assert not missing
