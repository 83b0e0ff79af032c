"""NUL characters in typed values are dropped before any view sees them: PostgreSQL refuses
them in text (a server error), and nobody means to type one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from remote_groups.courses.models import Application
from remote_groups.db_types import utcnow
from remote_groups.groups.models import GroupKind


def test_an_application_with_nul_characters_is_stored_without_them(client, make, db_session):
    area = make.area()
    now = utcnow()
    course = make.group([area], kind=GroupKind.CLOSED, capacity=4,
                        applications_open_at=now - timedelta(days=1),
                        applications_close_at=now + timedelta(days=5))
    db_session.commit()
    answer = client.post(f"/fi/courses/{course.id}/apply", data={
        "name": "Tes\x00ti Hakija", "email": "hakija@example.com", "phone": "",
        "home_area": str(area.id), "language": "fi", "motivation": "Halu\x00an mukaan",
        "support_needs": "", "consent": "y"})
    assert answer.status_code == 303
    stored = db_session.scalar(select(Application))
    assert (stored.name, stored.motivation) == ("Testi Hakija", "Haluan mukaan")


def test_query_arguments_lose_nul_characters_too(client, db_session):
    page = client.get("/fi/groups", query_string={"theme": "exer\x00cise"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/sv/groups?theme=exercise"' in html  # the language switch keeps the query
