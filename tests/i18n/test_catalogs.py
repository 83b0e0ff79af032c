"""The .po catalogs are the one source of translations: every message the code and the
templates use is in the fi, sv and en catalogs, translated and not fuzzy, and
`remote-groups translations update` adds new messages without guessing or losing any."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from remote_groups import TRANSLATIONS, catalogs
from remote_groups.cli import cli


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messages extracted from today's code, as `translations extract` writes them."""
    path = tmp_path_factory.mktemp("pot") / "messages.pot"
    catalogs.extract(path)
    return path


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language)


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else str(message.id[0])
    return message.context, msgid


def _translated(message: Message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else message.string or []
    return all(strings)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_message_of_the_code_is_translated_and_not_fuzzy(template: Path,
                                                               language: str) -> None:
    extracted = {_key(m) for m in _read(template) if m.id}
    catalog = {_key(m): m for m in _read(catalogs.catalog_path(language), language) if m.id}
    missing = sorted(extracted - catalog.keys(), key=str)
    untranslated = sorted((k for k in extracted & catalog.keys()
                           if not _translated(catalog[k])), key=str)
    fuzzy = sorted((k for k in extracted & catalog.keys() if catalog[k].fuzzy), key=str)
    hint = "run `remote-groups translations update`, then translate in the .po file"
    assert missing == [], f"{language}: not in the catalog ({hint}): {missing[:10]}"
    assert untranslated == [], f"{language}: untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy (check and remove the flag): {fuzzy[:10]}"
    assert len(extracted) > 500  # the extraction found the code and the templates


def test_the_english_catalog_translates_each_message_to_itself() -> None:
    catalog = _read(catalogs.catalog_path("en"), "en")
    assert [m.id for m in catalog if m.id and m.string != m.id] == []


def test_update_brings_back_a_new_message_untranslated_and_never_guesses(
        template: Path, tmp_path: Path) -> None:
    # A message with a look-alike in the catalog: fuzzy matching would pre-fill it with the
    # look-alike's translation, which a translator could easily miss.
    plain = [m.id for m in _read(template) if isinstance(m.id, str) and m.id and not m.context]
    gone = next(msgid for msgid in plain
                if difflib.get_close_matches(msgid, [o for o in plain if o != msgid], 1, 0.8))
    directory = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, directory, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    for language in ("fi", "sv", "en"):
        path = catalogs.catalog_path(language, directory)
        catalog = _read(path, language)
        catalog.delete(gone)
        with path.open("wb") as f:
            write_po(f, catalog, width=catalogs.WIDTH)

    catalogs.update(template, directory)

    for language in ("fi", "sv"):
        before = {_key(m): m.string for m in _read(catalogs.catalog_path(language), language)
                  if m.id}
        after = {_key(m): m for m in _read(catalogs.catalog_path(language, directory), language)
                 if m.id}
        assert after[(None, gone)].string == ""  # for the translator, not guessed
        assert not after[(None, gone)].fuzzy
        assert {k: m.string for k, m in after.items() if k != (None, gone)} == {
            k: v for k, v in before.items() if k != (None, gone)}  # nothing else changed
    en = _read(catalogs.catalog_path("en", directory), "en")
    assert en[gone].string == gone and not en[gone].fuzzy


def test_the_command_offers_extract_update_and_compile() -> None:
    result = CliRunner().invoke(cli, ["translations", "--help"])
    assert result.exit_code == 0, result.output
    assert all(name in result.output for name in ("extract", "update", "compile"))
