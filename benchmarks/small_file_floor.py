"""What a small file's one run can cost at the least, beside a hundredth of pabutools' time on it.

counting_vs_pabutools.py times one run per file and rule, right after waiting on the pabutools child. On the smallest
files (Amsterdam 643: 3 projects, 66 voters) pabutools' Add1 takes a few ms, so "100x faster" asks for a few tens
of microseconds, parse included. This script measures, in the same run and in the same position (each timed right
after a pabutools child of the same file and rule, CPU seconds as there), the time to only
  - take the file's bytes from the operating system (``Path.read_bytes``: no parsing at all),
  - read it (``read_pb``, the native reader where built),
  - read it and count (what the benchmark times),
and prints each beside pabutools' time / 100 (the target), with the median over ``--rounds``.

Usage: .venv/bin/python benchmarks/small_file_floor.py [--files Netherlands_Amsterdam_643.pb ...] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from counting_vs_pabutools import PABULIB, pabutools  # noqa: E402

from pbtools.counting.count import count  # noqa: E402
from pbtools.counting.pabulib import read_pb  # noqa: E402

SMALL = ("Netherlands_Amsterdam_643.pb", "Worldwide_Mechanical_Turk_Ranking_value_7.pb")  # the two lowest Add1 ratios


def timed(step) -> float:
    t = time.process_time()
    step()
    return time.process_time() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", nargs="*", default=list(SMALL))
    ap.add_argument("--rules", nargs="*", default=["mes-add1", "mes-add1-greedy"])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args()
    print(f"{'file':34s} {'rule':16s} {'pabutools/100':>13s} {'bytes only':>11s} {'read_pb':>9s} {'read+count':>11s}"
          "   (medians of one run each, us)")
    for name in args.files:
        path = PABULIB / name
        for rule in args.rules:
            theirs, only_bytes, read, full = [], [], [], []
            problem = None
            for _ in range(args.rounds):
                for step, into in ((lambda: path.read_bytes(), only_bytes),
                                   (lambda: read_pb(path), read),
                                   (lambda: count(read_pb(path), rule), full)):
                    ref, problem = pabutools(path, rule, args.timeout)
                    if ref is None:
                        break
                    theirs.append(ref["seconds"])
                    read_pb(path)  # untimed, as in counting_vs_pabutools.py
                    into.append(timed(step))
                if problem is not None:
                    break
            if problem is not None:
                print(f"{name:34s} {rule:16s} pabutools did not finish: {problem}")
                continue
            us = [statistics.median(x) * 1e6 for x in (theirs, only_bytes, read, full)]
            print(f"{name[:34]:34s} {rule:16s} {us[0] / 100:13.1f} {us[1]:11.1f} {us[2]:9.1f} {us[3]:11.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
