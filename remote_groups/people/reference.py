"""Finland's 21 wellbeing services counties and the City of Helsinki: the areas a new
installation starts with (`remote-groups setup`).

Names are the official ones in Finnish and Swedish (Act 616/2021, section 7). An area is
bilingual when one of its municipalities is; those serve clients in both national
languages, the Swedish-majority Pohjanmaa with Swedish first. Codes are stable: staff
accounts, commands and URLs refer to them, so they never change once loaded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import Area


@dataclass(frozen=True)
class ReferenceArea:
    code: str
    name_fi: str
    name_sv: str
    languages: str


AREAS: tuple[ReferenceArea, ...] = (
    ReferenceArea("etela-karjala", "Etelä-Karjalan hyvinvointialue",
                  "Södra Karelens välfärdsområde", "fi"),
    ReferenceArea("etela-pohjanmaa", "Etelä-Pohjanmaan hyvinvointialue",
                  "Södra Österbottens välfärdsområde", "fi"),
    ReferenceArea("etela-savo", "Etelä-Savon hyvinvointialue",
                  "Södra Savolax välfärdsområde", "fi"),
    ReferenceArea("ita-uusimaa", "Itä-Uudenmaan hyvinvointialue",
                  "Östra Nylands välfärdsområde", "fi,sv"),
    ReferenceArea("kainuu", "Kainuun hyvinvointialue", "Kajanalands välfärdsområde", "fi"),
    ReferenceArea("kanta-hame", "Kanta-Hämeen hyvinvointialue",
                  "Egentliga Tavastlands välfärdsområde", "fi"),
    ReferenceArea("keski-pohjanmaa", "Keski-Pohjanmaan hyvinvointialue",
                  "Mellersta Österbottens välfärdsområde", "fi,sv"),
    ReferenceArea("keski-suomi", "Keski-Suomen hyvinvointialue",
                  "Mellersta Finlands välfärdsområde", "fi"),
    ReferenceArea("keski-uusimaa", "Keski-Uudenmaan hyvinvointialue",
                  "Mellersta Nylands välfärdsområde", "fi"),
    ReferenceArea("kymenlaakso", "Kymenlaakson hyvinvointialue",
                  "Kymmenedalens välfärdsområde", "fi"),
    ReferenceArea("lappi", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "fi"),
    ReferenceArea("lansi-uusimaa", "Länsi-Uudenmaan hyvinvointialue",
                  "Västra Nylands välfärdsområde", "fi,sv"),
    ReferenceArea("pirkanmaa", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", "fi"),
    ReferenceArea("pohjanmaa", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde",
                  "sv,fi"),
    ReferenceArea("pohjois-karjala", "Pohjois-Karjalan hyvinvointialue",
                  "Norra Karelens välfärdsområde", "fi"),
    ReferenceArea("pohjois-pohjanmaa", "Pohjois-Pohjanmaan hyvinvointialue",
                  "Norra Österbottens välfärdsområde", "fi"),
    ReferenceArea("pohjois-savo", "Pohjois-Savon hyvinvointialue",
                  "Norra Savolax välfärdsområde", "fi"),
    ReferenceArea("paijat-hame", "Päijät-Hämeen hyvinvointialue",
                  "Päijänne-Tavastlands välfärdsområde", "fi"),
    ReferenceArea("satakunta", "Satakunnan hyvinvointialue", "Satakunta välfärdsområde", "fi"),
    ReferenceArea("vantaa-kerava", "Vantaan ja Keravan hyvinvointialue",
                  "Vanda och Kervo välfärdsområde", "fi,sv"),
    ReferenceArea("varsinais-suomi", "Varsinais-Suomen hyvinvointialue",
                  "Egentliga Finlands välfärdsområde", "fi,sv"),
    ReferenceArea("helsinki", "Helsingin kaupunki", "Helsingfors stad", "fi,sv"),
)


def load_reference_areas() -> list[Area]:
    """Add the reference areas that are missing, by code; returns the ones added.

    Idempotent: an area already there is left exactly as it is, so an admin's edits (a
    corrected name, a contact line, marking it inactive) survive every later run."""
    existing = set(db.session.scalars(select(Area.code)))
    added = [Area(code=a.code, name_fi=a.name_fi, name_sv=a.name_sv, languages=a.languages)
             for a in AREAS if a.code not in existing]
    db.session.add_all(added)
    db.session.flush()
    return added
