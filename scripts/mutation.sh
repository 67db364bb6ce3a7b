#!/usr/bin/env bash
# Mutation testing of the pure core (motcua/core) with mutmut, bounded in time.
#
#   scripts/mutation.sh                 run, print the score per module, check the ratchet
#   scripts/mutation.sh --update        the same, then raise docs/mutation-ratchet.txt to the
#                                       scores reached (never lowers a line)
#
# Environment: MUTATION_TIMEOUT (seconds, default 3600: the bound, not the
# expected time, which is a few minutes of CPU on an idle machine), MUTATION_JOBS (default 2),
# MUTATION_WORKDIR (default build/mutation, git-ignored; emptied at each run),
# MUTATION_MODULES (default: every core module below).
#
# Why this shape (docs/testing.md, "Mutation testing"):
# - Only the pure tests run (tests/core and the pure reconciliation test): no database, so a
#   mutant is tested in milliseconds and the whole run stays bounded.
# - mutmut works on a copy: the core and those tests are copied into the work directory with a
#   pytest configuration of their own, so the checkout is never touched and Django is not loaded.
# - Hypothesis is derandomized there (same examples every run) and has no deadline (the
#   mutated code is slower): a score must not change between two runs of the same code.
# - Exit status: 0 when every module is at or above its ratchet line, 1 below, 2 when the run
#   did not finish (time-out, broken set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

MUTMUT_VERSION=3.8.1
# MUTATION_MODULES="calendar codes" runs only those (the ratchet is checked for them only).
read -r -a MODULES <<< "${MUTATION_MODULES:-lifecycle calendar classify statistics indicators codes identity reconcile}"
TESTS=(tests/core tests/integrations/test_reconcile_core.py)
RATCHET=docs/mutation-ratchet.txt
timeout_s=${MUTATION_TIMEOUT:-3600}
jobs=${MUTATION_JOBS:-2}
work=${MUTATION_WORKDIR:-$root/build/mutation}
update=0
[ "${1:-}" = "--update" ] && update=1

# The project's own environment (requirements.lock), then mutmut and its dependencies at the
# versions in scripts/mutation-requirements.txt (name==version lines, not part of the app).
[ -x .venv/bin/pytest ] || scripts/setup.sh
if ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('mutmut') != '$MUTMUT_VERSION')" 2>/dev/null; then
  echo "==> Cài mutmut $MUTMUT_VERSION vào .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -r scripts/mutation-requirements.txt -c requirements.lock
fi
py="$root/.venv/bin/python"
mutmut="$root/.venv/bin/mutmut"

# A fresh copy of what is mutated and what tests it.
rm -rf "$work"
mkdir -p "$work/motcua" "$work/tests/integrations"
cp motcua/__init__.py "$work/motcua/"
cp -r motcua/core "$work/motcua/core"
# Not tests/conftest.py: its fixtures are the database world (Django), which pure tests never use.
cp tests/__init__.py "$work/tests/"
# the rules written by hand (pure data, no Django), which tests/core/test_rules.py reads
cp tests/rules_by_hand.py "$work/tests/"
cp -r tests/core "$work/tests/core"
cp tests/integrations/__init__.py tests/integrations/test_reconcile_core.py "$work/tests/integrations/"
find "$work" -name __pycache__ -prune -exec rm -rf {} +

only_mutate=$(printf '"motcua/core/%s.py", ' "${MODULES[@]}")
selection=$(printf '"%s", ' "${TESTS[@]}")
cat > "$work/pyproject.toml" <<EOF
[tool.pytest.ini_options]
addopts = "-p no:cacheprovider -p no:django"

[tool.mutmut]
source_paths = ["motcua"]
only_mutate = [${only_mutate%, }]
pytest_add_cli_args_test_selection = [${selection%, }]
also_copy = ["conftest.py"]
use_git_change_detection = false
EOF
cat > "$work/conftest.py" <<'EOF'
# Mutation runs only: the same examples every run, and no deadline for the slower mutants.
from hypothesis import HealthCheck, settings

