"""The sample municipality in data/sample: valid, realistic, and every total adds up."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from pbtools.budget.numbers import COMMA, parse_amount
from pbtools.budget.read import read_budget, read_municipality
from pbtools.budget.summary import citizens_budget

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def budget():
    budget, problems = read_budget(SAMPLE / "budget.csv")
    assert budget is not None and problems == [], [p.render("en") for p in problems]
    return budget


def raw_table():
    with (SAMPLE / "budget.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter=";")]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Код")
    return rows[header], rows[header + 1 :]


def test_every_total_in_the_file_adds_up():
    # Independent of the reader: recompute each total, heading subtotal and parent line from the lines under it.
    header, rows = raw_table()
    amount_cols = range(5, len(header))
    value = lambda r, c: parse_amount(r[c], COMMA) if c < len(r) and r[c] else D(0)
    checked = 0
    section: list[list[str]] = []
    block: tuple[list[str], list[list[str]]] | None = None
    for r in rows + [[""]]:
        code, name = r[0], r[1] if len(r) > 1 else ""
        is_heading = not code and len(r) > 5 and any(r[c] for c in amount_cols if c < len(r))
        if block and (is_heading or not code or code in ("1311", "1321")):
            head, parts = block
            for c in amount_cols:
                assert value(head, c) == sum(value(p, c) for p in parts), (head[1], header[c])
                checked += 1
            block = None
        if name.endswith("бардыгы"):
            leaves = [x for x in section if x[0] != "709"]
            for c in amount_cols:
                assert value(r, c) == sum(value(x, c) for x in leaves), (name, header[c])
                checked += 1
            section = []
        elif is_heading:
            block = (r, [])
        elif code:
            section.append(r)
            if block:
                block[1].append(r)
    education = [r for r in rows if r[0].startswith("709")]
    for c in amount_cols:
        assert value(education[0], c) == sum(value(r, c) for r in education[1:])
        checked += 1
    assert checked == 5 * 5  # revenue, expenditure, own, special, education: five columns each


def test_realistic_budget(budget):
    years = budget.years()
    assert years == [budget.year - 1, budget.year, budget.year + 1, budget.year + 2]
    for year in years:
        revenue = budget.total("revenue", year)
        assert D(8_000_000) <= revenue <= D(25_000_000)
        assert revenue == budget.total("expenditure", year)  # the adopted budget is balanced
        grant = sum(l.planned[year] for l in budget.revenue() if l.group == "grant")
        assert D("0.55") <= grant / revenue <= D("0.70"), year
        by_function: dict[str, D] = {}
        for line in budget.expenditure():
            by_function[line.group] = by_function.get(line.group, D(0)) + line.planned[year]
        assert max(by_function, key=by_function.get) == "709"  # education is the largest
    last = budget.year - 1
    assert all(last in l.executed for l in budget.lines)
    assert budget.total("revenue", last, executed=True) != budget.total("revenue", last)


def test_every_line_named_in_three_languages(budget):
    for line in budget.lines:
        assert set(line.names) == {"ky", "ru", "en"} and all(line.names.values())


def test_municipality_and_villages():
    m = read_municipality(SAMPLE)
    assert set(m.names) == set(m.rayon) == set(m.oblast) == {"ky", "ru", "en"}
    assert 4 <= len(m.villages) <= 6
    assert 8000 <= m.population <= 20000
    assert all(set(v.names) == {"ky", "ru", "en"} and v.population > 0 for v in m.villages)


def test_projects_file():
    with (SAMPLE / "projects.csv").open(encoding="utf-8") as f:
        projects = list(csv.DictReader(f))
    with (SAMPLE / "villages.csv").open(encoding="utf-8") as f:
        villages = {r["id"] for r in csv.DictReader(f)}
    assert len({p["id"] for p in projects}) == len(projects) >= 5
    sectors = {p["sector"] for p in projects}
    assert {"water", "waste", "lighting", "education", "sport"} <= sectors
    for p in projects:
        assert all(p[f"{k}_{lang}"] for k in ("title", "description") for lang in ("ky", "ru", "en"))
        assert D(p["cost_som"]) > 0 and p["village"] in villages | {"all"}


def test_citizens_budget_of_the_sample(budget):
    m = read_municipality(SAMPLE)
    s = citizens_budget(budget, m)
    assert s.revenue == budget.total("revenue", budget.year)
    assert sum(p.amount for p in s.revenue_by_source) == s.revenue
    assert sum(p.amount for p in s.spending_by_function) == s.expenditure
    assert sum(p.share for p in s.spending_by_function) == pytest.approx(1)
    assert s.spending_by_function[0].key == "709"
    assert s.own_share + s.grant_share < 1
    assert s.spending_per_resident == (s.expenditure / m.population).quantize(D(1))
    assert s.execution_year == budget.year - 1
    assert s.execution_totals("revenue") == (budget.total("revenue", budget.year - 1), budget.total("revenue", budget.year - 1, executed=True))
    assert s.revenue_change == (s.revenue - s.previous_revenue) / s.previous_revenue
    assert [y for y, *_ in s.forecast] == [budget.year + 1, budget.year + 2]
