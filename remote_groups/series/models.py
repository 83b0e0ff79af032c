"""The spec of a group's co-run series, kept so it can be edited later.

The sessions themselves are ordinary `Session` rows; `SeriesSession` marks which of them
the series planned (and their place in it), so extra sessions added by hand stay out of
replanning. The rotation order lives in `GroupArea.position`; `SeriesFacilitator` lists the
staff who run the series: each session gets those of its host area.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import Model
from ..groups.models import Group, Session
from ..people.models import User
from ..rules.rotation import SeriesSpec


class SeriesFacilitator(Model):
    __tablename__ = "series_facilitators"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    user: Mapped[User] = relationship()


class SeriesSession(Model):
    """A session planned by a series; `index` is its place among the held meetings."""

    __tablename__ = "series_sessions"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    series_id: Mapped[int] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int]

    session: Mapped[Session] = relationship()


class Series(Model):
    """One series per group: the coordinator's answers to "when, how often, how long"."""

    __tablename__ = "series"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("interval_weeks IN (1, 2)", name="interval"),
        CheckConstraint("(count IS NULL) <> (until IS NULL)", name="count_or_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), unique=True
    )
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time())
    duration_minutes: Mapped[int]
    interval_weeks: Mapped[int] = mapped_column(default=1)
    first_date: Mapped[date]
    count: Mapped[int | None]
    until: Mapped[date | None]
    skip_holidays: Mapped[bool] = mapped_column(default=True)
    rotation_offset: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship()
    members: Mapped[list[SeriesSession]] = relationship(
        order_by=SeriesSession.index, cascade="all, delete-orphan"
    )
    facilitator_links: Mapped[list[SeriesFacilitator]] = relationship(
        cascade="all, delete-orphan"
    )

    @property
    def facilitators(self) -> list[User]:
        return [link.user for link in self.facilitator_links]

    def set_facilitators(self, users: list[User]) -> None:
        self.facilitator_links = [SeriesFacilitator(user=u) for u in users]

    def spec(self, host_order: tuple[int, ...]) -> SeriesSpec:
        """The stored answers as the planner's input; the rotation comes from the group."""
        return SeriesSpec(
            host_order=host_order, weekday=self.weekday, start_time=self.start_time,
            duration=timedelta(minutes=self.duration_minutes),
            interval_weeks=self.interval_weeks, first_date=self.first_date, count=self.count,
            until=self.until, skip_holidays=self.skip_holidays,
            rotation_offset=self.rotation_offset,
        )

    def apply(self, spec: SeriesSpec) -> None:
        """Store a planner spec (the host order is stored on the group, not here)."""
        self.weekday = spec.weekday
        self.start_time = spec.start_time
        self.duration_minutes = int(spec.duration.total_seconds() // 60)
        self.interval_weeks = spec.interval_weeks
        self.first_date = spec.first_date
        self.count = spec.count
        self.until = spec.until
        self.skip_holidays = spec.skip_holidays
        self.rotation_offset = spec.rotation_offset
