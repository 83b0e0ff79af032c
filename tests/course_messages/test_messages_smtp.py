"""A message reaches participants in two languages through the real mail worker and a
real SMTP server on loopback: one recipient per mail, the reader's language, Reply-To the
area's contact address, and no other participant's address anywhere in it."""

from __future__ import annotations

from remote_groups.mail.worker import WorkerSettings, send_due

from .conftest import CONTACT


def test_a_message_reaches_each_participant_alone_in_their_language(
        client, accepted, login, smtp, db_session):
    course = accepted.course
    login(course.facilitator)
    client.post(f"/fi/staff/courses/{course.group.id}/messages", data={
        "session": "0", "subject_fi": "Tapaamme uimahallilla", "body_fi": "Tervetuloa klo 10.",
        "subject_sv": "Vi träffas vid simhallen", "body_sv": "Välkommen kl. 10."})
    settings = WorkerSettings(
        smtp_host=smtp.host, smtp_port=smtp.port, smtp_timeout=5.0,
        mail_from="etaryhmat@remote-groups.invalid", mail_from_name="Etäryhmät",
        max_attempts=4, max_permanent_attempts=2, batch_size=50)
    send_due(settings)
    messages = [r for r in smtp.inbox.received
                if "uimahallilla" in r.message["Subject"] or "simhallen" in r.message["Subject"]]
    addresses = {f"osallistuja-{lang}@example.com" for lang in ("fi", "sv", "en")}
    assert sorted(r.rcpt_tos[0] for r in messages) == sorted(addresses)
    for received in messages:
        mail = received.message
        assert len(received.rcpt_tos) == 1
        assert mail["To"] == received.rcpt_tos[0] and mail["Cc"] is None and mail["Bcc"] is None
        assert mail["Reply-To"] == CONTACT
        others = addresses - {received.rcpt_tos[0]}
        raw = received.raw.decode("utf-8", "replace")
        assert not any(other in raw for other in others)
        text = mail.get_body(("plain",)).get_content()
        if received.rcpt_tos[0] == "osallistuja-sv@example.com":
            assert mail["Subject"] == "Kurs i psykiskt välmående: Vi träffas vid simhallen"
            assert "Välkommen kl. 10." in text and "Du kan svara" in text
        else:
            assert mail["Subject"].endswith(": Tapaamme uimahallilla")
            assert "Tervetuloa klo 10." in text
        if received.rcpt_tos[0] == "osallistuja-fi@example.com":
            assert "Voit vastata" in text
    # Mails that set no Reply-To (the confirmations and invitations sent before) have none.
    rest = [r for r in smtp.inbox.received if r not in messages]
    assert rest and all(r.message["Reply-To"] is None for r in rest)
