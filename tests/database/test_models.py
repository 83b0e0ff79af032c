from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from remote_groups.db_types import UTCDateTime
from remote_groups.groups.models import Group, GroupKind, Session
from remote_groups.people.models import Area


def test_a_session_must_end_after_it_starts(make):
    group = make.group()
    start = datetime(2026, 12, 3, 11, tzinfo=UTC)
    with pytest.raises(ValueError, match="ends after it starts"):
        Session(group=group, starts_at=start, ends_at=start, host_area=group.areas[0])


def test_the_database_also_refuses_a_session_that_ends_before_it_starts(make, db_session):
    session = make.session_()
    with pytest.raises(IntegrityError):
        db_session.execute(
            text("UPDATE sessions SET ends_at = starts_at WHERE id = :id"), {"id": session.id}
        )
        db_session.flush()
    db_session.rollback()


def test_a_closed_course_needs_a_capacity(make, db_session):
    area = make.area()
    course = Group(kind=GroupKind.CLOSED, theme="work_ability", instruction_language="fi",
                   title_fi="Kurssi")
    course.set_areas([area])
    assert "capacity" in course.validate()
    db_session.add(course)
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_an_open_group_needs_no_capacity_and_a_course_with_one_is_valid(make):
    assert make.group(kind=GroupKind.OPEN).validate() == []
    assert make.group(kind=GroupKind.CLOSED, capacity=6).validate() == []


def test_application_window_must_close_after_it_opens(make):
    now = datetime(2026, 11, 1, tzinfo=UTC)
    course = make.group(kind=GroupKind.CLOSED)
    course.applications_open_at = now
    course.applications_close_at = now - timedelta(days=1)
    assert "applications_close_at" in course.validate()
    course.applications_close_at = now + timedelta(days=10)
    assert course.applications_open(now + timedelta(days=1))
    assert not course.applications_open(now + timedelta(days=10))


def test_rooms_are_unguessable_and_differ_per_session(make):
    sessions = [make.session_() for _ in range(20)]
    rooms = {s.room_name for s in sessions}
    assert len(rooms) == 20
    for room in rooms:
        # base32 of 20 random bytes: 32 characters of 5 bits = 160 bits
        assert len(room) == 32 and room.isalnum() and room == room.lower()


def test_session_uid_never_changes_when_the_session_is_edited(make, db_session):
    session = make.session_()
    uid = session.uid
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.bump_sequence()
    db_session.flush()
    assert session.uid == uid and session.sequence == 1


def test_times_are_stored_in_utc_and_come_back_aware(make, db_session):
    from zoneinfo import ZoneInfo

    helsinki = datetime(2026, 7, 2, 13, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    session = make.session_(starts_at=helsinki)
    db_session.commit()
    db_session.expire_all()
    again = db_session.get(Session, session.id)
    assert again.starts_at == helsinki
    assert again.starts_at.tzinfo is not None
    assert again.starts_at.hour == 10  # 13:00 EEST is 10:00 UTC
    raw = db_session.execute(text("SELECT starts_at FROM sessions")).scalar_one()
    assert "10:00" in str(raw)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1, 12), None)


def test_area_languages_are_finnish_swedish_or_both():
    assert Area(code="x", name_fi="X", name_sv="X", languages="fi, sv").is_bilingual
    with pytest.raises(ValueError):
        Area(code="y", name_fi="Y", name_sv="Y", languages="de")


def test_group_areas_keep_their_rotation_order(make, db_session):
    a, b, c = make.area(), make.area(), make.area()
    group = make.group(areas=[c, a, b])
    db_session.commit()
    db_session.expire_all()
    assert [x.id for x in db_session.get(Group, group.id).areas] == [c.id, a.id, b.id]
