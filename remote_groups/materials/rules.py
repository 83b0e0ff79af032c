"""What a material file is, decided from its bytes (never its name or the browser's word),
and the words a search looks for. Plain Python: no Flask, no database.

Accepted: PDF, PNG, JPEG, WebP, and the office formats docx/xlsx/pptx (Office Open XML: a zip
whose `[Content_Types].xml` names the main part) and odt/ods/odp (OpenDocument: a zip whose
`mimetype` entry names the type). Anything else, such as HTML or SVG renamed to `.pdf`, is
refused, so the service never hands out a file a browser would run as a page."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
WEBP = FileType("image/webp", "webp")

OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "docx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml":
        FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                 "pptx"),
}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": FileType(
        "application/vnd.oasis.opendocument.text", "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "application/vnd.oasis.opendocument.presentation": FileType(
        "application/vnd.oasis.opendocument.presentation", "odp"),
}
# The zip entries read to tell the type are small; a bigger one is not an office file.
MAX_MANIFEST_BYTES = 1024 * 1024


def sniff(data: bytes) -> FileType | None:
    """The file's type from its first bytes (and for zip-based office formats, from the
    zip's own type entry), or None when it is not one the library accepts."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return None
                kind = archive.read("mimetype").decode("ascii", "replace").strip()
                return OPENDOCUMENT.get(kind)
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > MAX_MANIFEST_BYTES:
                    return None
                manifest = archive.read("[Content_Types].xml").decode("utf-8", "replace")
                for main_part, found in OOXML_MAIN_PARTS.items():
                    if f'ContentType="{main_part}"' in manifest:
                        return found
    except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, EOFError):
        return None
    return None


def is_web_link(url: str) -> bool:
    """An absolute http or https address with a host: nothing else (javascript:, data:,
    file:) is ever put in a page as a link."""
    match = re.match(r"^(https?)://([^/\s?#]+)(\S*)$", url.strip(), re.IGNORECASE)
    return bool(match) and "@" not in (match.group(2) if match else "")


def normalise(text: str) -> str:
    """Text as the search compares it: Unicode NFC, case folded, spaces collapsed. The same
    on SQLite and PostgreSQL, because it is done here and stored, not by the database."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def search_words(query: str, limit: int = 8) -> list[str]:
    """The words of a search, normalised, at most `limit` of them, each at most 50 chars."""
    return [w[:50] for w in normalise(query).split()][:limit]


def like_pattern(word: str) -> str:
    """`%word%` with LIKE's own characters escaped (escape character: backslash)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def download_name(title: str, extension: str) -> str:
    """A file name for the download: the title in plain ASCII letters, digits and dashes,
    with the extension of the type the bytes really are."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:60] or "material"
    return f"{stem}.{extension}"
