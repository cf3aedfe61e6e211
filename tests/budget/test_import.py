"""pbtools budget import: a valid file is stored exactly (SQLite and PostgreSQL); a bad file stores nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.budget.read import read_budget
from pbtools.storage import open_workspace
from tests.budget.builders import Variant, rows, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "budget.csv"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", "budget", "import", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_import_sample_into_sqlite_workspace(tmp_path):
    workspace = tmp_path / "ws"
    result = run(str(SAMPLE), "--workspace", str(workspace), "--lang", "ky")
    assert result.returncode == 0, result.stderr
    assert "сакталды" in result.stdout
    expected, _ = read_budget(SAMPLE)
    ws = open_workspace(workspace)
    try:
        assert ws.load_budget() == expected  # every line, name and amount exactly as read
    finally:
        ws.close()


@pytest.mark.postgres
def test_import_xlsx_into_postgres(tmp_path, pg_fresh_url):
    path = write_xlsx(tmp_path / "budget.xlsx", rows(Variant(lang="ru", subtotals=True)))
    result = run(str(path), "--workspace", str(tmp_path / "ws"), "--db", pg_fresh_url, "--lang", "ru")
    assert result.returncode == 0, result.stderr
    expected, _ = read_budget(path)
    ws = open_workspace(tmp_path / "ws", db_url=pg_fresh_url)
    try:
        assert ws.load_budget() == expected
    finally:
        ws.close()


def test_bad_file_leaves_stored_budget_as_it_was(tmp_path):
    workspace = tmp_path / "ws"
    assert run(str(SAMPLE), "--workspace", str(workspace)).returncode == 0
    table = rows(Variant(lang="en"))
    table[-1] = [*table[-1][:4], "1"]  # a total that does not add up
    result = run(str(write_csv(tmp_path / "bad.csv", table)), "--workspace", str(workspace), "--lang", "ru")
    assert result.returncode == 1 and "ничего не сохранено" in result.stderr
    expected, _ = read_budget(SAMPLE)
    ws = open_workspace(workspace)
    try:
        assert ws.load_budget() == expected
        assert len(ws.list_budgets()) == 1
    finally:
        ws.close()


def test_the_same_file_imported_twice_is_one_budget(tmp_path):
    workspace = tmp_path / "ws"
    assert run(str(SAMPLE), "--workspace", str(workspace)).returncode == 0
    copy = tmp_path / "copy-of-budget.csv"
    copy.write_bytes(SAMPLE.read_bytes())  # another name, the same budget
    result = run(str(copy), "--workspace", str(workspace), "--lang", "ru")
    assert result.returncode == 1 and "уже сохранён" in result.stderr
    with open_workspace(workspace) as ws:
        assert len(ws.list_budgets()) == 1


def test_another_municipalitys_budget_never_gets_this_population(demo_copy, tmp_path):
    from pbtools.budget.summary import citizens_budget
    from tests.budget.builders import export_rows

    workspace = demo_copy
    path = write_csv(tmp_path / "ak-suu.csv", [["Ак-Суу айыл аймагынын бюджети, миң сом"], *export_rows("ky", "Түрү")])
    result = run(str(path), "--workspace", str(workspace), "--lang", "ky", "--year", "2026")
    assert result.returncode == 0, result.stderr
    assert "Ак-Суу" in result.stdout and "эсептелбейт" in result.stdout
    with open_workspace(workspace) as ws:
        (sample_id, *_), (other_id, *_) = ws.list_budgets()
        municipality = ws.municipality()
        assert citizens_budget(ws.load_budget(other_id), municipality).population is None
        assert citizens_budget(ws.load_budget(sample_id), municipality).population == municipality.population > 0


def test_a_budget_naming_no_place_is_the_workspaces(demo_copy, tmp_path):
    from pbtools.budget.summary import citizens_budget
    from tests.budget.builders import export_rows

    workspace = demo_copy
    path = write_csv(tmp_path / "export.csv", export_rows("ru", "Вид"))
    assert run(str(path), "--workspace", str(workspace), "--year", "2026", "--unit", "thousand").returncode == 0
    with open_workspace(workspace) as ws:
        budget = ws.load_budget()
        assert budget.municipality == ws.municipality().names
        assert citizens_budget(budget, ws.municipality()).spending_per_resident is not None


@pytest.mark.postgres
def test_the_same_file_twice_into_postgres_is_one_budget(tmp_path, pg_fresh_url):
    path = write_xlsx(tmp_path / "budget.xlsx", rows(Variant(lang="ru")))
    args = (str(path), "--workspace", str(tmp_path / "ws"), "--db", pg_fresh_url, "--lang", "en")
    assert run(*args).returncode == 0
    second = run(*args)
    assert second.returncode == 1 and "already stored (number 1)" in second.stderr
    with open_workspace(tmp_path / "ws", db_url=pg_fresh_url) as ws:
        assert len(ws.list_budgets()) == 1
