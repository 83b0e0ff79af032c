"""Translated names for the model's enumerations, in one place for pages, forms and mails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import GroupKind, InstructionLanguage, Theme

THEME_NAMES = {
    Theme.NUTRITION: _l("Nutrition"),
    Theme.EXERCISE: _l("Exercise"),
    Theme.MENTAL_WELLBEING: _l("Mental wellbeing"),
    Theme.REST: _l("Rest and sleep"),
    Theme.CULTURE: _l("Culture"),
    Theme.WORK_ABILITY: _l("Work ability"),
    Theme.PEER_SUPPORT: _l("Peer support"),
    Theme.EVERYDAY_LIFE: _l("Everyday life"),
}

INSTRUCTION_LANGUAGE_NAMES = {
    InstructionLanguage.FI: _l("Finnish"),
    InstructionLanguage.SV: _l("Swedish"),
    InstructionLanguage.BOTH: _l("Finnish and Swedish"),
}

KIND_NAMES = {GroupKind.OPEN: _l("Open group"), GroupKind.CLOSED: _l("Closed course")}


def theme_name(theme: Theme) -> str:
    return str(THEME_NAMES[theme])


def instruction_language_name(language: InstructionLanguage) -> str:
    return str(INSTRUCTION_LANGUAGE_NAMES[language])


def kind_name(kind: GroupKind) -> str:
    return str(KIND_NAMES[kind])
