"""The materials library: files and links staff share, and where they are attached.

Files live in the database (`MaterialFile`, one row per distinct content, keyed by its
SHA-256), so they work the same on SQLite and PostgreSQL and are backed up with the
database. A material names its file by that hash; the same bytes uploaded twice are stored
once. No client's personal data is kept here: a material names the member of staff who
added it and their area."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model
from ..groups.models import Group, Session, Theme
from ..people.models import Area, User


class MaterialKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class MaterialLanguage(enum.StrEnum):
    FI = "fi"
    SV = "sv"
    EN = "en"
    BOTH = "both"  # Finnish and Swedish


class MaterialFile(Model):
    """The bytes of an uploaded file, stored once per content (content-addressed)."""

    __tablename__ = "material_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Material(Model):
    __tablename__ = "materials"
    __table_args__ = (
        CheckConstraint("(kind = 'file' AND file_sha256 IS NOT NULL) OR "
                        "(kind = 'link' AND url IS NOT NULL)", name="material_has_content"),
        Index("ix_materials_theme_language", "theme", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MaterialKind] = mapped_column(str_enum(MaterialKind))
    title_fi: Mapped[str] = mapped_column(String(200), default="")
    title_sv: Mapped[str] = mapped_column(String(200), default="")
    description_fi: Mapped[str] = mapped_column(Text, default="")
    description_sv: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[Theme] = mapped_column(str_enum(Theme))
    language: Mapped[MaterialLanguage] = mapped_column(str_enum(MaterialLanguage))
    url: Mapped[str | None] = mapped_column(String(2000))
    file_sha256: Mapped[str | None] = mapped_column(
        ForeignKey("material_files.sha256"), index=True)
    # The type sniffed from the bytes at upload, the one the file is served with.
    content_type: Mapped[str] = mapped_column(String(120), default="")
    extension: Mapped[str] = mapped_column(String(10), default="")
    size: Mapped[int] = mapped_column(default=0)
    # Titles and descriptions, normalised (rules.normalise): what a search looks in.
    search_text: Mapped[str] = mapped_column(Text, default="")
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area: Mapped[Area] = relationship()
    added_by: Mapped[User | None] = relationship()
    attachments: Mapped[list[MaterialAttachment]] = relationship(
        back_populates="material", cascade="all, delete-orphan")

    @property
    def is_file(self) -> bool:
        return self.kind == MaterialKind.FILE

    def __repr__(self) -> str:
        return f"<Material {self.id} {self.kind}>"


class MaterialAttachment(Model):
    """A material attached to one group (every session of it) or to one session."""

    __tablename__ = "material_attachments"
    __table_args__ = (
        CheckConstraint("(group_id IS NULL) <> (session_id IS NULL)",
                        name="attached_to_group_or_session"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    attached_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    material: Mapped[Material] = relationship(back_populates="attachments")
    group: Mapped[Group | None] = relationship()
    session: Mapped[Session | None] = relationship()

    @property
    def target_group(self) -> Group:
        """The group the material reaches: its own, or its session's."""
        if self.group is not None:
            return self.group
        assert self.session is not None
        return self.session.group
