"""The English catalog: msgids are written in English, so each msgstr is its msgid."""

import sys

from babel.messages.pofile import read_po, write_po

path = sys.argv[1]
with open(path, "rb") as f:
    catalog = read_po(f, locale="en")
for message in catalog:
    if message.id and not message.string:
        message.string = message.id
    if message.id and message.fuzzy:
        message.flags.discard("fuzzy")
with open(path, "wb") as f:
    write_po(f, catalog, width=100)
