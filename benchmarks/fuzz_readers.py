"""Fuzzing the file readers a facilitator feeds: budget files (pbtools.budget.read) and agenda files
(pbtools.hearings.agenda_io). Random bytes, and valid files mutated at three levels (bytes, CSV cells, XLSX cells),
in CSV (UTF-8, Windows-1251, UTF-16) and XLSX, under every file name the readers take.

Goal: whatever the file, a reader answers with its own problems, in sentences (ky/ru/en), never a traceback and
never a Python message ("'charmap' codec can't decode...", "File is not a zip file"). Each target runs for a
bounded time; the script prints, per target, how many files were tried, how many were read or refused, the slowest
file, and every distinct finding (exception type and where it was raised, or a message with Python words in it)
with its smallest example. Exit status 1 when anything was found.

    .venv/bin/python benchmarks/fuzz_readers.py [--seconds 60] [--seed N]
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

try:
    from pbtools.budget.read import inspect_budget  # noqa: E402
except ImportError:  # a pbtools from before inspect_budget (for a before/after figure): year and unit not taken
    from types import SimpleNamespace

    from pbtools.budget.read import read_budget  # noqa: E402

    def inspect_budget(path, year=None, unit=None):  # noqa: ANN001, ANN201
        budget, problems = read_budget(path)
        return SimpleNamespace(budget=budget, problems=problems)
from pbtools.hearings.agenda_io import options_from_rows, read_agenda  # noqa: E402
from tests.budget.builders import Variant, export_rows, rows, write_csv, write_xlsx  # noqa: E402

# What a Python message looks like when it leaks into a sentence meant for a person
PYTHON_WORDS = re.compile(r"codec|can't decode|zip file|Errno|Traceback|\w+Error\b|Exception|byte 0x|object has no|NoneType|\[Errno")
LANGS = ("ky", "ru", "en")

# Cells that have broken readers elsewhere: number shapes, huge values, special floats, quotes, control characters
TRICKY_CELLS = [
    "", " ", "-", "—", "(", ")", "()", "(-1)", "--5", "1e999", "1E5", "NaN", "nan", "Infinity", "-inf", "9" * 400,
    "1 234,5", "1.234,5", "1,234.5", "1.234", "1,234", "12 34", "0,", ",5", ".", ",", "1..2", "1,,2", "'1000",
    "\u00a01\u00a0000", "١٢٣", "²", "½", "Итого", "Всего доходов", "Бардыгы", "Total", "ДОХОДЫ", "РАСХОДЫ", "Revenue",
    "709", "7091", "70911", "1111", "0", "00", "2026", "2025-01-01", '"', '""', '"a;b"', "a\nb", "\t", "\x00", "\x1b",
    "=SUM(A1:A3)", "#REF!", "#DIV/0!", "тыс. сом", "млн сом", "сом", "План 2026", "Исполнение 2025", "Вид", "Kind",
    "Код", "Статья", "Түрү", "%", "100 %", "Ө Ү Ң", "\ufeff", "\u202e", "𝟙𝟚𝟛",
]
XLSX_VALUES = st.one_of(
    st.sampled_from(TRICKY_CELLS), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(), st.dates(), st.datetimes(),
    st.text(max_size=20),
)


@dataclass
class Target:
    name: str
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)
    findings: dict = field(default_factory=dict)  # key -> (size, example summary, detail)
    slowest: float = 0.0

    def found(self, key: tuple, size: int, summary: str, detail: str) -> None:
        if key not in self.findings or size < self.findings[key][0]:
            self.findings[key] = (size, summary, detail)


def crash_key(exc: BaseException) -> tuple:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/pbtools/" in f.filename] or traceback.extract_tb(exc.__traceback__)
    where = frames[-1]
    return ("exception", type(exc).__name__, f"{Path(where.filename).name}:{where.lineno}")


# -- seeds: valid files, as the tests build them

def budget_seeds(folder: Path) -> list[tuple[str, bytes]]:
    seeds = [("sample.csv", (ROOT / "data" / "sample" / "budget.csv").read_bytes())]
    for i, (table, encoding) in enumerate(((rows(Variant(lang="ru", unit=Decimal(1000), subtotals=True)), "cp1251"),
                                           (rows(Variant(lang="ky")), "utf-8-sig"),
                                           (export_rows("ru", "Вид"), "cp1251"),
                                           (export_rows("en", "Kind"), "utf-16"))):
        seeds.append((f"seed{i}.csv", write_csv(folder / f"seed{i}.csv", table, encoding=encoding,
                                                 delimiter="\t" if encoding == "utf-16" else ";").read_bytes()))
    seeds.append(("seed.xlsx", write_xlsx(folder / "seed.xlsx", rows(Variant(lang="en", style=None))).read_bytes()))
    return seeds


def agenda_seeds(folder: Path) -> list[tuple[str, bytes]]:
    from pbtools.hearings.agenda_io import write_agenda

    projects = (ROOT / "data" / "sample" / "projects.csv").read_bytes()
    options, problems = read_agenda(ROOT / "data" / "sample" / "projects.csv")
    assert options and not problems
    return [("projects.csv", projects), ("agenda.xlsx", write_agenda(options, folder / "agenda.xlsx").read_bytes()),
            ("agenda-semicolon.csv", projects.decode().replace(",", ";").encode("utf-8"))]


# -- strategies: random files, and mutations of the seeds

def mutate_bytes(data: bytes, rnd: random.Random, count: int) -> bytes:
    b = bytearray(data)
    for _ in range(count):
        op = rnd.randrange(5)
        pos = rnd.randrange(len(b) + 1) if b else 0
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rnd.randrange(256)
        elif op == 1:
            b[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 8)))
        elif op == 2 and b:
            del b[pos:pos + rnd.randrange(1, 64)]
        elif op == 3:
            b = b[: max(0, pos)]  # truncated, as a copy cut short
        else:
            b[pos:pos] = rnd.choice([b"\x98", b'"', b"\r", b"\n", b";", b"\t", b"\xff\xfe", b"PK\x03\x04", b"\x00"])
    return bytes(b)


def mutate_cells(data: bytes, encoding: str, rnd: random.Random, cells: list[str]) -> bytes:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return data
    lines = text.splitlines()
    delimiter = ";" if ";" in text else "\t" if "\t" in text else ","
    for cell in cells:
        if not lines:
            break
        i = rnd.randrange(len(lines))
        op = rnd.randrange(4)
        parts = lines[i].split(delimiter)
        if op == 0:
            parts[rnd.randrange(len(parts))] = cell
            lines[i] = delimiter.join(parts)
        elif op == 1:
            lines.insert(i, lines[rnd.randrange(len(lines))])  # a duplicated row
        elif op == 2:
            del lines[i]
        else:
            lines[i] = delimiter.join(parts[: rnd.randrange(len(parts) + 1)])  # a row cut short
    try:
        return "\r\n".join(lines).encode(encoding)
    except UnicodeEncodeError:
        return "\r\n".join(lines).encode("utf-8")


def xlsx_from_cells(grid: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r in grid:
        values = []
        for v in r:
            if isinstance(v, str):  # openpyxl refuses control characters in cells, as Excel would
                v = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v)
            values.append(v)
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_cases(seeds: list[tuple[str, bytes]], suffixes: list[str], header_cells: list[str]):
    random_file = st.tuples(st.sampled_from(suffixes), st.binary(max_size=3000)).map(lambda t: (f"random{t[0]}", t[1]))
    byte_mutant = st.tuples(st.sampled_from(seeds), st.randoms(use_true_random=False), st.integers(1, 12)).map(
        lambda t: (t[0][0], mutate_bytes(t[0][1], t[1], t[2])))
    renamed = st.tuples(st.sampled_from(seeds), st.sampled_from(suffixes)).map(lambda t: ("renamed" + t[1], t[0][1]))
    csv_seeds = [s for s in seeds if not s[0].endswith(".xlsx")]

    def cell_mutant(t):
        (name, data), rnd, cells = t
        encoding = "utf-16" if data.startswith(b"\xff\xfe") else "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            encoding = "cp1251"
        return name, mutate_cells(data, encoding, rnd, cells)

    cells = st.lists(st.one_of(st.sampled_from(TRICKY_CELLS), st.text(max_size=12)), min_size=1, max_size=8)
    csv_mutant = st.tuples(st.sampled_from(csv_seeds), st.randoms(use_true_random=False), cells).map(cell_mutant)
    grid = st.lists(st.lists(XLSX_VALUES, max_size=7), max_size=12)
    header = st.lists(st.sampled_from(header_cells), min_size=2, max_size=7)
    xlsx_table = st.tuples(header, grid).map(lambda t: ("generated.xlsx", xlsx_from_cells([t[0], *t[1]])))
    return st.one_of(random_file, byte_mutant, renamed, csv_mutant, xlsx_table)


# -- the readers under test

def check_budget(target: Target, folder: Path, case, year, unit) -> None:
    name, data = case
    path = folder / name
    path.write_bytes(data)
    found = inspect_budget(path, year=year, unit=unit)
    target.outcomes["read" if found.budget is not None else "refused"] += 1
    for p in found.problems:
        for lang in LANGS:
            text = p.render(lang)
            if PYTHON_WORDS.search(text):
                target.found(("python words", p.kind), len(data), name, text[:300])


def check_agenda(target: Target, folder: Path, case) -> None:
    name, data = case
    path = folder / name
    path.write_bytes(data)
    options, problems = read_agenda(path)
    target.outcomes["read" if options else "refused"] += 1
    for p in problems:
        for lang in LANGS:
            text = p.render(lang)
            if PYTHON_WORDS.search(text):
                target.found(("python words", p.msgid[:40]), len(data), name, text[:300])


def check_agenda_rows(target: Target, grid) -> None:
    options, problems = options_from_rows(grid, "rows.xlsx")
    target.outcomes["read" if options else "refused"] += 1
    for p in problems:
        for lang in LANGS:
            if PYTHON_WORDS.search(p.render(lang)):
                target.found(("python words", p.msgid[:40]), len(str(grid)), "rows", p.render(lang)[:300])


def run(target: Target, strategy, check, seconds: float) -> None:
    deadline = time.monotonic() + seconds

    @settings(max_examples=100, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def probe(case) -> None:
        if time.monotonic() > deadline:
            return
        target.cases += 1
        start = time.perf_counter()
        try:
            check(case)
        except Exception as exc:  # the finding: a reader that raised instead of answering
            target.outcomes["crashed"] += 1
            example = case[1] if isinstance(case, tuple) and len(case) > 1 else case
            size = len(example[1]) if isinstance(example, tuple) and isinstance(example[1], bytes) else len(repr(case))
            target.found(crash_key(exc), size, repr(case)[:200], f"{type(exc).__name__}: {str(exc)[:200]}")
        target.slowest = max(target.slowest, time.perf_counter() - start)

    while time.monotonic() < deadline:
        probe()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="time for each of the four targets (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="seed for hypothesis, to repeat a run")
    args = parser.parse_args()
    if args.seed is not None:
        random.seed(args.seed)
    budget_headers = ["Код", "Code", "Вид", "Kind", "Түрү", "Статья", "Name", "План", "План 2026", "Plan 2026", "Исполнение 2025",
                      "Actual", "Прогноз 2027", "Группа", "Group", "тыс. сом", "%", "", "Бюджет на 2026 год"]
    agenda_headers = ["id", "number", "title_ky", "title_ru", "title_en", "cost", "cost_som", "village", "sector", "proposer",
                      "description_ru", "", "Title", "COST"]
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bseeds, aseeds = budget_seeds(folder), agenda_seeds(folder)
        budget_files = file_cases(bseeds, [".csv", ".xlsx", ".xls", ".txt", ".tsv", ".xlsm"], budget_headers)
        options = st.tuples(budget_files, st.one_of(st.none(), st.integers(1990, 2100)), st.sampled_from([None, 1, 1000]))
        t = Target("budget files (read_budget)")
        run(t, options, lambda c: check_budget(t, folder, c[0], c[1], c[2]), args.seconds)
        targets.append(t)
        t2 = Target("budget files, headers as found in exports")
        exports = st.tuples(st.lists(st.sampled_from(budget_headers), min_size=2, max_size=8),
                            st.lists(st.lists(st.one_of(st.sampled_from(TRICKY_CELLS), st.text(max_size=10)), max_size=8), max_size=15),
                            st.sampled_from(["utf-8", "cp1251", "utf-16"]), st.sampled_from([";", ",", "\t"]))

        def export_case(c):
            header, body, encoding, delimiter = c
            text = "\r\n".join(delimiter.join(f'"{x}"' if delimiter in x or '"' in x else x for x in r) for r in [header, *body])
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                data = text.encode("utf-8")
            return ("export.csv", data)

        run(t2, st.tuples(exports.map(export_case), st.one_of(st.none(), st.just(2026)), st.sampled_from([None, 1000])),
            lambda c: check_budget(t2, folder, c[0], c[1], c[2]), args.seconds)
        targets.append(t2)
        t3 = Target("agenda files (read_agenda)")
        run(t3, file_cases(aseeds, [".csv", ".xlsx", ".txt"], agenda_headers), lambda c: check_agenda(t3, folder, c), args.seconds)
        targets.append(t3)
        t4 = Target("agenda rows (options_from_rows)")
        grid = st.tuples(st.lists(st.sampled_from(agenda_headers), max_size=8), st.lists(st.lists(XLSX_VALUES, max_size=9), max_size=10))
        run(t4, grid.map(lambda t: [t[0], *t[1]]), lambda c: check_agenda_rows(t4, c), args.seconds)
        targets.append(t4)

    total = 0
    print(f"{'target':45} {'files':>7} {'read':>6} {'refused':>8} {'crashed':>8} {'findings':>9} {'slowest':>9}")
    for t in targets:
        print(f"{t.name:45} {t.cases:7} {t.outcomes['read']:6} {t.outcomes['refused']:8} {t.outcomes['crashed']:8} "
              f"{len(t.findings):9} {t.slowest * 1000:7.0f} ms")
        total += len(t.findings)
    for t in targets:
        for key, (size, summary, detail) in sorted(t.findings.items(), key=str):
            print(f"\n[{t.name}] {' '.join(map(str, key))}\n  smallest example ({size} bytes): {summary}\n  {detail}")
    print(f"\n{total} distinct findings" if total else "\nno findings: every file got the readers' own answer")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
