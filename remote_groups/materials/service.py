"""Materials in the database: adding, editing, deleting, attaching, searching, and what a
participant may see. Functions flush; the view that called them commits once."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit
from ..db_types import utcnow
from ..extensions import db
from ..groups.models import Group, GroupKind, Session, Theme
from ..links import endpoint_of, external_url
from ..people.access import can_manage_group
from ..people.models import Role, User
from .models import Material, MaterialAttachment, MaterialFile, MaterialKind, MaterialLanguage
from .rules import FileType, like_pattern, normalise, search_words

PER_PAGE = 20
EDITABLE = ("title_fi", "title_sv", "description_fi", "description_sv", "theme", "language",
            "url")


@dataclass(frozen=True)
class Details:
    """What staff type about a material."""

    title_fi: str
    title_sv: str
    description_fi: str
    description_sv: str
    theme: Theme
    language: MaterialLanguage
    url: str | None = None


def max_bytes() -> int:
    return int(current_app.config.get("MATERIAL_MAX_BYTES", 10 * 1024 * 1024))


def max_request_bytes() -> int:
    return max(int(current_app.config.get("MATERIAL_MAX_REQUEST_BYTES", 0)), max_bytes())


# --- who may do what ------------------------------------------------------------------------


def may_edit(user: User, material: Material) -> bool:
    """The member of staff who added it, and the coordinators of their area; admins."""
    if user.role == Role.ADMIN or material.added_by_id == user.id:
        return True
    return user.role == Role.COORDINATOR and user.area_id == material.area_id


def may_attach_to(user: User, group: Group) -> bool:
    """Staff who manage the group (people/access.py): never another area's groups."""
    return can_manage_group(user, {a.id for a in group.areas})


# --- changes --------------------------------------------------------------------------------


def _apply(material: Material, details: Details) -> None:
    material.title_fi = details.title_fi.strip()
    material.title_sv = details.title_sv.strip()
    material.description_fi = details.description_fi.strip()
    material.description_sv = details.description_sv.strip()
    material.theme = details.theme
    material.language = details.language
    if material.kind == MaterialKind.LINK:
        material.url = (details.url or "").strip()
    material.search_text = normalise(" ".join((
        material.title_fi, material.title_sv, material.description_fi,
        material.description_sv)))
    material.updated_at = utcnow()


def add_file(details: Details, data: bytes, kind: FileType, actor: User) -> Material:
    digest = hashlib.sha256(data).hexdigest()
    _store_bytes(digest, data)
    material = Material(kind=MaterialKind.FILE, file_sha256=digest,
                        content_type=kind.content_type, extension=kind.extension,
                        size=len(data), area_id=actor.area_id, added_by_id=actor.id)
    _apply(material, details)
    db.session.add(material)
    db.session.flush()
    audit.record("material.upload", actor=actor, subject="material", subject_id=material.id,
                 changes={"content_type": [None, kind.content_type], "size": [None, len(data)]})
    return material


def _store_bytes(digest: str, data: bytes) -> None:
    """The file's row, written before the material that names it. Two people adding the
    same bytes at once: the second insert fails inside its savepoint and the row is used."""
    if db.session.get(MaterialFile, digest) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(MaterialFile(sha256=digest, size=len(data), data=data))
    except IntegrityError:
        if db.session.get(MaterialFile, digest) is None:
            raise


def add_link(details: Details, actor: User) -> Material:
    material = Material(kind=MaterialKind.LINK, area_id=actor.area_id, added_by_id=actor.id)
    _apply(material, details)
    db.session.add(material)
    db.session.flush()
    audit.record("material.link", actor=actor, subject="material", subject_id=material.id,
                 changes={"url": [None, material.url]})
    return material


def update(material: Material, details: Details, actor: User) -> None:
    before = audit.snapshot(material, EDITABLE)
    _apply(material, details)
    changes = audit.diff(before, audit.snapshot(material, EDITABLE))
    if changes:
        audit.record("material.edit", actor=actor, subject="material",
                     subject_id=material.id, changes=changes)
    db.session.flush()


def remove(material: Material, actor: User) -> None:
    digest = material.file_sha256
    audit.record("material.delete", actor=actor, subject="material", subject_id=material.id,
                 changes={"title": [material.title_fi or material.title_sv, None]})
    db.session.delete(material)
    db.session.flush()
    if digest is not None:
        still_used = db.session.scalar(
            select(func.count()).select_from(Material).where(Material.file_sha256 == digest))
        if not still_used:
            db.session.execute(delete(MaterialFile).where(MaterialFile.sha256 == digest))


