"""Schemathesis against the served OpenAPI description, every check on: property-based
requests (valid and invalid) to every operation of the live app, each answer checked
against the description (status codes, content types, headers, schemas), no server error,
invalid input refused and valid input accepted, unsupported methods a 405.

Bounded for CI (two cores, whole suite under 15 minutes): SCHEMATHESIS_MAX_EXAMPLES
examples per operation (default 25), one worker. Set it higher for a longer hunt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25")


def _schemathesis() -> list[str]:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("schemathesis is a test dependency (pyproject.toml [test])")
    return [found]


def test_schemathesis_all_checks_pass_against_the_served_description(live_server, scene,
                                                                     tmp_path):
    command = [
        *_schemathesis(), "run", f"{live_server}/api/v1/openapi.json",
        "--url", f"{live_server}/api/v1",
        "--checks", "all",
        "--max-examples", MAX_EXAMPLES,
        "--workers", "1",
        "--request-timeout", "10",
        "--suppress-health-check", "too_slow",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                            cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout or "passed" in result.stdout, result.stdout
