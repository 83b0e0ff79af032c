"""Finnish and Swedish on a par: which of a group's texts are missing in a national language.

Finnish public services serve Finnish and Swedish speakers equally. A group written only in
Finnish still shows on the Swedish pages (marked "(på finska)"), but staff are told what is
missing, on the group form and in the reports."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

TEXT_FIELDS = ("title", "summary", "description")
NATIONAL_LANGUAGES = ("fi", "sv")

# "(in Finnish)": said after a text shown in another language than the page's.
IN_LANGUAGE = {"fi": _l("(in Finnish)"), "sv": _l("(in Swedish)"), "en": _l("(in English)")}


def missing_texts(obj: Any, lang: str, fields: tuple[str, ...] = TEXT_FIELDS) -> list[str]:
    """The fields that have a text in some language but none in `lang`."""
    missing = []
    for name in fields:
        texts = {code: (getattr(obj, f"{name}_{code}", "") or "").strip()
                 for code in ("fi", "sv", "en")}
        if any(texts.values()) and not texts[lang]:
            missing.append(name)
    return missing


def missing_languages(obj: Any) -> list[str]:
    """The national languages (fi, sv) in which some of the group's texts are missing."""
    return [lang for lang in NATIONAL_LANGUAGES if missing_texts(obj, lang)]


# Said to staff when a group's texts are missing in a national language.
MISSING_WARNING = {
    "fi": _l("Some texts are missing in Finnish. The Finnish pages show them in another "
             "language."),
    "sv": _l("Some texts are missing in Swedish. The Swedish pages show them in another "
             "language."),
}


def missing_warnings(obj: Any) -> list[str]:
    return [str(MISSING_WARNING[lang]) for lang in missing_languages(obj)]
