"""What a small file's one run can cost at the least, beside a hundredth of pabutools' time on it.

counting_vs_pabutools.py times one run per file and rule, right after waiting on the pabutools child. On the smallest
files (Amsterdam 643: 3 projects, 66 voters) pabutools' Add1 takes a few ms, so "100x faster" asks for a few tens
of microseconds, parse included. This script measures, in the same run and in the same position (each timed right
after a pabutools child of the same file and rule, then one untimed read of the file, CPU seconds as there), the
time to only
  - take the file's bytes from the operating system (``Path.read_bytes``: no parsing at all),
  - read it (``read_pb``, the native reader where built),
  - read it and count (what the benchmark times: the explanation is not read, and an Add1 count's final run, its
    ties and steps are made only when first read),
  - read it, count and read the explanation (its steps and ties, as every screen, report and ``pbtools tally`` do),
and prints each beside pabutools' time / 100 (the target), with the median over ``--rounds``.

``--parts``: the read and the count split, in the same position, into the time inside the compiled core's calls
(C: the reader's ``Rows``, ``read_head``, ``read_votes_compact``; ``compile_cells``; the MES engine's set-up, runs
and certifications; greedy) and the Python around them, and the least a count made entirely in C would cost with
today's compiled code (the bytes, plus every C call above). Each call is timed through a thin Python wrapper, which
adds its own (cold) cost to the Python side.

Usage: .venv/bin/python benchmarks/small_file_floor.py [--files Netherlands_Amsterdam_643.pb ...] [--rounds 7] [--parts]
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
READER_CALLS = ("utf8_valid", "Rows", "read_head", "read_votes_compact")


def timed(step) -> float:
    t = time.process_time()
    step()
    return time.process_time() - t


def explained(path: Path, rule: str) -> None:
    result = count(read_pb(path), rule)
    for step in result.steps:
        step.message.msgid
    for tie in result.ties:
        tie.message.msgid


class CallTimes:
    """The compiled core's calls wrapped, each call's CPU time added to its part (``read`` or ``count``)."""

    def __init__(self) -> None:
        from pbtools.counting.native import _pbnative, _rulesnative
        from pbtools.counting.native import engine as native_engine

        self.spent = {"read": 0.0, "count": 0.0}
        for name in READER_CALLS:
            self._wrap(_pbnative, name, "read")
        self._wrap(_pbnative, "compile_cells", "count")
        self._wrap(_rulesnative, "greedy", "count")
        real, spent = native_engine._mesnative, self.spent

        class Engine:  # the MES engine: its set-up, runs and certifications
            def __init__(self, *args) -> None:
                t = time.process_time()
                self._engine = real.Engine(*args)
                spent["count"] += time.process_time() - t

            def __getattr__(self, name):
                method = getattr(self._engine, name)

                def call(*args):
                    t = time.process_time()
                    try:
                        return method(*args)
                    finally:
                        spent["count"] += time.process_time() - t
                return call

        native_engine._mesnative = type("Compiled", (), {"Engine": Engine})

    def _wrap(self, module, name: str, part: str) -> None:
        real, spent = getattr(module, name), self.spent

        def call(*args):
            t = time.process_time()
            try:
                return real(*args)
            finally:
                spent[part] += time.process_time() - t
        setattr(module, name, call)

    def parts(self, path: Path, rule: str) -> tuple[float, float, float, float]:
        """(read, C in the read, count, C in the count), CPU seconds."""
        self.spent.update(read=0.0, count=0.0)
        t = time.process_time()
        election = read_pb(path)
        t1 = time.process_time()
        count(election, rule)
        t2 = time.process_time()
        return t1 - t, self.spent["read"], t2 - t1, self.spent["count"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", nargs="*", default=list(SMALL))
    ap.add_argument("--rules", nargs="*", default=["mes-add1", "mes-add1-greedy"])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--parts", action="store_true", help="also split the read and the count into C and Python")
    args = ap.parse_args()
    print(f"{'file':34s} {'rule':16s} {'pabutools/100':>13s} {'bytes only':>11s} {'read_pb':>9s} {'read+count':>11s}"
          f" {'+explanation':>13s}   (medians of one run each, us)")
    rows = []
    for name in args.files:
        path = PABULIB / name
        for rule in args.rules:
            theirs, only_bytes, read, full, explain = [], [], [], [], []
            problem = None
            for _ in range(args.rounds):
                for step, into in ((lambda: path.read_bytes(), only_bytes),
                                   (lambda: read_pb(path), read),
                                   (lambda: count(read_pb(path), rule), full),
                                   (lambda: explained(path, rule), explain)):
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
            us = [statistics.median(x) * 1e6 for x in (theirs, only_bytes, read, full, explain)]
            rows.append((name, rule, us[1]))
            print(f"{name[:34]:34s} {rule:16s} {us[0] / 100:13.1f} {us[1]:11.1f} {us[2]:9.1f} {us[3]:11.1f} {us[4]:13.1f}", flush=True)
    if not args.parts:
        return 0
    calls = CallTimes()
    print()
    print(f"{'file':34s} {'rule':16s} {'read: C':>8s} {'Python':>7s} {'count: C':>9s} {'Python':>7s} {'all in C':>9s}"
          "   (medians, us; all in C: the bytes and the C calls alone)")
    for name, rule, only_bytes in rows:
        path = PABULIB / name
        split = []
        for _ in range(args.rounds):
            pabutools(path, rule, args.timeout)
            read_pb(path)
            split.append(calls.parts(path, rule))
        rc, rp, cc, cp = (statistics.median(x) * 1e6 for x in zip(*((rc, r - rc, cc, c - cc) for r, rc, c, cc in split)))
        print(f"{name[:34]:34s} {rule:16s} {rc:8.1f} {rp:7.1f} {cc:9.1f} {cp:7.1f} {only_bytes + rc + cc:9.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
