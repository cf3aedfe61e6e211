"""Times ``count()`` alone (the election already read) per file, rule and engine: best CPU time of ``--repeat`` calls.

The reading is done once and not timed; what is timed is ``count()``: compiling the election and the rule, as
``count`` returns them (an explanation is made when first read: MES's and greedy's steps, an Add1 count's ties and
final run). ``--render`` also reads the explanation inside the timed call, every step's and tie's message rendered in
English.

Usage: .venv/bin/python benchmarks/count_alone.py [--repeat 15] [--rules greedy mes phragmen] [--engines native python]
[--files ...] [--json out.json] [--compare before.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.counting.count import count  # noqa: E402
from pbtools.counting.pabulib import read_pb  # noqa: E402

PABULIB = next((p for p in (ROOT.parent / "shared" / "pabulib", ROOT.parents[1] / "shared" / "pabulib") if p.is_dir()),
               ROOT.parent / "shared" / "pabulib")
# The middle files of issue #20 (pabutools 0.1-3 s) and a few small ones.
MIDDLE = ("Poland_Zabrze_2020.pb", "Poland_Krakow_2025_Biezanow-Prokocim.pb", "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb",
          "Poland_Czestochowa_2025_Polnoc.pb", "France_Toulouse_2019.pb", "Hungary_Veszprem_2025.pb", "Poland_Swiecie_2023.pb",
          "Poland_Gdansk_2020_Piecki_Migowo.pb", "Hungary_Budapest_2025_XI_Ujbuda.pb", "Poland_Gdynia_2020.pb",
          "Poland_Katowice_2020.pb", "Poland_Wieliczka_2023_Green_Budget.pb", "France_Toulouse_2022.pb", "France_Toulouse_2024.pb",
          "Netherlands_Amsterdam_309.pb", "Poland_Gdansk_2020.pb", "Poland_Warszawa_2021_Mokotow.pb",
          "poland_warszawa_2019_ursynow.pb", "Poland_Warszawa_2020_Wawer.pb", "Poland_Warszawa_2021_Bielany.pb",
          "Poland_Warszawa_2020_Praga-Poludnie.pb")
SMALL = ("Switzerland_Zurich_D10.pb", "Worldwide_Mechanical_Turk_Utilities_7.pb", "Netherlands_Assen_2024.pb",
         "Poland_Gdynia_2023_Kamienna_Gora__small.pb")


def best(election, rule: str, engine: str, repeat: int, render: bool) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        result = count(election, rule, engine=engine)
        if render:
            result.explain("en")
            [tie.message.render("en") for tie in result.ties]
        times.append(time.process_time() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--rules", nargs="*", default=["greedy", "mes", "phragmen"])
    ap.add_argument("--engines", nargs="*", default=["native", "python"], choices=("native", "python"))
    ap.add_argument("--files", nargs="*", default=None, help="file names (default: the middle and small files)")
    ap.add_argument("--render", action="store_true", help="read the explanation inside the timed call (every step's and tie's message in English)")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--compare", help="a --json file of an earlier run: print before/after ratios")
    args = ap.parse_args()
    files = args.files or list(MIDDLE + SMALL)
    before = json.loads(Path(args.compare).read_text()) if args.compare else {}
    figures: dict[str, float] = {}
    ratios: dict[tuple[str, str], list[float]] = {}
    print(f"{'file':45} {'engine':7} " + " ".join(f"{r:>18}" for r in args.rules))
    for name in files:
        path = PABULIB / name
        for engine in args.engines:
            election = read_pb(path, engine=engine)
            cells = []
            for rule in args.rules:
                key = f"{name}|{engine}|{rule}"
                seconds = best(election, rule, engine, args.repeat, args.render)
                figures[key] = seconds
                cell = f"{seconds * 1000:8.2f}ms"
                if key in before:
                    ratio = before[key] / seconds
                    ratios.setdefault((engine, rule), []).append(ratio)
                    cell += f" {ratio:5.2f}x"
                cells.append(f"{cell:>18}")
            print(f"{name[:45]:45} {engine:7} " + " ".join(cells), flush=True)
    for (engine, rule), rs in sorted(ratios.items()):
        print(f"{engine} {rule}: before/after median {statistics.median(rs):.2f}x, worst {min(rs):.2f}x, best {max(rs):.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