settings.register_profile(
    "mutation", derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("mutation")
EOF

echo "==> mutmut $MUTMUT_VERSION, $jobs tiến trình, tối đa $timeout_s s; thư mục $work"
uptime
start=$(date +%s)
set +e
(cd "$work" && timeout --signal=INT --kill-after=60 "$timeout_s" \
  "$mutmut" run --max-children "$jobs" > mutmut-run.log 2>&1)
run_rc=$?
set -e
elapsed=$(( $(date +%s) - start ))
# CPU of mutmut and its workers (the children's line of `times`): what an idle machine needs.
times > "$work/cpu.txt"
echo "cpu (user, system): $(tail -n 1 "$work/cpu.txt")"
uptime
tail -n 3 "$work/mutmut-run.log" | tr '\r' '\n' | tail -n 2
if [ "$run_rc" = 124 ]; then
  echo "Quá thời gian ${timeout_s} s: kết quả chưa đủ (xem $work/mutmut-run.log)."
elif [ "$run_rc" != 0 ]; then
  echo "mutmut dừng với mã $run_rc (xem $work/mutmut-run.log)."
fi

# Scores per module from mutmut's result files (mutants/<path>.meta).
set +e
(cd "$work" && "$py" - "$root/$RATCHET" "$update" "$run_rc" "$elapsed" "${MODULES[@]}" <<'EOF'
import json
import sys
from pathlib import Path

ratchet_path, update, run_rc, elapsed, modules = (
    Path(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
)
# mutmut's exit codes (mutmut/stats.py): 1 and 3 killed, 0 survived, 5 and 33 no tests,
# 36 and SIGXCPU timeout; None not run yet.
KILLED, TIMEOUT, SURVIVED, NO_TESTS = {1, 3}, {36, -24, 24, 152, 255}, {0}, {5, 33}
# Helpers that run only while their module is imported (they build a module-level table):
# mutmut switches a mutant on after the import, so no test can see these mutants. They are
# run and shown, not counted; the tables they build are tested (docs/testing.md).
IMPORT_TIME = ("motcua.core.lifecycle.x__t__mutmut_", "motcua.core.indicators.x__d__mutmut_")
ratchet = {}
if ratchet_path.exists():
    for line in ratchet_path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, score = line.split()
            ratchet[name] = float(score)

rows, survivors, incomplete, below = [], [], 0, []
for module in modules:
    meta = Path(f"mutants/motcua/core/{module}.py.meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    count = {"killed": 0, "timeout": 0, "survived": 0, "no tests": 0, "other": 0, "not run": 0,
             "import": 0}
    for name, code in codes.items():
        kind = (
            "import" if name.startswith(IMPORT_TIME)
            else "not run" if code is None
            else "killed" if code in KILLED
            else "timeout" if code in TIMEOUT
            else "survived" if code in SURVIVED
            else "no tests" if code in NO_TESTS
            else "other"
        )
        count[kind] += 1
        if kind in ("survived", "no tests", "other"):
            survivors.append(f"{name}  ({kind})")
    incomplete += count["not run"] + (0 if codes else 1)
    total = len(codes) - count["import"]
    score = 100.0 * (count["killed"] + count["timeout"]) / total if total else 0.0
    rows.append((module, total, count, score))
    floor = ratchet.get(module)
    if floor is not None and round(score, 1) < floor:
        below.append(f"{module}: {score:.1f} % < {floor:.1f} %")

print()
print(f"{'module':<12}{'mutants':>8}{'killed':>8}{'timeout':>8}{'survived':>9}{'no tests':>9}"
      f"{'score':>9}{'ratchet':>9}{'import':>8}")
for module, total, c, score in rows:
    floor = ratchet.get(module)
    print(f"{module:<12}{total:>8}{c['killed']:>8}{c['timeout']:>8}{c['survived'] + c['other']:>9}"
          f"{c['no tests']:>9}{score:>8.1f}%{(f'{floor:.1f}%' if floor is not None else '-'):>9}"
          f"{c['import']:>8}")
all_total = sum(r[1] for r in rows)
all_detected = sum(r[2]["killed"] + r[2]["timeout"] for r in rows)
if all_total:
    print(f"{'all':<12}{all_total:>8}{'':>34}{100.0 * all_detected / all_total:>8.1f}%")
print(f"run time: {elapsed} s")
# Each survivor with its change, for docs/testing.md (mutmut show NAME prints one in full).
from mutmut.mutation.diff_apply import get_diff_for_mutant  # noqa: E402

with open("survivors.txt", "w") as out:
    for entry in survivors:
        name = entry.split()[0]
        out.write(entry + "\n")
        try:
            diff = get_diff_for_mutant(name, path=f"motcua/core/{name.split('.')[2]}.py")
        except Exception as exc:  # the listing must not hide the scores
            diff = f"--- +++ (no diff: {exc})"
        out.writelines(f"    {line}\n" for line in diff.splitlines()[2:] if line[:1] in "-+")
print(f"{len(survivors)} surviving mutants, with their changes, in {Path('survivors.txt').resolve()}")

if run_rc != 0 or incomplete:
    print("The run did not finish: no verdict.")
    sys.exit(2)
if update:
    lines = [
        "# Mutation score floor per core module, in %: scripts/mutation.sh fails below a line and",
        "# --update raises the lines to the scores reached (docs/testing.md, \"Mutation testing\").",
    ]
    floors = dict(ratchet)  # the modules not run keep their lines
    for module, _, _, score in rows:
        floors[module] = max(round(score, 1), ratchet.get(module, 0.0))
    lines += [f"{module} {score:.1f}" for module, score in floors.items()]
    ratchet_path.write_text("\n".join(lines) + "\n")
    print(f"ratchet written: {ratchet_path}")
if below:
    print("Below the ratchet:", "; ".join(below))
    sys.exit(1)
EOF
)
rc=$?
exit "$rc"