def attach(material: Material, actor: User, *, group: Group | None = None,
           session: Session | None = None) -> MaterialAttachment | None:
    """Attach to a group or a session; None when it is attached there already."""
    if group is not None:
        target = MaterialAttachment.group_id == group.id
    elif session is not None:
        target = MaterialAttachment.session_id == session.id
    else:
        raise ValueError("attach to a group or a session")
    existing = db.session.scalar(select(MaterialAttachment).where(
        MaterialAttachment.material_id == material.id, target))
    if existing is not None:
        return None
    attachment = MaterialAttachment(material=material, group=group, session=session,
                                    attached_by_id=actor.id)
    db.session.add(attachment)
    db.session.flush()
    audit.record("material.attach", actor=actor, subject="material", subject_id=material.id,
                 session_id=session.id if session else None,
                 changes={"group": [None, group.id if group else None],
                          "session": [None, session.id if session else None]})
    return attachment


def detach(attachment: MaterialAttachment, actor: User) -> None:
    audit.record("material.detach", actor=actor, subject="material",
                 subject_id=attachment.material_id, session_id=attachment.session_id,
                 changes={"group": [attachment.group_id, None],
                          "session": [attachment.session_id, None]})
    db.session.delete(attachment)
    db.session.flush()


def file_bytes(material: Material) -> bytes:
    row = db.session.get(MaterialFile, material.file_sha256) if material.file_sha256 else None
    return row.data if row is not None else b""


# --- finding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[Material]
    total: int
    page: int
    pages: int


