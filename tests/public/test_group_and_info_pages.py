"""The group page (description, next sessions, hosts, join and calendar links), the
accessibility statement and the privacy page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Blueprint, Flask

from remote_groups import create_app
from remote_groups.db_types import utcnow
from remote_groups.extensions import db
from remote_groups.groups.models import GroupKind
from tests.factories import Factory


def test_group_page_shows_description_sessions_hosts_and_join_links(client, make, on_now) -> None:
    group = on_now.group
    group.description_sv = "Vi rör på oss tillsammans.\n\nIngen utrustning behövs."
    other = make.area(name_sv="Norra Karelen", name_fi="Pohjois-Karjala")
    later = make.session_(group=group, host=other, starts_at=utcnow() + timedelta(days=2))
    html = client.get(f"/sv/groups/{group.id}").get_data(as_text=True)
    assert "<p>Vi rör på oss tillsammans.</p>" in html
    assert "Västra Nyland" in html and "Norra Karelen" in html  # who hosts each session
    assert "Aino" in html and "Testinen" not in html
    # The session on now stands out and can be joined; the later one says how to join.
    assert "session-now" in html and "Pågår nu" in html
    assert f'href="/sv/sessions/{on_now.id}/join">Gå med nu' in html
    assert f'href="/sv/sessions/{later.id}/join">Så här går du med' in html
    assert on_now.room_name not in html and later.room_name not in html


def test_closed_course_sessions_have_no_join_link(client, make) -> None:
    course = make.group(kind=GroupKind.CLOSED, title_fi="Kurssi")
    session = make.session_(group=course, starts_at=utcnow() - timedelta(minutes=1))
    html = client.get(f"/fi/groups/{course.id}").get_data(as_text=True)
    assert f"/sessions/{session.id}/join" not in html


def test_calendar_links_appear_only_once_the_calendar_feature_is_installed(app, client,
                                                                          on_now) -> None:
    html = client.get(f"/fi/groups/{on_now.group.id}").get_data(as_text=True)
    installed = "calendar.session_ics" in app.view_functions
    assert (f"/fi/sessions/{on_now.id}/calendar.ics" in html) == installed


@pytest.fixture
def app_with_calendar(tmp_path) -> Iterator[Flask]:
    """A separate app with stand-ins for the calendar feature's two routes (unless the real
    ones are installed), to see the links the group page builds for them."""
    app = create_app({"RG_MODE": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'calendar.sqlite'}"})
    if "calendar.session_ics" not in app.view_functions:
        stand_in = Blueprint("calendar", __name__, url_prefix="/<lang>")
        stand_in.add_url_rule("/sessions/<int:session_id>/calendar.ics", "session_ics",
                              lambda session_id: "")
        stand_in.add_url_rule("/groups/<int:group_id>/calendar.ics", "group_feed",
                              lambda group_id: "")
        app.register_blueprint(stand_in)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def test_group_page_links_each_session_and_the_whole_group_to_the_calendar(
        app_with_calendar: Flask) -> None:
    make: Any = Factory(db.session)
    session = make.session_()
    db.session.commit()
    html = app_with_calendar.test_client().get(f"/fi/groups/{session.group.id}").get_data(
        as_text=True)
    assert f'href="/fi/sessions/{session.id}/calendar.ics" download>Lisää kalenteriin' in html
    assert f'/fi/groups/{session.group.id}/calendar.ics"' in html  # the group's feed
    # Before the room opens, the join page offers the calendar too.
    join = app_with_calendar.test_client().get(f"/sv/sessions/{session.id}/join")
    expected = f'href="/sv/sessions/{session.id}/calendar.ics" download>Lägg till i kalendern'
    assert expected in join.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "heading", "footer", "authority"),
    [("fi", "Saavutettavuusseloste", "Tietosuoja", "saavutettavuusvaatimukset.fi"),
     ("sv", "Tillgänglighetsutlåtande", "Dataskydd", "tillganglighetskrav.fi"),
     ("en", "Accessibility statement", "Privacy", "accessibilityrequirements.fi")],
)
def test_accessibility_statement_and_privacy_page_are_linked_from_every_footer(
        client, db_session, lang, heading, footer, authority) -> None:
    front = client.get(f"/{lang}/").get_data(as_text=True)
    footer_html = front.split('class="site-footer"')[1]
    assert f'href="/{lang}/accessibility">{heading}</a>' in footer_html
    assert f'href="/{lang}/privacy">{footer}</a>' in footer_html
    statement = client.get(f"/{lang}/accessibility").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in statement
    assert "mailto:saavutettavuus@example.com" in statement
    # where to complain: the supervisory authority's site in the page's language
    assert f'<a href="https://www.{authority}/">{authority}</a>' in statement
    assert client.get(f"/{lang}/privacy").status_code == 200


def test_privacy_page_says_only_an_anonymous_count_is_stored(client, db_session) -> None:
    html = client.get("/en/privacy").get_data(as_text=True)
    assert "we add one to the session's counter" in html
    assert "We do not save it." in html
    assert "The public pages set no cookies." in html


def test_public_pages_and_the_join_button_set_no_cookie(app, client, on_now, jitsi,
                                                       monkeypatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    for url in ("/fi/", f"/fi/groups/{on_now.group.id}", "/fi/privacy", "/fi/accessibility",
                "/fi/?theme=exercise", f"/fi/sessions/{on_now.id}/join"):
        assert "Set-Cookie" not in client.get(url).headers, url
    pressed = client.post(f"/fi/sessions/{on_now.id}/join/video", data={"display_name": "Kim"})
    assert pressed.status_code == 303 and pressed.location.startswith(jitsi)
    assert "Set-Cookie" not in pressed.headers
