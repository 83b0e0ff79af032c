"""Run staff actions at the same instant, each in its own thread with its own test client,
app context and database connection: real concurrent transactions, as two browsers would
send them to two workers."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

PASSWORD = "correct horse battery"


@dataclass
class Answer:
    """What one person saw: the status code and the page they landed on (after a redirect),
    or the exception the app raised (which a browser would have seen as a 500)."""

    status: int
    page: str
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status >= 500 or bool(self.error)


def at_once(app: Flask, actions: list[tuple[str, Callable[[FlaskClient], Any]]],
            timeout: float = 30) -> list[Answer]:
    """`actions` are (e-mail of the person signing in, what they post). Everyone signs in
    first; then all post at the same instant. Answers come back in the order given."""
    barrier = threading.Barrier(len(actions))
    answers: list[Answer | None] = [None] * len(actions)

    def run(n: int, email: str, act: Callable[[FlaskClient], Any]) -> None:
        client = app.test_client()
        try:
            signed_in = client.post("/en/staff/login", data={"email": email,
                                                             "password": PASSWORD})
            assert signed_in.status_code == 302, "sign-in failed"
            barrier.wait(timeout=timeout)
            response = act(client)
            page = response.get_data(as_text=True)
            if response.status_code in (302, 303):
                page = client.get(response.headers["Location"]).get_data(as_text=True)
            answers[n] = Answer(response.status_code, page)
        except Exception:  # the test client re-raises what production shows as a 500
            answers[n] = Answer(500, "", traceback.format_exc(limit=3))

    threads = [threading.Thread(target=run, args=(n, email, act))
               for n, (email, act) in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return [a if a is not None else Answer(599, "", "no answer in time") for a in answers]


def post(url: str, data: dict[str, Any] | None = None) -> Callable[[FlaskClient], Any]:
    """An action for `at_once`: post this form to this URL."""
    return lambda client: client.post(url, data=data or {})
