"""How fast ``read_pb`` reads .pb files of ../shared/pabulib: the native and the Python reader of this checkout, and
(``--baseline DIR``) the native reader of another checkout (built, e.g. ``git archive <commit> | tar -x -C DIR``
then ``python setup.py build_ext --inplace`` there), measured in the same run.

Each checkout reads in its own process; the processes take turns file by file for ``--rounds`` rounds, so that the
load of a shared machine falls on both alike. Per file: the best CPU time (``time.process_time``) of ``--repeat``
reads per round, over all rounds; the ratios baseline/native and python/native; their medians at the end.

Default files: the "middle" files of docs/counting.md (pabutools takes 0.1-3 s on them).

Usage: .venv/bin/python benchmarks/read_speed.py [--baseline DIR] [--rounds 3] [--repeat 10] [--files ... | --all]
[--no-python]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PABULIB = next((p for p in (ROOT.parent / "shared" / "pabulib", ROOT.parents[1] / "shared" / "pabulib") if p.is_dir()),
               ROOT.parent / "shared" / "pabulib")
MIDDLE = [
    "Poland_Zabrze_2020", "Poland_Krakow_2025_Biezanow-Prokocim", "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals",
    "Poland_Czestochowa_2025_Polnoc", "France_Toulouse_2019", "Hungary_Veszprem_2025", "Poland_Swiecie_2023",
    "Poland_Gdansk_2020_Piecki_Migowo", "Hungary_Budapest_2025_XI_Ujbuda", "Poland_Gdynia_2020", "Poland_Katowice_2023",
    "Poland_Wieliczka_2023_Green_Budget", "poland_wieliczka_2023_green-budget", "France_Toulouse_2022",
    "France_Toulouse_2024", "Netherlands_Amsterdam_309", "Poland_Gdansk_2020", "Poland_Warszawa_2021_Mokotow",
    "poland_warszawa_2019_ursynow", "Poland_Warszawa_2020_Wawer", "Poland_Warszawa_2021_Bielany",
    "Poland_Warszawa_2020_Praga-Poludnie",
]

# A worker: reads "path engine repeat" lines, answers the best CPU seconds of that many reads.
WORKER = """
import sys, time
sys.path.insert(0, {root!r})
from pbtools.counting.native import BUILT
from pbtools.counting.pabulib import read_pb
assert BUILT, "the compiled core is not built in " + {root!r}
print("ready", flush=True)
for line in sys.stdin:
    path, engine, repeat = line.split()
    best = None
    for _ in range(int(repeat)):
        t = time.process_time()
        read_pb(path, engine)
        spent = time.process_time() - t
        best = spent if best is None else min(best, spent)
    print(best, flush=True)
"""


class Worker:
    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", WORKER.format(root=str(root))], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit(f"the worker for {root} did not start")

    def best(self, path: Path, engine: str, repeat: int) -> float:
        self.process.stdin.write(f"{path} {engine} {repeat}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, help="another checkout, built, to compare with")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--files", nargs="*", default=None, help="file names (default: the middle files)")
    ap.add_argument("--all", action="store_true", help="every .pb file of ../shared/pabulib")
    ap.add_argument("--no-python", action="store_true", help="the native readers only (the Python reader is slow on large files)")
    args = ap.parse_args()
    names = sorted(p.name for p in PABULIB.glob("*.pb")) if args.all else args.files or [f"{name}.pb" for name in MIDDLE]
    paths = [PABULIB / name for name in names]
    ours = Worker(ROOT)
    base = Worker(args.baseline) if args.baseline else None
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.rounds):
        for path in paths:
            runs = [("native", ours, "native")] + ([] if args.no_python else [("python", ours, "python")]) + (
                [("baseline", base, "native")] if base else [])
            for key, worker, engine in runs:
                seconds = worker.best(path, engine, args.repeat if engine == "native" else max(1, args.repeat // 3))
                best[path.name, key] = min(best.get((path.name, key), seconds), seconds)
    ours.close()
    if base:
        base.close()
    ratios: dict[str, list[float]] = {"baseline": [], "python": []}
    for path in paths:
        native = best[path.name, "native"]
        cells = [f"native {native * 1000:7.3f} ms"] + ([] if args.no_python else [f"python {best[path.name, 'python'] * 1000:7.3f} ms"])
        for key in ("baseline",) * bool(base) + ("python",) * (not args.no_python):
            ratios[key].append(best[path.name, key] / native)
        if base:
            cells.insert(1, f"baseline {best[path.name, 'baseline'] * 1000:7.3f} ms (x{ratios['baseline'][-1]:.2f})")
        print(f"{path.name:58s} " + "  ".join(cells), flush=True)
    print("; ".join(([f"median python/native x{statistics.median(ratios['python']):.2f}"] if ratios["python"] else [])
                    + ([f"median baseline/native x{statistics.median(ratios['baseline']):.2f} (worst x{min(ratios['baseline']):.2f})"] if base else [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
