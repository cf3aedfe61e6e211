"""pbtools needs: the same calls the Training app makes, from the command line; refusals in the user's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pbtools.i18n import translator


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, env={**os.environ})


def test_sessions_rankings_results_and_form(tmp_path):
    ws = str(tmp_path / "ws")
    assert run("demo", "--workspace", ws).returncode == 0
    for title in ("Суу жок", "Жол начар", "Бала бакча жок"):
        assert run("needs", "add-problem", title, "--workspace", ws).returncode == 0
    same = run("needs", "add-problem", "СУУ  ЖОК!", "--workspace", ws, "--lang", "ru")
    assert same.returncode == 2 and "проблема 1" in same.stderr
    for group, ranking in (("women", "3 1 2"), ("men", "2 1"), ("youth", "2,3")):
        assert run("needs", "add-session", "Көк-Талаа", group, "--workspace", ws).returncode == 0
    for i, ranking in enumerate(("3 1 2", "2 1", "2,3"), start=1):
        assert run("needs", "add-ranking", f"s{i}", ranking, "--workspace", ws).returncode == 0
    bad = run("needs", "add-ranking", "s1", "3 3", "--workspace", ws, "--lang", "ky")
    assert bad.returncode == 2 and "2-орун" in bad.stderr
    out = json.loads(run("needs", "results", "--rule", "borda", "--json", "--workspace", ws).stdout)
    # Borda by hand: p2 = 1 + 2 + 2 = 5, p3 = 3 + 1 = 4, p1 = 2 + 1 = 3
    assert [(p["number"], p["score"], p["place"]) for p in out["problems"]] == [(2, 5, 1), (3, 4, 2), (1, 3, 3)]
    assert out["problems"][1]["by_group"] == {"Women": 1, "Men": None, "Youth": 2}
    # top 2 by hand: women 3 1, men 2 1, youth 2 3: every problem in two groups' top 2, a three-way tie said plainly
    text = run("needs", "results", "--rule", "topn", "--top-n", "2", "--workspace", ws, "--lang", "ru").stdout
    assert translator("ru")("Groups placing it in their top {n}", n=2) in text and "Ничья: проблемы 1, 2, 3" in text
    form = tmp_path / "form.pdf"
    assert run("needs", "form", "--out", str(form), "--session", "s1", "--workspace", ws, "--lang", "ky").returncode == 0
    assert form.read_bytes().startswith(b"%PDF")
