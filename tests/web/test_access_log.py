"""The production access log (gunicorn.conf.py) never holds a working private link."""

from __future__ import annotations

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from remote_groups.access_log import mask_private_links

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-Token_value"


@pytest.mark.parametrize("path,expected", [
    (f"/fi/my/{SECRET}", "/fi/my/…"),
    (f"/sv/my/{SECRET}/withdraw", "/sv/my/…/withdraw"),
    (f"/en/my/{SECRET}/sessions/4/join", "/en/my/…/sessions/4/join"),
    (f"/fi/feedback/{SECRET}", "/fi/feedback/…"),
    (f"/fi/staff/password/reset/{SECRET}", "/fi/staff/password/reset/…"),
    ("/fi/sessions/4/join", "/fi/sessions/4/join"),
    ("/fi/staff/", "/fi/staff/"),
])
def test_private_links_are_masked(path, expected):
    assert mask_private_links(path) == expected


def test_gunicorn_writes_no_private_link_to_the_access_log(tmp_path):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    cfg.set("access_log_format", settings["access_log_format"])
    cfg.set("logger_class", settings["logger_class"])
    logger = cfg.logger_class(cfg)
    path = f"/fi/my/{SECRET}/withdraw"
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path, "PATH_INFO": path,
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    request = SimpleNamespace(headers=[], method="POST", path=path, query="",
                              version=(1, 1), uri=path)
    response = SimpleNamespace(status="303 See Other", status_code=303, sent=0,
                               response_length=0, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert "/fi/my/…/withdraw" in line
    assert SECRET not in line
