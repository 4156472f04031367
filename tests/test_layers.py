"""The package layers (README, "Architecture"): the import contracts in pyproject.toml hold (the
same check as ``lint-imports`` in ``make test``), and no two top-level packages import each other
in a cycle, directly or around several packages."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
PACKAGES: list[str] = CONFIG["root_packages"]
#: module imports the contracts allow on purpose, each with its reason in pyproject.toml
ALLOWED = {
    tuple(side.strip() for side in rule.split("->"))
    for contract in CONFIG["contracts"]
    for rule in contract.get("ignore_imports", [])
}

Edges = dict[str, dict[str, tuple[str, str]]]


def package_edges() -> Edges:
    """package → imported package → one (importer module, imported module) that makes the edge."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges: Edges = {package: {} for package in PACKAGES}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            source, target = importer.split(".")[0], imported.split(".")[0]
            if source != target and (importer, imported) not in ALLOWED:
                edges[source].setdefault(target, (importer, imported))
    return edges


def find_cycle(edges: Edges) -> list[str] | None:
    """A cycle of packages (first package repeated at the end), or None when the graph is a DAG."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_import_contracts_hold(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    status = lint_imports(no_cache=True, no_logo=True)
    assert status == 0, capsys.readouterr().out


def test_no_package_level_cycle() -> None:
    edges = package_edges()
    cycle = find_cycle(edges)
    if cycle:
        steps = [
            f"{a} → {b} ({edges[a][b][0]} imports {edges[a][b][1]})" for a, b in itertools.pairwise(cycle)
        ]
        pytest.fail("top-level packages import each other in a cycle:\n  " + "\n  ".join(steps))


def test_the_cycle_finder_finds_cycles() -> None:
    via = ("x", "y")
    assert find_cycle({"a": {"b": via}, "b": {"c": via}, "c": {}}) is None
    assert find_cycle({"a": {"b": via}, "b": {"c": via}, "c": {"a": via}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": via}, "b": {"b2": via}, "b2": {"b": via}}) == ["b", "b2", "b"]
