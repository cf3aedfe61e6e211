"""What importing a municipality's action plan costs: a plan of N rows (default 300) imported into a workspace with the
municipality's list of villages, first as new projects, then again (every row matches its project: nothing changes).

    PYTHONPATH=.:.pyalias .venv/bin/python benchmarks/plan_import.py [--rows 300]

Prints the time of each import and how many times the municipality was read for it. Each row's village is stored as
the municipality names it (``places.stored_values``): the import read the municipality 2 to 3 times per row before it
was read once per import.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from pbtools.budget.model import Municipality, Village
from pbtools.monitoring import MonitoringService
from pbtools.roles import MONITOR, Actor
from pbtools.storage import open_workspace

VILLAGES = {"Көк-Талаа": "Kok-Talaa", "Жаңы-Жол": "Zhany-Zhol", "Ак-Суу": "Ak-Suu", "Кара-Булак": "Kara-Bulak"}
MEMBER = Actor("Айгүл", MONITOR)


def write_plan(path: Path, rows: int) -> Path:
    """A plan in English headers whose villages are written in English, as a donor's file would (each is looked up)."""
    names = list(VILLAGES.values())
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Plan item", "Title (en)", "Village", "Planned cost", "Planned start", "Planned finish"])
        for n in range(rows):
            out.writerow([f"{n // 10 + 1}.{n % 10 + 1}", f"Activity {n}", names[n % len(names)], f"{(n + 1) * 1000}",
                          "01.05.2026", "30.09.2026"])
    return path


def count_reads(ws) -> list[int]:
    reads = [0]
    read = ws.municipality

    def counted():
        reads[0] += 1
        return read()

    ws.municipality = counted
    return reads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "ws") as ws:
        ws.save_municipality(Municipality({"ky": "Көк-Талаа айыл аймагы"},
                                          tuple(Village({"ky": ky, "en": en}, 900) for ky, en in VILLAGES.items())))
        plan = write_plan(Path(tmp) / "plan.csv", args.rows)
        svc = MonitoringService(ws)
        reads = count_reads(ws)
        for what in ("new projects", "the same plan again"):
            reads[0] = 0
            start, cpu = time.perf_counter(), time.process_time()
            projects = svc.import_plan(MEMBER, plan)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert len(projects) == args.rows and {p.village for p in projects} == set(VILLAGES)
            print(f"{what}: {took:.2f} s for {args.rows} rows ({took / args.rows * 1000:.1f} ms a row, CPU {cpu:.2f} s); "
                  f"municipality read {reads[0]} times")
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(100):
            ws.municipality()
        took, cpu = (time.perf_counter() - start) / 100, (time.process_time() - cpu) / 100
        print(f"one read of the municipality: {took * 1000:.2f} ms (CPU {cpu * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
