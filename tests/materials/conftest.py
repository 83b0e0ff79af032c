"""Fixtures for the materials library: areas, staff, an open group and a course with
sessions, and the bytes of real (small) files of each accepted type."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.people.models import Area, Role, User

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def office_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office_zip({
    "[Content_Types].xml": (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    "word/document.xml": b"<w:document/>",
})
ODT = office_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                  "content.xml": b"<office:document-content/>"})


@dataclass
class World:
    west: Area
    north: Area
    other: Area
    facilitator: User  # west
    coordinator: User  # west
    outsider: User  # a facilitator of another area
    outside_coordinator: User
    open_group: Group
    open_session: Session
    course: Group
    course_session: Session


@pytest.fixture
def world(make: Any, db_session: Any) -> World:
    west = make.area(code="lansi", name_fi="Länsi-Alue", name_sv="Västra området",
                     languages="fi,sv")
    north = make.area(code="pohjoinen", name_fi="Pohjois-Alue", name_sv="Norra området")
    other = make.area(code="muu", name_fi="Muu-Alue", name_sv="Annat område")
    facilitator = make.user(west, first_name="Olli", email="olli@example.com")
    coordinator = make.user(west, role=Role.COORDINATOR, email="koordi@example.com")
    outsider = make.user(other, email="muu@example.com")
    outside_coordinator = make.user(other, role=Role.COORDINATOR, email="muukoordi@example.com")
    now = utcnow()
    open_group = make.group([west, north], title_fi="Liikuntaryhmä", title_sv="Motionsgrupp")
    open_session = make.session_(open_group, starts_at=now + timedelta(days=3), host=west,
                                 facilitators=[facilitator])
    course = make.group(
        [west], kind=GroupKind.CLOSED, capacity=4, title_fi="Mielen kurssi",
        title_sv="Kurs i välmående", applications_open_at=now - timedelta(days=1),
        applications_close_at=now + timedelta(days=10))
    course_session = make.session_(course, starts_at=now + timedelta(days=14), host=west,
                                   facilitators=[facilitator])
    db_session.commit()
    return World(west, north, other, facilitator, coordinator, outsider, outside_coordinator,
                 open_group, open_session, course, course_session)


def upload_data(data: bytes | None = b"", filename: str = "ohje.pdf", **fields: Any
                ) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title_fi": "Ravitsemusohje", "title_sv": "Näringsråd",
        "description_fi": "Lyhyt ohje arjen ruokailuun.", "description_sv": "",
        "theme": "nutrition", "language": "both", "url": "",
    }
    form.update(fields)
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return form
