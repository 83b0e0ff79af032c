"""The coordinator's forms with an edited facilitator list: a number no user can have is
nobody, not a server error."""

from __future__ import annotations

from datetime import timedelta

from remote_groups.db_types import utcnow
from remote_groups.people.models import Role


def test_host_form_with_an_impossible_facilitator_id_is_refused_calmly(
        client, make, db_session, login):
    home, partner = make.area(), make.area()
    group = make.group([home, partner])
    session = make.session_(group, utcnow() + timedelta(days=3), host=home)
    coordinator = make.user(home, Role.COORDINATOR)
    db_session.commit()
    login(coordinator)
    answer = client.post(f"/fi/staff/series/sessions/{session.id}/host",
                         data={"host": str(partner.id),
                               "facilitators": ["99999999999999999999"]})
    assert answer.status_code in (200, 302, 303)
    db_session.expire_all()
    assert session.facilitators == []
