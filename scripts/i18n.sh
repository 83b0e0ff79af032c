#!/usr/bin/env bash
# Extract messages and update the fi, sv and en catalogs. English msgids are the English text,
# so the en catalog copies each msgid (scripts/fill_english.py); fi and sv are translated by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BABEL="$PY -m babel.messages.frontend"
$BABEL extract -F babel.cfg -k _l -k _lp:1c,2 -k lazy_pgettext:1c,2 -o /tmp/remote_groups.pot . >/dev/null
for lang in fi sv en; do
  if [ -f "translations/$lang/LC_MESSAGES/messages.po" ]; then
    $BABEL update -i /tmp/remote_groups.pot -d translations -l "$lang" --no-fuzzy-matching >/dev/null
  else
    $BABEL init -i /tmp/remote_groups.pot -d translations -l "$lang" >/dev/null
  fi
done
$PY scripts/fill_english.py translations/en/LC_MESSAGES/messages.po
