"""`remote-groups translations extract|update|compile`: the message catalogs' one workflow.

The .po files in `translations/{fi,sv,en}/LC_MESSAGES/` are the source of every translation:
translators edit them with Poedit, Weblate or a text editor, and nothing writes translations
into them from anywhere else. These commands are `pybabel` with the project's settings
(babel.cfg, the `_l` keyword, 100-column lines), plus one rule of the house: msgids are the
English text, so the en catalog translates each message to itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from . import PROJECT_ROOT, TRANSLATIONS

LANGUAGES = ("fi", "sv", "en")
SOURCE_LANGUAGE = "en"
# `_l` is flask_babel.lazy_gettext and `_lp` its pgettext (context first); Babel already
# knows _, gettext, ngettext, pgettext, ...
KEYWORDS = ("_l", "_lp:1c,2", "lazy_pgettext:1c,2")
WIDTH = 100


def catalog_path(language: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / language / "LC_MESSAGES" / "messages.po"


def _pybabel(*arguments: str, verbose: bool = False) -> None:
    """Run one `pybabel` command in-process; a failure raises instead of exiting."""
    CommandLineInterface().run(["pybabel", *([] if verbose else ["-q"]), *arguments])


def extract(template: Path, root: Path = PROJECT_ROOT) -> Catalog:
    """Collect every translatable message of the code and the templates into a .pot file."""
    keywords = [part for keyword in KEYWORDS for part in ("-k", keyword)]
    template = template.resolve()
    with contextlib.chdir(root):  # locations in the catalogs read "remote_groups/x.py:12"
        _pybabel("extract", "-F", "babel.cfg", *keywords, "-w", str(WIDTH),
                 "--project", "remote_groups", "-o", str(template), ".")
    with template.open("rb") as f:
        return read_po(f)


def fill_source_language(path: Path) -> int:
    """Give each untranslated message of the English catalog its msgid; return how many.

    The msgids are the English text, so this is the whole English translation. Done here,
    not left to gettext's fallback, so the catalog is complete for `msgfmt --statistics` and
    for any tool that counts untranslated messages."""
    with path.open("rb") as f:
        catalog = read_po(f, locale=SOURCE_LANGUAGE)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if not message.string:
                message.string = message.id
                filled += 1
        elif not any(message.string or ()):  # plural: (singular, plural)
            message.string = tuple(str(form) for form in message.id)
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=WIDTH)
    return filled


def update(template: Path, directory: Path = TRANSLATIONS,
           languages: Iterable[str] = LANGUAGES) -> None:
    """Merge the extracted messages into each catalog, creating missing ones.

    New messages arrive untranslated (never guessed from a similar message: fuzzy matching is
    off), messages gone from the code stay at the end as obsolete, and English is filled."""
    for language in languages:
        path = catalog_path(language, directory)
        if path.exists():
            _pybabel("update", "-i", str(template), "-d", str(directory), "-l", language,
                     "--no-fuzzy-matching", "-w", str(WIDTH))
        else:
            _pybabel("init", "-i", str(template), "-d", str(directory), "-l", language,
                     "-w", str(WIDTH))
        if language == SOURCE_LANGUAGE:
            fill_source_language(path)


def compile_all(directory: Path = TRANSLATIONS) -> None:
    """Write messages.mo next to each messages.po (the app also does this at start)."""
    _pybabel("compile", "-d", str(directory), "--statistics", verbose=True)


@click.group("translations")
def translations_group() -> None:
    """The fi, sv and en message catalogs (translations/*/LC_MESSAGES/messages.po)."""


_template_option = click.option(
    "--pot", "template", type=click.Path(dir_okay=False, path_type=Path),
    default=TRANSLATIONS / "messages.pot", show_default=True,
    help="Where the extracted template is written (not kept in git).")


@translations_group.command("extract")
@_template_option
def extract_command(template: Path) -> None:
    """Collect the messages of the code and templates into a .pot template."""
    catalog = extract(template)
    click.echo(f"{len(catalog)} messages in {template}")


@translations_group.command("update")
@_template_option
def update_command(template: Path) -> None:
    """Extract, then add new messages to the fi, sv and en catalogs (en filled in)."""
    extract(template)
    update(template)
    for language in LANGUAGES:
        with catalog_path(language).open("rb") as f:
            catalog = read_po(f, locale=language)
        untranslated = sum(1 for m in catalog if m.id and not m.string)
        click.echo(f"{language}: {len(catalog)} messages, {untranslated} to translate")


@translations_group.command("compile")
def compile_command() -> None:
    """Compile the catalogs to .mo files (the app compiles stale ones at start too)."""
    compile_all()
