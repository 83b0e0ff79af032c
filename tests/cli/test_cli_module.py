"""`python -m remote_groups.cli` runs the same commands as the `remote-groups` script (the
accessibility notes start the demo that way; it used to exit silently)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_cli_lists_the_demo_command():
    done = subprocess.run([sys.executable, "-m", "remote_groups.cli", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={"RG_MODE": "test", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "demo" in done.stdout
