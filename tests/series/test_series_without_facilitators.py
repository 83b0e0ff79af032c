"""A group whose areas have no facilitators yet: the coordinator's pages still open and say
so (a `{% set _ = … %}` in the form macros hid the translation function `_`)."""

from __future__ import annotations

from datetime import timedelta

from remote_groups.db_types import utcnow
from remote_groups.people.models import Role


def test_pages_of_a_group_without_facilitators_open(client, make, db_session, login):
    home, partner = make.area(), make.area()
    group = make.group([home, partner])
    session = make.session_(group, utcnow() + timedelta(days=3), host=home)
    coordinator = make.user(home, Role.COORDINATOR)
    db_session.commit()
    login(coordinator, lang="en")
    for path in (f"/en/staff/series/groups/{group.id}/plan",
                 f"/en/staff/series/groups/{group.id}/sessions/new",
                 f"/en/staff/series/sessions/{session.id}/host"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "No facilitators in these areas yet." in page.get_data(as_text=True), path
