import os
import subprocess
import sys

import pytest


def start_django(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"MOTCUA_SECRET_KEY", "MOTCUA_DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
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


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_refuses_production_mode_with_default_or_empty_secret(tmp_path, secret):
    env = {"MOTCUA_DEBUG": "0"}
    if secret is not None:
        env["MOTCUA_SECRET_KEY"] = secret
    result = start_django(tmp_path, **env)
    assert result.returncode != 0
    assert "MOTCUA_SECRET_KEY" in result.stderr


def test_starts_in_production_mode_with_own_secret(tmp_path):
    result = start_django(tmp_path, MOTCUA_DEBUG="0", MOTCUA_SECRET_KEY="real-" + "x" * 50)
    assert result.returncode == 0, result.stderr


def test_sqlite_has_a_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_sqlite_file_database_uses_wal(tmp_path):
    """The test database is in memory; check the real file database in a fresh process."""
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "motcua.settings", "MOTCUA_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "wal", result.stderr
