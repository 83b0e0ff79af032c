"""The language switch keeps a page's query arguments; one named like a path argument must
not break the page."""

from __future__ import annotations

from datetime import timedelta

from remote_groups.db_types import utcnow


def test_query_argument_named_like_the_path_is_ignored_by_the_language_switch(
        client, make, db_session):
    session = make.session_(starts_at=utcnow() + timedelta(days=1))
    db_session.commit()
    page = client.get(f"/fi/sessions/{session.id}/join?session_id=7&lang=en&theme=x")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="/sv/sessions/{session.id}/join?theme=x"' in html
