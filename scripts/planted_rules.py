#!/usr/bin/env python3
"""Plant wrong rules in the state machine, one at a time, and report which test catches each.

    .venv/bin/python scripts/planted_rules.py                 # every plant in tests/planted.py
    .venv/bin/python scripts/planted_rules.py clerk_approves  # only these
    .venv/bin/python scripts/planted_rules.py --beyond-table  # also: the first test through
                                                              # the workflow, API or pages

For each plant, pytest runs the rule tests (not the browser ones) with MOTCUA_PLANT=<name>
(tests/conftest.py applies it at start-up) and stops at the first failure: first the pure tests
against the hand table, then, if they all passed, the tests through the workflow, the API and
the pages. The script prints a Markdown table, plant → first failing test. First it runs the same tests with nothing planted:
they must pass, or a failure would prove nothing. Exit status 1 when some plant is not caught.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.planted import ENV, PLANTS  # noqa: E402

HAND_TABLE = "tests/core/test_rules.py"
# Two runs, because pytest-django puts database tests before the others whatever the order of
# the arguments: first the pure tests against the hand table, then the tests that take the
# moves through the workflow, the API and the pages.
PURE = [HAND_TABLE, "tests/core/test_lifecycle.py"]
THROUGH_HTTP = [
    "tests/dossiers/test_rules_http.py",
    "tests/dossiers",
    "tests/reports/test_stats_property.py",
    "tests/documents/test_results.py",
]
FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run(plant: str | None, tests: list[str]) -> tuple[int, str | None]:
    env = dict(os.environ)
    env.pop(ENV, None)
    if plant:
        env[ENV] = plant
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-x",
        "-p",
        "no:cacheprovider",
        "-m",
        "not browser",
        "-rfE",
        *tests,
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    failed = FAILED.search(done.stdout)
    return done.returncode, failed.group(1) if failed else None


def first_failure(plant: str | None, stages: list[list[str]]) -> str | None:
    """The first test that fails, stage after stage; None when all pass."""
    for tests in stages:
        code, failed = run(plant, tests)
        if code != 0:
            return failed or f"(pytest exit status {code})"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plants", nargs="*", help="names from tests/planted.py (default: all)")
    parser.add_argument(
        "--beyond-table",
        action="store_true",
        help=f"also run without {HAND_TABLE} and report the first other test that fails",
    )
    args = parser.parse_args()
    names = args.plants or list(PLANTS)
    unknown = [n for n in names if n not in PLANTS]
    if unknown:
        parser.error(f"no such plant: {', '.join(unknown)}")
    if not os.environ.get("MOTCUA_DATA_DIR"):
        parser.error("set MOTCUA_DATA_DIR to your own data directory first")

    started = time.monotonic()
    failed = first_failure(None, [PURE, THROUGH_HTTP])
    if failed:
        print(f"With nothing planted the tests already fail ({failed}): fix that first.")
        return 2
    header = "| plant | the wrong rule | first failing test |"
    rule = "| --- | --- | --- |"
    if args.beyond_table:
        header += " first failing test through the workflow, API or pages |"
        rule += " --- |"
    print(header)
    print(rule)
    missed = []
    for name in names:
        what, _ = PLANTS[name]
        failed = first_failure(name, [PURE, THROUGH_HTTP])
        if failed is None:
            missed.append(name)
        cells = [f"`{name}`", what, f"`{failed}`" if failed else "**NOT CAUGHT**"]
        if args.beyond_table:
            other = first_failure(name, [THROUGH_HTTP])
            cells.append(f"`{other}`" if other else "(none)")
        print("| " + " | ".join(cells) + " |", flush=True)
    caught = len(names) - len(missed)
    print()
    print(f"{caught} of {len(names)} plants caught; {time.monotonic() - started:.0f} s.")
    if missed:
        print("Not caught: " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
