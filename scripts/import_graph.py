"""The app-level import graph of the `motcua` package: which room imports which, and the cycles.

    python scripts/import_graph.py          # every app's imports, the cycles, local imports

Counts module-level and function-local imports alike (a local import still is an arrow).
docs/architecture.md says which arrows are allowed; tests/test_layers.py checks them.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "motcua"


def room_of(module: str) -> str | None:
    """`motcua.workflow.views` → `workflow`; `motcua.urls` → `urls`; other packages → None."""
    parts = module.split(".")
    if parts[0] != "motcua" or len(parts) < 2:
        return None
    return parts[1]


def imports(package: Path = PACKAGE) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """``(edges, local)``: room → rooms it imports; file → function-local project imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    local: dict[str, list[str]] = defaultdict(list)
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(package.parent).with_suffix("")
        room = rel.parts[1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                in_function |= {
                    id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Import | ast.ImportFrom)
                }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                target = room_of(name)
                if target is None:
                    continue
                if id(node) in in_function:
                    local[str(path.relative_to(package.parent))].append(name)
                if target != room:
                    edges[room].add(target)
    return edges, local


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one room (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return groups


def main() -> int:
    edges, local = imports()
    for room in sorted(edges):
        print(f"{room:15s} → {', '.join(sorted(edges[room]))}")
    print("\ncycles:", cycles(edges) or "none")
    print("\nfunction-local project imports:")
    for path, names in sorted(local.items()):
        print(f"  {path}: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
