from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from remote_groups.mail.models import OutboxMessage
from remote_groups.mail.notify import queue_mail


def test_notification_is_rendered_and_titled_in_the_recipients_language(db_session, app):
    with app.test_request_context("/fi/"):
        queue_mail(kind="test", recipient="a@example.com", language="sv",
                   template="session_invite", subject=_l("Host: %(area)s"),
                   subject_params={"area": "Österbotten"}, title="Kamratstöd", when="i dag",
                   change_kind="cancel",
                   topic="", host="Österbotten", join_url="https://x.example/j")
        db_session.commit()
    row = db_session.scalars(select(OutboxMessage)).one()
    assert row.subject == "Arrangör: Österbotten"
    assert "Träffen är inställd" in row.body_text and row.language == "sv"
    assert '<html lang="sv">' in row.body_html
