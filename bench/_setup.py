"""Shared set-up for the benchmarks: a throw-away database with the demo desk."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))
os.environ.setdefault("MOTCUA_ALLOWED_HOSTS", "testserver,127.0.0.1")


def demo_database():
    """Migrate a fresh database and load the demo desk (no dossiers); return the desk."""
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.demo.load import load_demo

    call_command("migrate", verbosity=0)
    return load_demo(with_dossiers=False)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]
