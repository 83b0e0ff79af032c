"""Staff sign-in: failure limits, password reset by e-mail, change, sign-out, cookies."""

from __future__ import annotations

import re
from datetime import timedelta

from remote_groups import create_app
from remote_groups.db_types import utcnow
from remote_groups.mail.models import OutboxMessage
from remote_groups.people import security
from remote_groups.people.models import User

PASSWORD = "correct horse battery"


def _post_login(client, email, password, lang="fi"):
    return client.post(f"/{lang}/staff/login", data={"email": email, "password": password})


def test_account_locks_after_five_wrong_passwords_even_with_the_right_one(client, make):
    user = make.user(email="lukko@example.com")
    for _ in range(5):
        assert _post_login(client, user.email, "wrong").status_code == 200
    locked = _post_login(client, user.email, PASSWORD, lang="sv")
    assert locked.status_code == 429
    assert "För många felaktiga försök" in locked.get_data(as_text=True)
    assert client.get("/fi/staff/").status_code == 302  # still not signed in


def test_lock_is_per_account_and_client_address_pair_and_per_address(app, client, make,
                                                                    db_session):
    first = make.user(email="eka@example.com")
    other = make.user(email="toka@example.com")
    for _ in range(5):
        _post_login(client, first.email, "wrong")
    assert _post_login(client, other.email, PASSWORD).status_code == 302
    # The same account from another address is not locked out by the first one's tries.
    elsewhere = app.test_client()
    assert elsewhere.post("/fi/staff/login", data={"email": first.email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 302
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    try:
        third = make.user(email="kolmas@example.com")
        fresh = app.test_client()
        env = {"REMOTE_ADDR": "10.1.1.1"}
        for n in range(3):
            fresh.post("/fi/staff/login", data={"email": f"nobody{n}@example.com",
                                                "password": "wrong"}, environ_base=env)
        assert fresh.post("/fi/staff/login", data={"email": third.email, "password": PASSWORD},
                          environ_base=env).status_code == 429
    finally:
        app.config.pop("LOGIN_MAX_FAILURES_PER_IP")


def test_failures_are_kept_in_the_database_without_the_address_in_clear(make, client,
                                                                     db_session):
    make.user(email="piilo@example.com")
    _post_login(client, "piilo@example.com", "wrong")
    keys = [row.key for row in db_session.query(security.LoginThrottle)]
    assert len(keys) == 2
    assert not any("piilo" in k or "127.0.0.1" in k for k in keys)


def test_lock_ends_and_each_lock_in_a_row_lasts_twice_as_long(make, db_session, app):
    make.user(email="aika@example.com")
    with app.test_request_context():
        start = utcnow()
        for _ in range(5):
            assert security.begin_attempt("aika@example.com", "10.0.0.1", now=start) is None
        until = security.begin_attempt("aika@example.com", "10.0.0.1", now=start)
        assert until == start + timedelta(minutes=1)
        later = start + timedelta(minutes=1, seconds=1)
        for _ in range(5):
            assert security.begin_attempt("aika@example.com", "10.0.0.1", now=later) is None
        assert security.begin_attempt("aika@example.com", "10.0.0.1", now=later) == (
            later + timedelta(minutes=2))
        # Another address is not locked out of the same account.
        assert security.begin_attempt("aika@example.com", "10.0.0.2", now=later) is None
        # After a quiet spell the pair starts again from one minute.
        quiet = later + timedelta(hours=3)
        for _ in range(5):
            assert security.begin_attempt("aika@example.com", "10.0.0.1", now=quiet) is None
        assert security.begin_attempt("aika@example.com", "10.0.0.1", now=quiet) == (
            quiet + timedelta(minutes=1))


def _reset_link(db_session) -> str:
    mail = db_session.query(OutboxMessage).filter_by(kind="password_reset").one()
    link = re.search(r"https://etaryhmat\.example\.fi(/\S+)", mail.body_text)
    assert link, "no reset link in the mail"
    return link.group(1)


def test_password_reset_by_e_mailed_link_works_once(client, make, db_session):
    user = make.user(email="unohtui@example.com", language="sv")
    db_session.commit()
    answer = client.post("/fi/staff/password/forgot", data={"email": "UNOHTUI@example.com"})
    assert answer.status_code == 302
    path = _reset_link(db_session)
    assert path.startswith("/sv/staff/password/reset/")
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "uusi pitkä salasana", "confirm":
                                   "uusi pitkä salasana"})
    assert done.status_code == 302
    assert _post_login(client, user.email, "uusi pitkä salasana").status_code == 302
    again = client.post(path, data={"password": "toinen pitkä salasana",
                                     "confirm": "toinen pitkä salasana"})
    assert again.status_code == 410
    assert "Länken fungerar inte" in again.get_data(as_text=True)


