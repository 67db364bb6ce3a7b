"""The production set-up of deploy/ (gunicorn behind nginx with TLS), run and checked through
nginx by deploy/check.py — what `make deploy-check` does. nginx comes with `make test`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser  # real server processes: with the slow end-to-end tests

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_nginx_site_and_settings_pass_every_check_through_nginx():
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.fail("nginx not installed: run `make test` (scripts/setup.sh --test installs it)")
    run = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "check.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(lines) >= 17 and all(line.startswith("[đạt ]") for line in lines)
