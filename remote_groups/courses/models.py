"""Applications to closed courses.

One row per person per course: a second application with the same e-mail address updates the
first (unique on the course and the keyed hash of the address). What the person writes about
why they apply, their support needs and a facilitator's message are encrypted at rest. The
status link and the join link are stored only as hashes; the join key is also kept encrypted,
because updated calendar invites must carry the same personal join link again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model
from ..groups.models import Group
from ..people.models import Area
from ..rules.capacity import Applicant, Status
from .crypto import EncryptedText


class Application(Model):
    """An application to a closed course (hakemus / ansökan)."""

    __tablename__ = "course_applications"
    __table_args__ = (
        UniqueConstraint("group_id", "email_hash", name="uq_course_applications_group_email"),
        Index("ix_course_applications_group_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.PENDING)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # HMAC of the normalised address; NULL once the data is erased (NULLs never clash).
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    home_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(2), default="fi")
    motivation: Mapped[str] = mapped_column(EncryptedText(), default="")
    # The "other needs" free text (the needs form's last field; earlier "support needs").
    support_needs: Mapped[str] = mapped_column(EncryptedText(), default="", server_default="")
    # The ticked needs as JSON (`courses.needs.Needs`): interpreter's language, sign
    # language, plain language, assistant. Encrypted: needs can tell of a disability.
    needs: Mapped[str] = mapped_column(EncryptedText(), default="", server_default="")
    # "My name may be shown to others in the video room": the personal join link prefills
    # the display name only when this is true.
    show_name: Mapped[bool] = mapped_column(default=False, server_default=false())
    decision_message: Mapped[str] = mapped_column(EncryptedText(), default="")
    # Opt-in for session reminders by e-mail (mail/reminders.py reads it via the
    # participant source).
    wants_reminders: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # First come, first served on the waiting list: kept when the person updates details.
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Private status page link: SHA-256 of the token; NULL when revoked.
    status_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Personal join links (calendar invites): hash for lookup, the key itself encrypted.
    join_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    join_key: Mapped[str] = mapped_column(EncryptedText(), default="")
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()
    home_area: Mapped[Area | None] = relationship()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def as_applicant(self) -> Applicant:
        return Applicant(id=self.id, status=self.status, applied_at=self.applied_at)

    def __repr__(self) -> str:  # no personal data in reprs: they end up in logs
        return f"<Application {self.id} {self.status}>"


class ApplicationChange(Model):
    """Details sent again with an address that already has an application to the course.

    Whoever knows an applicant's address could otherwise overwrite the application, revive
    a withdrawn one or cut off the owner's private link just by applying again. So the new
    details wait here, encrypted, and nothing of the application changes until the address's
    owner opens the link e-mailed to it and confirms (`service.confirm_change`). Unconfirmed
    rows expire and are purged with the other personal data."""

    __tablename__ = "course_application_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("course_applications.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    details: Mapped[str] = mapped_column(EncryptedText(), default="")  # JSON of the form
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship()

    def __repr__(self) -> str:
        return f"<ApplicationChange {self.id}>"
