"""Counts every .pb in ../shared/pabulib with pbtools and with pabutools in the same run, and prints per rule the
outcomes agreeing / compared and the time ratio pabutools/pbtools (median, worst), plus the slowest pbtools file.

pbtools time includes parsing. pabutools runs in a subprocess per call, killed after --timeout seconds (its own
parse is included too). Usage: .venv/bin/python benchmarks/counting_vs_pabutools.py [--timeout 60] [--rules ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.counting.count import count  # noqa: E402
from pbtools.counting.pabulib import read_pb  # noqa: E402

PABULIB = ROOT.parent / "shared" / "pabulib"
RULES = ("greedy", "mes", "mes-add1", "mes-add1-greedy", "phragmen")
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from tests.counting.reference import reference
t = time.perf_counter()
out = reference({path!r}, {rule!r})
print(json.dumps({{"selected": out, "seconds": time.perf_counter() - t}}))
"""


def pabutools(path: Path, rule: str, timeout: float):
    code = CHILD.format(root=str(ROOT), path=str(path), rule=rule)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1][:80] if done.stderr.strip() else "failed"
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data, None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per pabutools call")
    ap.add_argument("--rules", nargs="*", default=list(RULES))
    ap.add_argument("--files", nargs="*", default=None, help="file names (default: every .pb)")
    args = ap.parse_args()
    files = [PABULIB / f for f in args.files] if args.files else sorted(PABULIB.glob("*.pb"))
    rows = []
    for path in files:
        for rule in args.rules:
            t = time.perf_counter()
            election = read_pb(path)
            if rule == "phragmen" and election.vote_type not in ("approval", "choose-1"):
                continue  # pabutools' Phragmén takes approval profiles only
            result = count(election, rule)
            ours = time.perf_counter() - t
            ref, problem = pabutools(path, rule, args.timeout)
            agree = None
            if ref is not None:
                mine, theirs = list(result.selected), ref["selected"]
                agree = sorted(mine) == sorted(theirs) if rule == "phragmen" else mine == theirs
            rows.append({"file": path.name, "rule": rule, "ours": ours, "ref": ref["seconds"] if ref else None, "agree": agree, "problem": problem})
            status = "agree" if agree else ("DIFFER" if agree is False else problem)
            theirs_s = f"{ref['seconds']:.2f}s" if ref else f">{args.timeout:.0f}s" if problem == "timeout" else "-"
            print(f"{path.name:60s} {rule:16s} pbtools {ours:6.2f}s  pabutools {theirs_s:>8s}  {status}", flush=True)
    print()
    print(f"{'rule':16s} {'agree/compared':>14s} {'ratio median':>12s} {'ratio worst':>11s} {'pbtools max':>11s}  slowest file (pbtools)   [pabutools timeouts]")
    for rule in args.rules:
        rs = [r for r in rows if r["rule"] == rule]
        if not rs:
            continue
        compared = [r for r in rs if r["agree"] is not None]
        ratios = [r["ref"] / r["ours"] for r in compared]
        slow = max(rs, key=lambda r: r["ours"])
        timeouts = sum(1 for r in rs if r["problem"] == "timeout")
        med = f"{statistics.median(ratios):.1f}x" if ratios else "-"
        worst = f"{min(ratios):.1f}x" if ratios else "-"
        agreed = sum(1 for r in compared if r["agree"])
        print(f"{rule:16s} {agreed:>6d}/{len(compared):<7d} {med:>12s} {worst:>11s} {slow['ours']:>10.2f}s  {slow['file']}   [{timeouts}]")
    differ = [r for r in rows if r["agree"] is False]
    for r in differ:
        print("DIFFER:", r["file"], r["rule"])
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
