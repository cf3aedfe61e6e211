"""pbtools has no import loop: no module imports, even inside a function or for type checking only, a module that
imports it back (directly or through others). Read from the source with ``ast``, nothing imported. (It began with
pbtools/hearings, hence its folder; it reads every module of pbtools, the command line's and the counting core's too.)"""

from __future__ import annotations

import ast
import re
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


# The core's rows in docs/architecture.md, top to bottom: a folder (or top-level module) may import the rows below
# its own, and within its row those to its right. Parts outside the drawing (cli, server, central, sync,
# workspace_check) sit above the core: the core never imports them.
ROWS = [
    ["publish"],
    ["training", "needs", "demo", "services"],
    ["monitoring"],
    ["phones"],
    ["reports", "charts", "results"],
    ["hearings"],
    ["storage"],
    ["counting"],
    ["budget"],
    ["roles", "html", "resources", "paths", "fmt", "moments", "dates", "i18n"],
]
# Known crossings, each with why it stays; any other import against the rows fails.
CROSSINGS = {
    ("pbtools.charts.monitoring", "pbtools.monitoring.model"): "for type checking only (a Project's fields)",
    ("pbtools.results.export", "pbtools.charts.results"): "writes the board's figures to files, as a report would",
}
DRAWING = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def drawn_rows(text: str) -> list[list[str]]:
    """The rows of the core's drawing: the folders (``x/``) and modules (``x.py``) a row starts with."""
    rows = []
    for line in text.splitlines():
        lead = re.match(r"\s*│ ((?:\(?\w+(?:/|\.py)\)?\s+)+)", line)
        if lead:
            rows.append([re.sub(r"/|\.py", "", t) for t in lead.group(1).split() if not t.startswith("(")])
    return rows


def against_the_rows(graph: dict[str, set[str]], rows: list[list[str]]) -> list[tuple[str, str]]:
    """The imports from a folder of the rows to one above it, to one on its left in its row, or out of the core."""
    place = {part: (r, c) for r, row in enumerate(rows) for c, part in enumerate(row)}

    def part(module: str) -> str | None:
        names = module.split(".")
        return names[1] if len(names) > 1 else None  # the package itself (its version) belongs to no row

    found = []
    for source, targets in graph.items():
        for target in targets:
            a, b = part(source), part(target)
            if a not in place or b is None or a == b:
                continue
            if b not in place or place[b] < place[a] or (place[b][0] == place[a][0] and place[b][1] < place[a][1]):
                found.append((source, target))
    return sorted(found)


def test_the_rows_are_the_drawing_s():
    assert drawn_rows(DRAWING.read_text(encoding="utf-8")) == ROWS


def test_the_row_check_sees_upward_and_leftward_imports():
    rows = [["training", "needs"], ["storage"]]
    graph = {"pbtools.needs.store": {"pbtools.training.sandbox", "pbtools.storage.sandbox_mark"},
             "pbtools.training.simulate": {"pbtools.needs.store"},
             "pbtools.storage.ledger": {"pbtools.needs.model", "pbtools.server.app"}}
    assert against_the_rows(graph, rows) == [("pbtools.needs.store", "pbtools.training.sandbox"),
                                             ("pbtools.storage.ledger", "pbtools.needs.model"),
                                             ("pbtools.storage.ledger", "pbtools.server.app")]


def test_no_folder_imports_against_the_documented_rows():
    found = against_the_rows(import_graph(), ROWS)
    assert [pair for pair in found if pair not in CROSSINGS] == []
    assert sorted(CROSSINGS) == [pair for pair in found if pair in CROSSINGS]  # a crossing gone: strike it off
