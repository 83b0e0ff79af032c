"""Run by the system python (Debian's python3-gi with gir1.2-ical-3.0), not the venv: reads a
JSON list of iCalendar texts on stdin and prints, per calendar, the iTIP restriction errors
libical finds (RFC 5546 tables: which properties each METHOD needs or forbids)."""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def _errors(component: "ICalGLib.Component") -> list[str]:
    found = []
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(prop.get_xlicerror())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        found.extend(_errors(child))
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return found


def check(text: str) -> list[str]:
    component = ICalGLib.Component.new_from_string(text)
    if component is None:
        return ["libical could not parse the calendar"]
    parse_errors = _errors(component)
    ok = ICalGLib.restriction_check(component)
    errors = _errors(component)
    if not ok and not errors:
        errors = ["restriction check failed"]
    return sorted(set(parse_errors + errors))


if __name__ == "__main__":
    json.dump([check(text) for text in json.load(sys.stdin)], sys.stdout)
