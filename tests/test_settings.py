import os
import stat
import subprocess
import sys

import pytest

PRINT = (
    "import django; django.setup(); from django.conf import settings as s;"
    "print(s.DEBUG, s.SECRET_KEY, s.SESSION_COOKIE_SECURE)"
)


def start_django(tmp_path, code="import django; django.setup()", **env):
    drop = {"MOTCUA_SECRET_KEY", "MOTCUA_DEBUG", "MOTCUA_BEHIND_TLS_PROXY", "MOTCUA_SECURE_COOKIES"}
    base = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_by_default_with_a_secret_made_once_and_kept(tmp_path):
    first = start_django(tmp_path, PRINT)
    assert first.returncode == 0, first.stderr
    debug, secret, secure = first.stdout.split()
    assert debug == "False" and len(secret) == 100 and secure == "False"
    path = tmp_path / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes().hex() == secret
    again = start_django(tmp_path, PRINT)
    assert again.stdout.split()[1] == secret  # sessions survive a restart


def test_a_secret_from_the_environment_is_used(tmp_path):
    result = start_django(tmp_path, PRINT, MOTCUA_SECRET_KEY="real-" + "x" * 50)
    assert result.stdout.split()[1] == "real-" + "x" * 50
    assert not (tmp_path / "secret.key").exists()


def test_debug_only_when_asked_and_secure_cookies_behind_tls(tmp_path):
    assert start_django(tmp_path, PRINT, MOTCUA_DEBUG="1").stdout.split()[0] == "True"
    behind = start_django(tmp_path, PRINT, MOTCUA_BEHIND_TLS_PROXY="1")
    assert behind.stdout.split()[2] == "True"


def test_a_secret_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "secret.key"
    path.write_bytes(b"x" * 50)
    path.chmod(0o644)
    result = start_django(tmp_path)
    assert result.returncode != 0 and "chmod 600" in result.stderr


def test_sqlite_has_a_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_sqlite_file_database_uses_wal_and_syncs_every_commit(tmp_path):
    """The test database is in memory; check the real file database in a fresh process."""
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "c.execute('PRAGMA synchronous'); print(c.fetchone()[0])"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "motcua.settings", "MOTCUA_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    # SQLite's numbers: 1 NORMAL, 2 FULL
    assert result.stdout.split() == ["wal", "2"], result.stderr
