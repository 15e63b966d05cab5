"""``make run`` as a person runs it: missing settings end it quietly, real failures fail it, and
the installed environment follows the locks.

Each test runs the real Makefile in a scratch folder whose ``.venv`` is already "installed"
(stamps newer than the locks) and whose ``northstar`` is this checkout's, so nothing is
installed and the working tree is not touched.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from fakeslack import FakeSlack
from tests.app.test_process import free_port

CHECKOUT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("Makefile", "pyproject.toml", "requirements.lock", "requirements-dev.lock")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def installed_project(folder: Path) -> Path:
    """The Makefile and locks in ``folder``, with a ``.venv`` that make takes as up to date."""
    for name in PROJECT_FILES:
        shutil.copy(CHECKOUT / name, folder / name)
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    northstar = bin_dir / "northstar"
    northstar.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bot "$@"\n')
    northstar.chmod(northstar.stat().st_mode | stat.S_IXUSR)
    for stamp in (".installed-run", ".installed-dev"):
        (folder / ".venv" / stamp).touch()
    installed = (folder / ".venv" / ".installed-run").stat().st_mtime
    for name in PROJECT_FILES:  # older than the stamps: installed since they last changed
        os.utime(folder / name, (installed - 60, installed - 60))
    return folder


def make(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(CHECKOUT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": path, "MAKEFLAGS": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_make_run_without_slack_settings_prints_the_guidance_and_no_make_error(
    tmp_path: Path,
) -> None:
    result = make(installed_project(tmp_path), "run")
    assert result.returncode == 0, result.stderr
    assert "Northstar cannot start: SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set." in (
        result.stderr
    )
    assert "make demo" in result.stderr
    assert "Error" not in result.stderr + result.stdout
    assert "pip install" not in result.stdout  # nothing was (re)installed
    assert (tmp_path / "northstar.db").stat().st_size > 0  # migrated before the settings check


async def test_make_run_fails_loudly_when_slack_refuses_the_token(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str
) -> None:
    fake_slack.inject("auth.test", error="invalid_auth", times=10)
    folder = installed_project(tmp_path)
    result = await asyncio.to_thread(
        make,
        folder,
        "run",
        SLACK_BOT_TOKEN="xoxb-refused",
        SLACK_APP_TOKEN="xapp-1-refused",
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=database_url,
        NORTHSTAR_SECRET_KEY=Fernet.generate_key().decode(),
        PORT=str(free_port()),
    )
    assert result.returncode == 2
    assert "Slack refused the token: invalid_auth, check SLACK_BOT_TOKEN" in result.stderr
    assert "*** [Makefile" in result.stderr  # a real failure is make's failure too
    assert "Error 2" in result.stderr
    assert "xoxb-refused" not in result.stderr


def test_a_changed_lock_reinstalls_before_running_and_testing(tmp_path: Path) -> None:
    folder = installed_project(tmp_path)
    assert "pip install" not in make(folder, "-n", "run").stdout
    for lock, target in (("requirements.lock", "run"), ("requirements-dev.lock", "test")):
        os.utime(folder / lock)  # now: newer than the stamps
        planned = make(folder, "-n", target).stdout
        assert f"pip install --quiet --require-hashes -r {lock}" in planned
        assert planned.index("--require-hashes") < planned.index("--no-deps -e .")
