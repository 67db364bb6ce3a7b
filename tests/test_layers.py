"""The floors of docs/architecture.md, checked on the code: each room imports only the rooms
under it, and the one cycle is the ledger's call into the statistics cells."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_graph.py"
spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(graph)

# Floor of each room (docs/architecture.md); a room may import rooms on lower floors, and
# rooms of its own floor only where listed in SAME_FLOOR.
FLOORS = {
    "core": 0,
    "accounts": 1,
    "units": 2,
    "catalog": 3,
    "tabular": 1,
    "pagination": 1,
    "parsers": 1,
    "counters": 1,
    "rows": 1,
    "background": 2,
    "feedback": 4,
    "roster": 4,
    "queue": 4,
    "dossiers": 5,
    "reports": 5,
    "documents": 6,
    "notifications": 6,
    "dvcqg": 6,
    "payments": 7,
    "workflow": 8,
    "portal": 9,
    "integrations": 9,
    "demo": 10,
}
TOP = {"urls", "api", "middleware", "settings", "cli", "wsgi", "__main__", "__init__", "formats"}
SAME_FLOOR = {("dossiers", "reports"), ("reports", "dossiers")}  # the ledger → cells call


def test_each_room_imports_only_the_floors_under_it():
    edges, _ = graph.imports()
    wrong = []
    for room, targets in edges.items():
        if room in TOP:
            continue
        assert room in FLOORS, f"a new room: give {room} its floor in docs/architecture.md"
        for target in targets:
            if target in TOP - {"formats"}:
                wrong.append((room, target))
            elif target in FLOORS and FLOORS[target] >= FLOORS[room]:
                if (room, target) not in SAME_FLOOR:
                    wrong.append((room, target))
    assert wrong == []


def test_the_only_cycle_is_the_ledger_and_the_cells():
    edges, _ = graph.imports()
    assert graph.cycles(edges) == [["dossiers", "reports"]]


def test_no_function_local_import_hides_an_arrow():
    _, local = graph.imports()
    assert set(local) <= {"motcua/units/apps.py", "motcua/catalog/apps.py"}