def search(query: str = "", theme: str = "", language: str = "", page: int = 1,
           per_page: int = PER_PAGE) -> Page:
    """Every word in the title or description (LIKE over the normalised `search_text`, the
    same on SQLite and PostgreSQL), with the theme and language filters."""
    conditions: list[ColumnElement[bool]] = [
        Material.search_text.like(like_pattern(word), escape="\\")
        for word in search_words(query)]
    if theme in {t.value for t in Theme}:
        conditions.append(Material.theme == Theme(theme))
    if language in {lang.value for lang in MaterialLanguage}:
        wanted = MaterialLanguage(language)
        if wanted in (MaterialLanguage.FI, MaterialLanguage.SV):
            conditions.append(Material.language.in_([wanted, MaterialLanguage.BOTH]))
        else:
            conditions.append(Material.language == wanted)
    where = and_(*conditions) if conditions else and_(True)
    total = db.session.scalar(select(func.count()).select_from(Material).where(where)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(
        select(Material).where(where).options(selectinload(Material.area))
        .order_by(Material.updated_at.desc(), Material.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, pages)


def managed_groups(user: User) -> list[Group]:
    """Groups the user may attach materials to, newest first."""
    from ..groups.models import GroupArea

    query = select(Group).order_by(Group.id.desc())
    if user.role != Role.ADMIN:
        query = query.where(Group.id.in_(
            select(GroupArea.group_id).where(GroupArea.area_id == user.area_id)))
    return [g for g in db.session.scalars(query.limit(200)) if not g.is_archived]


def upcoming_sessions(groups: Sequence[Group], limit: int = 200) -> list[Session]:
    if not groups:
        return []
    return list(db.session.scalars(
        select(Session).where(Session.group_id.in_([g.id for g in groups]),
                              Session.ends_at > utcnow())
        .order_by(Session.starts_at, Session.id).limit(limit)))


def _attached(where: Any) -> list[Material]:
    rows = db.session.scalars(
        select(Material).join(MaterialAttachment).where(where)
        .order_by(Material.title_fi, Material.title_sv, Material.id).distinct())
    return list(rows)


def for_session(session: Session) -> list[Material]:
    """Attached to the session or to its group."""
    return _attached(or_(MaterialAttachment.session_id == session.id,
                         MaterialAttachment.group_id == session.group_id))


def for_group(group: Group, sessions: Iterable[Session] = ()) -> list[Material]:
    """Attached to the group or to any of `sessions` (or, without sessions, to any of its
    sessions)."""
    ids = [s.id for s in sessions]
    session_ids = ids or select(Session.id).where(Session.group_id == group.id)
    return _attached(or_(MaterialAttachment.group_id == group.id,
                         MaterialAttachment.session_id.in_(session_ids)))


def reaches_group(material: Material, group_id: int) -> bool:
    """Whether the material is attached to the group or one of its sessions."""
    return bool(db.session.scalar(
        select(func.count()).select_from(MaterialAttachment).outerjoin(
            Session, Session.id == MaterialAttachment.session_id).where(
            MaterialAttachment.material_id == material.id,
            or_(MaterialAttachment.group_id == group_id, Session.group_id == group_id))))


def is_public(material: Material) -> bool:
    """Attached to an open group or one of its sessions: anyone may open it."""
    open_ids = select(Group.id).where(Group.kind == GroupKind.OPEN)
    return bool(db.session.scalar(
        select(func.count()).select_from(MaterialAttachment).outerjoin(
            Session, Session.id == MaterialAttachment.session_id).where(
            MaterialAttachment.material_id == material.id,
            or_(MaterialAttachment.group_id.in_(open_ids), Session.group_id.in_(open_ids)))))


# --- what participants are shown --------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A material as a participant sees it: a title in their language (or the other), a
    description, and the link to open."""

    title: str
    title_lang: str
    description: str
    description_lang: str
    url: str
    is_file: bool
    extension: str


def _text(material: Material, field: str, lang: str) -> tuple[str, str]:
    order = ("sv", "fi") if lang == "sv" else ("fi", "sv")
    for code in order:
        value = str(getattr(material, f"{field}_{code}") or "")
        if value:
            return value, code
    return "", lang


def shown(material: Material, lang: str, url: str) -> Shown:
    title, title_lang = _text(material, "title", lang)
    description, description_lang = _text(material, "description", lang)
    return Shown(title, title_lang, description, description_lang, url, material.is_file,
                 material.extension)


def public_url(material: Material, *, external: bool = False, lang: str = "fi") -> str:
    if not material.is_file:
        return material.url or ""
    if external:
        return external_url("materials_public.public_file", lang=lang, material_id=material.id)
    return url_for("materials_public.public_file", material_id=material.id)


def course_url(material: Material, token: str, *, external: bool = False,
               lang: str = "fi") -> str:
    if not material.is_file:
        return material.url or ""
    if external:
        return external_url("materials_public.course_file", lang=lang, token=token,
                            material_id=material.id)
    return url_for("materials_public.course_file", token=token, material_id=material.id)


def staff_url(material: Material, lang: str) -> str:
    return external_url("materials.detail", lang=lang, material_id=material.id)


def public_list(group: Group, sessions: Iterable[Session] = (),
                session: Session | None = None) -> list[Shown]:
    """For the group page and the public join page: an open group's materials only."""
    from flask import g

    if group.kind != GroupKind.OPEN:
        return []
    lang = getattr(g, "lang", "fi")
    found = for_session(session) if session is not None else for_group(group, sessions)
    return [shown(m, lang, public_url(m)) for m in found]


def course_list(group: Group, token: str, session: Session | None = None) -> list[Shown]:
    """For the personal pages behind a private link (already checked by their view)."""
    from flask import g

    lang = getattr(g, "lang", "fi")
    found = for_session(session) if session is not None else for_group(group)
    return [shown(m, lang, course_url(m, token)) for m in found]


def invitation_lines(session: Session, lang: str, join_url: str, chair: bool) -> list[str]:
    """Lines for a calendar entry's description: each material's title and link. Course
    participants get links that carry their own join key (taken from their join link);
    a course session in a public feed lists nothing."""
    materials = for_session(session)
    if not materials:
        return []
    from flask_babel import gettext as _

    token = None
    if session.group.kind == GroupKind.CLOSED and not chair:
        token = _personal_token(join_url)
        if token is None:
            return []
    lines = ["", _("Materials for this session:")]
    for material in materials:
        title = shown(material, lang, "").title
        if chair:
            url = staff_url(material, lang)
        elif token is not None:
            url = course_url(material, token, external=True, lang=lang)
        else:
            url = public_url(material, external=True, lang=lang)
        lines.append(f"{title}: {url}")
    return lines


def _personal_token(join_url: str) -> str | None:
    """The join key in a participant's personal join link, read through the URL map."""
    found = endpoint_of(join_url)
    if found and found[0] in {"courses.join", "courses.join_next"}:
        return str(found[1]["token"])
    return None
