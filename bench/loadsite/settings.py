"""The project's settings plus one bare view, for the load benchmarks (bench/bench_intake.py)."""

from motcua.settings import *  # noqa: F403

ROOT_URLCONF = "loadsite.urls"
