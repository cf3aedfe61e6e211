"""The core stays free of the screen: importing pbtools and its parts loads nothing of Jupyter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ["pbtools", "pbtools.budget.read", "pbtools.storage", "pbtools.hearings.store", "pbtools.counting",
        "pbtools.results.board", "pbtools.reports.make", "pbtools.charts.results", "pbtools.cli"]
JUPYTER = ("ipywidgets", "IPython", "ipykernel", "voila", "jupyter_server", "jupyter_client", "tornado", "pbtools_widgets", "nbformat")


def test_importing_the_core_loads_nothing_of_jupyter():
    code = (f"import importlib, sys\nfor m in {CORE!r}: importlib.import_module(m)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({JUPYTER!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