def test_reset_link_expires(client, make, db_session, app):
    make.user(email="vanha@example.com")
    client.post("/fi/staff/password/forgot", data={"email": "vanha@example.com"})
    path = _reset_link(db_session)
    token = db_session.query(security.PasswordResetToken).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    assert client.get(path).status_code == 410


def test_forgot_password_does_not_tell_whether_the_address_exists(client, make, db_session):
    make.user(email="olemassa@example.com")
    known = client.post("/fi/staff/password/forgot", data={"email": "olemassa@example.com"},
                        follow_redirects=True)
    unknown = client.post("/fi/staff/password/forgot", data={"email": "eiole@example.com"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    # Both get a mail (the same work, the same time); only the account holder gets a link.
    reset, notice = db_session.query(OutboxMessage).order_by(OutboxMessage.id).all()
    assert reset.recipient == "olemassa@example.com" and "/password/reset/" in reset.body_text
    assert notice.recipient == "eiole@example.com" and "/password/reset/" not in (
        notice.body_text)


def test_reset_signs_out_other_browsers(app, client, make, db_session, login):
    user = make.user(email="muutos@example.com")
    db_session.commit()
    login(user)
    other = app.test_client()
    other.post("/fi/staff/password/forgot", data={"email": user.email})
    path = _reset_link(db_session)
    other.post(path, data={"password": "aivan uusi salasana", "confirm": "aivan uusi salasana"})
    assert client.get("/fi/staff/").status_code == 302


def test_change_password_needs_the_current_one_and_a_long_new_one(client, make, login,
                                                                  db_session):
    user = make.user(email="vaihto@example.com")
    db_session.commit()
    login(user)
    wrong = client.post("/fi/staff/password", data={
        "current": "nope", "password": "pitkä uusi salasana", "confirm": "pitkä uusi salasana"})
    assert "Nykyinen salasana on väärin." in wrong.get_data(as_text=True)
    short = client.post("/fi/staff/password", data={
        "current": PASSWORD, "password": "lyhyt", "confirm": "lyhyt"})
    assert "vähintään 12 merkkiä" in short.get_data(as_text=True)
    ok = client.post("/fi/staff/password", data={
        "current": PASSWORD, "password": "pitkä uusi salasana", "confirm": "pitkä uusi salasana"})
    assert ok.status_code == 302
    assert client.get("/fi/staff/").status_code == 200  # this browser stays signed in
    assert db_session.get(User, user.id).check_password("pitkä uusi salasana")


def test_sign_out_is_a_post_and_ends_the_session(client, make, login, db_session):
    user = make.user()
    db_session.commit()
    login(user)
    assert client.get("/fi/staff/logout").status_code == 405
    assert client.post("/fi/staff/logout").status_code == 302
    assert client.get("/fi/staff/").status_code == 302


def test_sign_out_needs_a_csrf_token(app, make, db_session):
    strict = create_app({"RG_MODE": "test",
                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    response = strict.test_client().post("/fi/staff/logout")
    assert response.status_code == 400


def test_session_cookie_is_secure_httponly_and_samesite_in_production(app, make, db_session):
    prod = create_app({"RG_MODE": "production", "SECRET_KEY": "x" * 40,
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    user = make.user(email="keksi@example.com")
    db_session.commit()
    response = prod.test_client().post("/fi/staff/login",
                                       data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_stolen_cookie_from_another_browser_is_refused(app, client, make, login, db_session):
    user = make.user()
    db_session.commit()
    login(user)
    assert client.get("/fi/staff/").status_code == 200
    thief = client.get("/fi/staff/", headers={"User-Agent": "another browser"})
    assert thief.status_code == 302
    # The session is dropped, not just refused once: the owner signs in again.
    assert client.get("/fi/staff/").status_code == 302
