"""Areas (wellbeing services counties), the staff who work for them, and their sign-in
records (failed attempts and password reset tokens, see `security.py` for the rules)."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..contact import ContactFields
from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import Model

LANGUAGE_CODES = ("fi", "sv", "en")


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"  # works for one area, runs sessions
    COORDINATOR = "coordinator"  # sets up co-run series across areas
    ADMIN = "admin"  # everything, including people's data on request


class FacilitatorKind(enum.StrEnum):
    PROFESSIONAL = "professional"
    EXPERIENCE_EXPERT = "experience_expert"  # kokemusasiantuntija


class Area(ContactFields, Model):
    """A wellbeing services county (hyvinvointialue / välfärdsområde), the City of Helsinki,
    or another body an admin adds to the network. An inactive area keeps its history (groups,
    sessions, staff) but is offered for nothing new."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_fi: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str] = mapped_column(String(200))
    # The national languages the area serves, e.g. "fi" or "fi,sv" (bilingual areas).
    languages: Mapped[str] = mapped_column(String(16), default="fi")
    active: Mapped[bool] = mapped_column(default=True)

    users: Mapped[list[User]] = relationship(back_populates="area")

    @validates("languages")
    def _check_languages(self, _key: str, value: str) -> str:
        codes = [c.strip() for c in value.split(",") if c.strip()]
        if not codes or any(c not in ("fi", "sv") for c in codes):
            raise ValueError("an area serves Finnish, Swedish or both")
        return ",".join(codes)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(self.languages.split(","))

    @property
    def is_bilingual(self) -> bool:
        return len(self.language_codes) > 1

    def name(self, lang: str) -> str:
        """Area names exist in both national languages; English readers get the Finnish one."""
        return self.name_sv if lang == "sv" else self.name_fi

    def __repr__(self) -> str:
        return f"<Area {self.code}>"


class User(UserMixin, Model):
    """A member of staff: facilitator, coordinator or admin, always of one area."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    facilitator_kind: Mapped[FacilitatorKind | None] = mapped_column(str_enum(FacilitatorKind))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fi")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Raised by signing out: every copy of the user's session cookie (other browsers, a
    # copied cookie) carries the old number and stops working at its next request.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area: Mapped[Area] = relationship(back_populates="users")

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        value = value.strip().lower()
        if "@" not in value:
            raise ValueError("an e-mail address needs an @")
        return value

    @validates("language")
    def _check_language(self, _key: str, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise ValueError(f"language must be one of {LANGUAGE_CODES}")
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginThrottle(Model):
    """Failed sign-ins against one key: an (account, client address) pair, or a client
    address alone (keyed hashes, people/security.py). The row is locked while an attempt is
    counted, so simultaneous attempts queue up and at most the limit are ever tried.

    The pair, not the account alone: a facilitator's address is on calendars and mails, and
    whoever knows it must not be able to lock them out from elsewhere. Each lock in a row
    lasts twice as long as the one before."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    lockouts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class PasswordResetToken(Model):
    """A single-use reset link. Only the SHA-256 of the token is stored: a leaked database
    gives no working links."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
