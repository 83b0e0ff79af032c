"""Fill the fi and sv catalogs from a translation table (JSON: {msgid: {"fi": …, "sv": …}}).

Translators and developers keep the table next to the feature; this script writes it into the
.po files, so the catalogs stay the single thing Babel reads."""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(tables: list[str]) -> None:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        merged.update(json.loads(Path(table).read_text(encoding="utf-8")))
    for lang in ("fi", "sv"):
        path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if message.context:  # pgettext: the table's key is "context|msgid"
                key = f"{message.context}|{key}"
            entry = merged.get(key)
            if entry and entry.get(lang):
                message.string = entry[lang] if isinstance(message.id, str) else (entry[lang],)
                message.flags.discard("fuzzy")
        with path.open("wb") as f:
            write_po(f, catalog, width=100)


if __name__ == "__main__":
    main(sys.argv[1:] or [str(p) for p in sorted((ROOT / "translations" / "src").glob("*.json"))])
