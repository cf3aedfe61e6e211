"""pbtools budget check as a user runs it: a subprocess, exit codes and messages in each language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.budget.read import read_budget
from pbtools.fmt import money
from tests.budget.builders import Variant, row_of, rows, write_csv

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "budget.csv"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", "budget", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("lang, word", [("ky", "Кирешелер"), ("ru", "Доходы"), ("en", "Revenue")])
def test_check_valid_file(lang, word):
    result = run("check", str(SAMPLE), "--lang", lang)
    assert result.returncode == 0, result.stderr
    budget, _ = read_budget(SAMPLE)
    assert f"{word}: {money(budget.total('revenue', budget.year), lang)}" in result.stdout


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_check_invalid_file_lists_every_problem(tmp_path, lang):
    table = rows(Variant(lang="ru"))
    r = row_of(table, "1121") - 1
    table[r] = [*table[r][:2], "12a5", *table[r][3:]]
    table.insert(r + 1, list(table[r - 1]))  # a duplicate code as well
    path = write_csv(tmp_path / "бюджет.csv", table)
    result = run("check", str(path), "--lang", lang)
    assert result.returncode == 1
    _, problems = read_budget(path)
    errors = [p for p in problems if p.is_error]
    assert {p.kind for p in errors} >= {"not_a_number", "duplicate_code"}
    for p in errors:
        assert p.render(lang) in result.stderr
    line = next(line for line in result.stderr.splitlines() if "12a5" in line)
    row = row_of(table, "1121")
    if lang == "ky":
        assert f"{row}-катар, «План 2025» мамычасы: ката:" in line
    else:
        assert f"строка {row}, столбец «План 2025»: ошибка:" in line


def test_check_missing_file():
    result = run("check", "no-such-file.csv", "--lang", "ru")
    assert result.returncode == 1 and "Файл не найден" in result.stderr


def test_check_says_when_year_and_unit_are_needed_and_takes_them(tmp_path):
    from decimal import Decimal as D

    from tests.budget.builders import LINES, PLAN26, export_rows

    path = write_csv(tmp_path / "export.csv", export_rows("ru", "Вид"))
    result = run("check", str(path), "--lang", "ru")
    assert result.returncode == 1
    assert "--year" in result.stderr and "--unit thousand" in result.stderr and "«План»" in result.stderr
    result = run("check", str(path), "--lang", "ru", "--year", "2026", "--unit", "thousand")
    assert result.returncode == 0, result.stderr
    revenue = sum((l.amounts[PLAN26] for l in LINES if l.side == "revenue"), D(0))
    assert f"Доходы: {money(revenue, 'ru')}" in result.stdout
    assert "--unit" not in result.stdout  # nothing left to say


@pytest.mark.parametrize("year", ["26", "2026²", "٢٠٢٦", "２０２６"])
def test_check_rejects_a_year_that_is_no_year(tmp_path, year):
    result = run("check", str(SAMPLE), "--year", year)
    assert result.returncode == 2 and "--year" in result.stderr and year in result.stderr


def test_raw_python_messages_never_reach_the_user(tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # a broken zip
    result = run("check", str(path), "--lang", "ky")
    assert result.returncode == 1 and "zip file" not in result.stderr and "Traceback" not in result.stderr
    assert "Excel" in result.stderr and "xlsx" in result.stderr
