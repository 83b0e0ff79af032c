"""Plain words for clients: every sentence a client reads (public pages, joining, applying, the
application's status, the absence notice, feedback, and client mails and invites) has at most
about 15 words, in Finnish, Swedish and English. Client-facing messages are chosen by their
source location in the catalogs (catalogs.CLIENT_SOURCES)."""

from __future__ import annotations

from .catalogs import MAX_WORDS, entries, is_client_facing, longest_client_sentences


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
