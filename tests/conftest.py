"""Shared fixtures: the app on a real database (SQLite by default, PostgreSQL when
DATABASE_URL points at one), SQL query counting, a live server, a real browser and staff
sign-in in it, an app with rate limits on, and (tests/smtp.py) a loopback SMTP server."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import event

from remote_groups import create_app
from remote_groups.extensions import db

from .factories import Factory

pytest_plugins = ["tests.smtp"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The password the factory gives every user it makes.
PASSWORD = "correct horse battery"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        return _worker_database(url)
    return f"sqlite:///{tmp_root / 'test.sqlite'}"


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own on the same server
    (`<name>_gw0`, …), made here and dropped when the run ends (`_drop_worker_database`)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_worker_database(url: str) -> None:
    if not (url.startswith("postgresql") and os.environ.get("PYTEST_XDIST_WORKER")):
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    db.engine.dispose()
    own = make_url(url)
    admin = create_engine(own.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app and one schema for the run, built by the real migrations."""
    from flask_migrate import upgrade

    root = tmp_path_factory.mktemp("app")
    app = create_app({
        "RG_MODE": "test",
        "SQLALCHEMY_DATABASE_URI": _database_url(root),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "https://etaryhmat.example.fi",
        "SERVER_NAME": None,
    })
    app.instance_path = str(root)

    def fresh_g(endpoint: Any, values: Any) -> None:
        """Tests hold an app context around test-client requests, so Flask would reuse one
        `g` for all of them; production has a fresh `g` per request, and so do tests."""
        from flask import g

        g.__dict__.clear()

    app.url_value_preprocessors.setdefault(None, []).insert(0, fresh_g)
    with app.app_context():
        _empty_database()
        upgrade()
    yield app
    with app.app_context():
        _drop_worker_database(app.config["SQLALCHEMY_DATABASE_URI"])


def _empty_database() -> None:
    """Start from nothing. A PostgreSQL test database may hold tables of another branch's
    schema, which the models no longer name (and `drop_all` would leave, with their foreign
    keys); the SQLite file is new for each run."""
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test staff get a fast hash; the real scrypt cost is for real passwords, and it would
    make every test that signs someone in a second slower."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    import remote_groups.people.models as people_models

    monkeypatch.setattr(people_models, "generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1000"))


@pytest.fixture
def db_session(app: Flask) -> Iterator[Any]:
    """An app context whose tables are emptied afterwards, so tests never see each other."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


@pytest.fixture
def make(db_session: Any) -> Factory:
    return Factory(db_session)


@pytest.fixture
def client(app: Flask, db_session: Any) -> FlaskClient:
    return app.test_client()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask, db_session: Any) -> Any:
    """`with count_queries() as counter:` counts the SQL statements sent to the database."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            counter.statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def live_server(app: Flask, db_session: Any) -> Iterator[str]:
    """The app served over real HTTP on loopback, for the browser."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Without it the browser tests are skipped,
    except in CI (REQUIRE_BROWSER=1), where a missing browser is a failure."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, locale="fi-FI")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def assert_accessible(axe: Any) -> Any:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page and fail with its report."""

    def check(page: Any) -> None:
        results = axe.run(page, options=WCAG_AA)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def login(client: FlaskClient) -> Any:
    """`login(user)` signs the test client in as that user (factory password by default)."""

    def sign_in(user: Any, password: str = PASSWORD, lang: str = "fi") -> None:
        response = client.post(f"/{lang}/staff/login",
                               data={"email": user.email, "password": password})
        assert response.status_code == 302, "sign-in failed"

    return sign_in


@pytest.fixture
def browser_sign_in() -> Callable[..., None]:
    """`browser_sign_in(page, user, lang="fi")` signs a browser page in as that user through
    the sign-in form, and waits for the staff home page it lands on."""

    def sign_in(page: Any, user: Any, lang: str = "fi", password: str = PASSWORD) -> None:
        page.goto(f"/{lang}/staff/login")
        page.fill("#email", user.email)
        page.fill("#password", password)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"**/{lang}/staff/")

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The limiter is one object for every app, and a test that builds an app with the
    default config switches it on: start each test with no hits counted."""
    import contextlib

    from remote_groups.extensions import limiter

    with contextlib.suppress(Exception):  # not initialised with a storage: nothing to reset
        limiter.reset()


@pytest.fixture
def limited_app_config() -> dict[str, Any]:
    """Settings `limited_app` adds to its own; a test module overrides this fixture for a
    lower limit or another store (e.g. Redis behind a proxy the test can cut)."""
    return {}


@pytest.fixture
def limited_app(app: Flask, limited_app_config: dict[str, Any]) -> Iterator[Flask]:
    """A second app with rate limits on (in memory unless `limited_app_config` says
    otherwise), sharing the test database; the shared limiter is emptied and switched back
    as the test app has it afterwards."""
    from remote_groups.extensions import limiter

    limited = create_app({
        "RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
        **limited_app_config,
    })
    try:
        yield limited
    finally:
        limiter.reset()
        limiter.enabled = app.config["RATELIMIT_ENABLED"]


# An invented Jitsi deployment (no external network); its dial-in APIs run on loopback.
JITSI = "https://meet.example.invalid"
MUC = "conference.meet.example.invalid"


@pytest.fixture
def jitsi(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at an invented Jitsi deployment, dial-in off, a fresh dial-in client."""
    monkeypatch.setitem(app.config, "JITSI_BASE_URL", JITSI)
    monkeypatch.setitem(app.config, "JITSI_MUC_DOMAIN", MUC)
    monkeypatch.setitem(app.config, "JITSI_DIALIN_NUMBERS_URL", "")
    monkeypatch.setitem(app.config, "JITSI_DIALIN_CONFCODE_URL", "")
    monkeypatch.setitem(app.config, "JITSI_APP_ID", "")
    monkeypatch.setitem(app.config, "JITSI_APP_SECRET", "")
    app.extensions.pop("remote_groups.video", None)
    yield JITSI
    app.extensions.pop("remote_groups.video", None)


@pytest.fixture
def dialin(
    app: Any, jitsi: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> HTTPServer:
    """Dial-in APIs on loopback, as the deployment's `dialInNumbersUrl` and
    `dialInConfCodeUrl` would be; a short timeout so the slow-server tests stay fast."""
    config, url = app.config, httpserver.url_for
    monkeypatch.setitem(config, "JITSI_DIALIN_NUMBERS_URL", url("/phoneNumberList"))
    monkeypatch.setitem(config, "JITSI_DIALIN_CONFCODE_URL", url("/conferenceMapper"))
    monkeypatch.setitem(app.config, "JITSI_HTTP_TIMEOUT", 0.3)
    return httpserver
