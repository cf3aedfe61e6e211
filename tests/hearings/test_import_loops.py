"""pbtools has no import loop: no module imports, even inside a function or for type checking only, a module that
imports it back (directly or through others). Read from the source with ``ast``, nothing imported. (It began with
pbtools/hearings, hence its folder; it reads every module of pbtools, the command line's and the counting core's too.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pbtools

PBTOOLS = Path(pbtools.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PBTOOLS.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(name: str, is_package: bool, node: ast.Import | ast.ImportFrom, modules: set[str]) -> list[str]:
    """The modules an import statement loads: ``from a import b`` is ``a.b`` when b is a module, else ``a``."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = name.split(".") if is_package else name.split(".")[:-1]
    if node.level > 1:
        base = base[:len(base) - node.level + 1]
    prefix = ".".join(base + [node.module or ""]).strip(".") if node.level else node.module
    return [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PBTOOLS.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {target for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                       for target in imported(name, path.name == "__init__.py", node, set(files))
                       if target in files and target != name}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other (strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while group[-1:] != [node]:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read():  # the check below would pass on an empty graph: make sure it is not one
    graph = import_graph()
    assert "pbtools.hearings.writes" in graph["pbtools.hearings.store"]
    assert "pbtools.hearings.model" in graph["pbtools.hearings.ballots.single"]
    assert "pbtools.monitoring.records" in graph["pbtools.monitoring.fold"]  # from pbtools.monitoring import records
    assert "pbtools.monitoring" not in graph["pbtools.monitoring.fold"]
    assert "pbtools.monitoring" in graph["pbtools.workspace_check"]  # from pbtools.monitoring import MonitoringService
    assert "pbtools.cli.monitoring_report" in graph["pbtools.cli.monitoring"] and "pbtools.counting.count" in graph
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_pbtools_imports_one_that_imports_it_back():
    assert loops(import_graph()) == []
