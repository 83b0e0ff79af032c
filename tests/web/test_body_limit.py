"""Request bodies are bounded (MAX_CONTENT_LENGTH, 100 KB by default): a huge POST is
refused with 413 in the visitor's language before it is read, and the feedback form never
echoes more than a screenful of what it was sent."""

from __future__ import annotations

import resource
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from remote_groups.db_types import utcnow

HUGE = 200 * 1024 * 1024  # what the attacker announced: 200 MB


@pytest.fixture
def open_session(make, db_session):
    session = make.session_(starts_at=utcnow() - timedelta(hours=2))
    db_session.commit()
    return session


def _read_answer(sock: socket.socket, deadline: float) -> bytes:
    answer = b""
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        answer += chunk
        if b"</html>" in answer:
            break
    return answer


def test_a_200_mb_post_is_refused_with_413_before_it_is_read(live_server, open_session):
    url = urlsplit(live_server)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    sock = socket.create_connection((url.hostname, url.port))
    sock.sendall(
        f"POST /sv/sessions/{open_session.id}/feedback HTTP/1.1\r\n"
        f"Host: {url.netloc}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {HUGE}\r\nConnection: close\r\n\r\n".encode() + b"comment=")
    sent = 0
    chunk = b"x" * (1024 * 1024)
    sock.settimeout(0.5)
    try:  # keep sending, as an attacker would, until the server stops listening
        while sent < 20 * len(chunk):
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    answer = _read_answer(sock, time.monotonic() + 5)
    seconds = time.monotonic() - started
    sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head[:100]
    page = body.decode("utf-8", "replace")
    assert "Det du skickade är för långt" in page and '<html lang="sv">' in page
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kb < 30 * 1024  # the body was never taken into memory
    assert seconds < 5
    print(f"\n200 MB announced: 413 after {seconds:.2f} s, {sent // 1024 // 1024} MB pushed "
          f"by the client, peak memory +{grown_kb // 1024} MB")


@pytest.mark.parametrize(("lang", "heading"), [("fi", "Lähettämäsi teksti on liian pitkä"),
                                               ("en", "What you sent is too long")])
def test_an_oversized_form_gets_the_413_page_in_the_visitors_language(client, open_session,
                                                                     lang, heading):
    response = client.post(f"/{lang}/sessions/{open_session.id}/feedback",
                           data={"comment": "x" * (150 * 1024)})
    assert response.status_code == 413
    assert heading in response.get_data(as_text=True)


def test_a_too_long_comment_is_echoed_only_in_part(client, open_session):
    response = client.post(f"/fi/sessions/{open_session.id}/feedback",
                           data={"comment": "y" * 90_000})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Kommentti on liian pitkä" in html or "liian pitkä" in html
    assert "y" * 4000 in html and "y" * 4001 not in html
    assert len(html) < 30_000
