"""The library's plain decisions: a file's type from its bytes, web links, search words."""

from __future__ import annotations

import pytest

from remote_groups.materials.rules import (
    download_name,
    is_web_link,
    like_pattern,
    normalise,
    search_words,
    sniff,
)

from .conftest import DOCX, HTML, ODT, PDF, PNG, SVG, office_zip


@pytest.mark.parametrize(("data", "expected"), [
    (PDF, "application/pdf"),
    (PNG, "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (ODT, "application/vnd.oasis.opendocument.text"),
])
def test_accepted_types_by_their_bytes(data, expected):
    found = sniff(data)
    assert found is not None and found.content_type == expected


@pytest.mark.parametrize("data", [
    HTML, SVG, b"", b"  %PDF-1.4 late start", b"GIF89a\x01\x00", b"RIFF\x00\x00\x00\x00WAVE",
    b"PK\x03\x04 not really a zip",
    office_zip({"index.html": HTML}),  # a zip, but no office type entry
    office_zip({"mimetype": b"text/html"}),
    office_zip({"[Content_Types].xml": b"<Types/>", "x.html": HTML}),
    b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>",
])
def test_everything_else_is_refused(data):
    assert sniff(data) is None


def test_web_links_only():
    assert is_web_link("https://thl.fi/a?b=c#d") and is_web_link("http://example.org")
    for bad in ("javascript:alert(1)", "data:text/html,x", "ftp://x.fi", "https://",
                "//example.org", "https://user@evil.example", "https://a b.fi"):
        assert not is_web_link(bad), bad


def test_search_words_are_normalised_and_like_characters_escaped():
    assert normalise("  ÄYRÄPÄÄ\tja  Välipala ") == "äyräpää ja välipala"
    assert search_words("A " * 20) == ["a"] * 8
    assert like_pattern("100%_a\\") == "%100\\%\\_a\\\\%"


def test_download_names_are_plain_with_the_real_extension():
    assert download_name("Ravitsemus: äiti & lapsi", "pdf") == "Ravitsemus-aiti-lapsi.pdf"
    assert download_name("???", "png") == "material.png"
