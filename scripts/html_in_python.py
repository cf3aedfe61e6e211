"""How much HTML is still built in Python: lines of string literals holding an HTML tag, and hand-called escapes.

    python scripts/html_in_python.py [folders...]   (default: pbtools widgets)

A literal counts when it (or an f-string's literal part) contains a tag such as ``<p`` or ``</li>``; its lines are
the source lines the literal spans. Escapes are calls of ``html.escape``, ``escape`` or a local ``_esc``.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]|<!doctype", re.I)
ESCAPES = {"escape", "_esc"}


def measure(path: Path) -> tuple[int, int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines: set[int] = set()
    escapes = 0
    # docstrings and bare string statements are prose (they name <placeholders>), not HTML
    prose = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    for node in ast.walk(tree):
        if id(node) in prose:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value):
            lines.update(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if TAG.search(text):
                lines.update(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            escapes += name in ESCAPES
    return len(lines), escapes


def main(folders: list[str]) -> None:
    total_lines = total_escapes = 0
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            n, e = measure(path)
            if n or e:
                print(f"{n:5d} {e:5d}  {path}")
            total_lines += n
            total_escapes += e
    print(f"{total_lines:5d} {total_escapes:5d}  total (lines of HTML in literals, escape calls)")


if __name__ == "__main__":
    main(sys.argv[1:] or ["pbtools", "widgets"])
