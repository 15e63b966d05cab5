"""A malformed ``DATABASE_URL`` or ``NORTHSTAR_OLD_SECRET_KEYS`` stops ``northstar`` with exit
status 2 and one sentence that names the variable, without a traceback and without echoing the
value (a URL's password, a key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.cli import main
from tests.app.test_cli import northstar

KEY = Fernet.generate_key().decode()
PASSWORD = "hunter2-secret"
MALFORMED_URLS = (
    "nonsense",
    "postgres://",
    f"postgres://northstar:{PASSWORD}@db.internal:5432/northstar",  # no async driver
    "postgresql://northstar@db.internal/northstar",
    "sqlite:///northstar.db",  # the synchronous driver
    f"postgresql+asyncpg://northstar:{PASSWORD}@db.internal:5432",  # no database
    f"postgresql+asyncpg://northstar:{PASSWORD}@db.internal:port/northstar",
    f"mysql+aiomysql://northstar:{PASSWORD}@db.internal/northstar",
)
DATABASE_URL_SENTENCE = (
    "DATABASE_URL is not valid: it must look like sqlite+aiosqlite:///PATH/TO/northstar.db or "
    "postgresql+asyncpg://USER:PASSWORD@HOST:5432/DATABASE."
)


def northstar_in_process(
    command: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    **env: str,
) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    code = main([command])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("url", MALFORMED_URLS)
@pytest.mark.parametrize("command", ["migrate", "run", "rekey"])
def test_a_malformed_database_url_is_one_sentence_and_exit_2(
    url: str,
    command: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    code, err = northstar_in_process(
        command,
        monkeypatch,
        capsys,
        tmp_path,
        DATABASE_URL=url,
        NORTHSTAR_SECRET_KEY=KEY,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="signing-secret",
    )
    assert code == 2
    assert err.splitlines() == [DATABASE_URL_SENTENCE]
    assert PASSWORD not in err
    assert not list(tmp_path.iterdir())  # no SQLite file made from a bad URL


def test_the_process_says_so_without_a_traceback(tmp_path: Path) -> None:
    result = northstar(
        "migrate",
        cwd=tmp_path,
        DATABASE_URL=f"postgres://northstar:{PASSWORD}@localhost/northstar",
        NORTHSTAR_SECRET_KEY=KEY,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [DATABASE_URL_SENTENCE]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "old_keys",
    [
        f"{KEY},not-a-key",
        f"{KEY}, {Fernet.generate_key().decode()[:-4]}",  # a key cut short
        f"{KEY};{Fernet.generate_key().decode()}",  # the wrong separator
    ],
)
def test_a_malformed_old_key_is_one_sentence_and_exit_2(
    old_keys: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    code, err = northstar_in_process(
        "migrate",
        monkeypatch,
        capsys,
        tmp_path,
        NORTHSTAR_SECRET_KEY=KEY,
        NORTHSTAR_OLD_SECRET_KEYS=old_keys,
    )
    assert code == 2
    assert err.splitlines() == [
        "NORTHSTAR_OLD_SECRET_KEYS is not valid: key 2 of its comma-separated list is not a "
        "Fernet key (32 url-safe base64-encoded bytes)."
        if "," in old_keys
        else "NORTHSTAR_OLD_SECRET_KEYS is not valid: key 1 of its comma-separated list is not "
        "a Fernet key (32 url-safe base64-encoded bytes)."
    ]
    for key in old_keys.replace(";", ",").split(","):
        assert key.strip() not in err
    assert not list(tmp_path.iterdir())


def test_good_settings_still_migrate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The checks above refuse only what is malformed: the accepted forms pass."""
    code, err = northstar_in_process(
        "migrate",
        monkeypatch,
        capsys,
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'northstar.db'}",
        NORTHSTAR_SECRET_KEY=KEY,
        NORTHSTAR_OLD_SECRET_KEYS=f" {Fernet.generate_key().decode()} , {KEY},",
    )
    assert (code, err) == (0, "Database is at the newest schema.\n")
    assert (tmp_path / "northstar.db").exists()
