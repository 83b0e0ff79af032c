"""Plain words for clients: every sentence a client reads (public pages, joining, applying, the
application's status, the absence notice, feedback, and client mails and invites) has at most
about 15 words, in Finnish, Swedish and English. Client-facing messages are chosen by their
source location in the catalogs (catalogs.CLIENT_SOURCES)."""

from __future__ import annotations

import re

from .catalogs import MAX_WORDS, entries, is_client_facing, longest_client_sentences, sentences

# Verbs a client is told to do something with; two of them starting clauses of one sentence
# ("call a number and type the PIN") are two instructions in one sentence.
INSTRUCTIONS = ["choose", "write", "press", "tap", "call", "type", "open", "close", "copy",
                "add", "go", "reload", "send", "try", "use", "come", "check", "tell", "join",
                "apply", "withdraw", "see", "read", "allow", "give", "look", "keep", "put",
                "click", "select", "enter", "fill", "subscribe", "answer", "ask", "contact",
                "leave", "share"]
CLAUSE_START = re.compile(r"(?:^|,\s+|\s+and\s+|\s+then\s+)(?:then\s+)?(" + "|".join(INSTRUCTIONS)
                          + r")\b", re.IGNORECASE)


def test_client_facing_messages_are_found_by_their_source_location():
    client = [e for e in entries() if is_client_facing(e)]
    keys = {e.english for e in client}
    assert len(client) > 150
    assert "Join by phone" in keys and "Send application" in keys  # join and apply pages
    assert "Save decision" not in keys and "Mark attendance" not in keys  # staff only


def test_no_client_sentence_is_longer_than_about_15_words(capsys):
    longest = longest_client_sentences(top=5)
    with capsys.disabled():
        print("\nlongest client-facing sentences:")
        for words, lang, sentence in longest:
            print(f"  {words:2d} {lang}: {sentence}")
    too_long = [(words, lang, sentence) for words, lang, sentence in
                longest_client_sentences(top=1000) if words > MAX_WORDS]
    assert not too_long, "\n".join(f"{w} {lang}: {s}" for w, lang, s in too_long)


def test_one_instruction_per_sentence_in_the_english_source():
    """Checked on the English source, whose verbs are known; the translations follow it."""
    assert len(CLAUSE_START.findall("Go back, reload the page and send the form.")) == 3
    assert len(CLAUSE_START.findall("Call a number, then type the PIN.")) == 2
    doubled = [sentence for entry in entries() if is_client_facing(entry)
               for sentence in sentences(entry.english)
               if len(CLAUSE_START.findall(sentence)) > 1]
    assert not doubled, doubled
