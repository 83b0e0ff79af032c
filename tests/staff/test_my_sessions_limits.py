from datetime import timedelta

from remote_groups.db_types import utcnow
from remote_groups.people.my_sessions import my_sessions


def test_a_long_past_never_crowds_out_what_is_coming(make, db_session):
    area = make.area()
    me = make.user(area=area)
    group = make.group(areas=[area])
    now = utcnow()
    past = [make.session_(group=group, starts_at=now - timedelta(days=d)) for d in (2, 4, 6, 8)]
    coming = [make.session_(group=group, starts_at=now + timedelta(days=d)) for d in (1, 3, 5)]
    mine = my_sessions(me, now, upcoming_limit=2, past_limit=2)
    assert [s.id for s in mine.upcoming] == [coming[0].id, coming[1].id]
    assert [s.id for s in mine.past] == [past[0].id, past[1].id]  # newest first


def test_the_users_own_sessions_come_first(make, db_session):
    area = make.area()
    me = make.user(area=area)
    group = make.group(areas=[area])
    now = utcnow()
    other = make.session_(group=group, starts_at=now + timedelta(days=1))
    own = make.session_(group=group, starts_at=now + timedelta(days=2), facilitators=[me])
    assert [s.id for s in my_sessions(me, now).upcoming] == [own.id, other.id]
