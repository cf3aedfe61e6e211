"""Counts .pb files of ../shared/pabulib with pbtools and with pabutools in the same run, and prints per rule: outcomes
agreeing / compared, pbtools time (median, worst and its file), and the time ratio pabutools/pbtools (median, worst; and the median without either side's parse).

pbtools runs on both engines (``--engines native python``; native = the compiled .pb reader (VOTES kept as arrays,
identical ballots merged in C), greedy and Phragmén in C, and the compiled exact MES with its Add1 completions, where
built): per rule the agreement with pabutools,
the native time, the python/native and pabutools/native ratios (median and worst), and how far it is above the time
to only read the file (the floor, measured per file and engine). Outcomes of the two engines are compared too.

Times are CPU seconds of the counting process (``time.process_time``): the machine is shared, and CPU time is far
less disturbed by other people's jobs than wall time (the load average is printed at the start and the end).
pbtools time is ``read_pb`` and ``count()``: the outcome, its cost, the per-voter budget, but not the explanation,
which a count makes when it is first read (the steps of MES and greedy, and an Add1 count's ties with the final run
they come from); ``--explain`` reads the steps and ties (their messages made) inside the timing, as every screen,
report and ``pbtools tally`` does. The output says which. pbtools time includes parsing and is the best of ``--repeat`` runs (one run if it takes over 10 s), each side after
one untimed parse of the file right before (the pabutools child parses once, then times its parse and count; here
the timed run would otherwise follow an idle wait on that child, and a small file's one run then measures the
CPU's cold start: Amsterdam 643's Add1, 140 us warm, took 450-650 us after a wait, 310 after a parse). pabutools runs
once in a subprocess per call (its own parse included), killed after ``--timeout`` seconds of wall time; where its
Add1 would take over twice that (it counts MES from scratch at every step: about steps x its plain MES time without
the parse, the steps being known from the pbtools count), it is not started and is listed as such. pbtools calls are stopped after
``--our-timeout`` seconds of wall time.

Usage: .venv/bin/python benchmarks/counting_vs_pabutools.py [--timeout 20] [--repeat 3] [--rules ...] [--files ...]
[--engines native python]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.counting.count import count  # noqa: E402
from pbtools.counting.native import BUILT  # noqa: E402
from pbtools.counting.pabulib import read_pb  # noqa: E402

PABULIB = next((p for p in (ROOT.parent / "shared" / "pabulib", ROOT.parents[1] / "shared" / "pabulib") if p.is_dir()),
               ROOT.parent / "shared" / "pabulib")  # next to the repository (or to the worktrees' folder)
RULES = ("greedy", "mes", "mes-add1", "mes-add1-greedy", "phragmen")
NEEDS_MES = ("mes-add1", "mes-add1-greedy")  # pabutools counts plain MES once per Add1 step for these
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from tests.counting.reference import load, reference
t = time.process_time()
load({path!r})
parse = time.process_time() - t
t = time.process_time()
out = reference({path!r}, {rule!r})
seconds = time.process_time() - t
print(json.dumps({{"selected": out, "seconds": seconds, "rule_seconds": max(seconds - parse, 0.0)}}))
"""


class OutOfTime(Exception):
    pass


def _alarm(signum, frame):
    raise OutOfTime()


def pabutools(path: Path, rule: str, timeout: float):
    code = CHILD.format(root=str(ROOT), path=str(path), rule=rule)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1][:80] if done.stderr.strip() else "failed"
    return json.loads(done.stdout.strip().splitlines()[-1]), None


def read_floor(path: Path, engine: str, repeat: int) -> float:
    """Best CPU seconds to only read the file."""
    best = None
    for _ in range(repeat):
        t = time.process_time()
        election = read_pb(path, engine=engine)
        seconds = time.process_time() - t
        del election
        best = seconds if best is None else min(best, seconds)
    return best


def _read_explanation(result) -> None:
    for step in result.steps:
        step.message.msgid
    for tie in result.ties:
        tie.message.msgid


def ours(path: Path, rule: str, repeat: int, limit: float, engine: str = "auto", explain: bool = False):
    """(selected, best seconds, its parse seconds, Add1 steps) or Nones when a run takes longer than ``limit``;
    ``explain``: the explanation's steps and ties read inside the timing."""
    best, parse, selected, steps = None, None, None, None
    signal.signal(signal.SIGALRM, _alarm)
    read_pb(path, engine=engine)  # untimed, as the pabutools child's first parse
    for _ in range(repeat):
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            t = time.process_time()
            election = read_pb(path, engine=engine)
            parsed = time.process_time() - t
            result = count(election, rule, engine=engine)
            if explain:
                _read_explanation(result)
            seconds = time.process_time() - t
        except OutOfTime:
            return None, None, None, None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        selected = list(result.selected)
        if best is None or seconds < best:
            best, parse = seconds, parsed
        if "per_voter_budget" in result.options:  # pabutools counts the steps k = 0 .. K (the one over budget or exhaustive)
            n = sum(b.weight for b in election.ballots)
            steps = int(result.options["per_voter_budget"] - election.budget / n) + 2
        if seconds > 10:
            break  # slow enough to be measured once
    return selected, best, parse, steps


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per pabutools call")
    ap.add_argument("--our-timeout", type=float, default=30.0, help="seconds per pbtools call")
    ap.add_argument("--repeat", type=int, default=3, help="pbtools runs per call (the best counts; once if over 10 s)")
    ap.add_argument("--rules", nargs="*", default=list(RULES))
    ap.add_argument("--files", nargs="*", default=None, help="file names (default: every .pb)")
    ap.add_argument("--engines", nargs="*", default=["native", "python"], choices=("native", "python"),
                    help="pbtools engines to time (the first is compared with pabutools)")
    ap.add_argument("--explain", action="store_true", help="read each count's explanation (steps and ties) inside the timing")
    args = ap.parse_args()
    if "native" in args.engines and not BUILT:
        print("the native engine is not built here: timing the Python engine only")
        args.engines = ["python"]
    main_engine = args.engines[0]
    files = [PABULIB / f for f in args.files] if args.files else sorted(PABULIB.glob("*.pb"))
    timed_what = ("pbtools timed: read_pb + count(), "
                  + ("with the explanation (steps and ties) read inside the timing (--explain)" if args.explain else
                     "the explanation not read (its steps, and an Add1 count's ties and final run, are made when first "
                     "read; --explain reads them)"))
    print("start:", load(), flush=True)
    print(timed_what, flush=True)
    rows = []
    floors: dict[tuple[str, str], float] = {}
    for path in files:
        vote_type = read_pb(path).vote_type
        for engine in args.engines:
            floors[path.name, engine] = read_floor(path, engine, args.repeat)
        print(f"{path.name:58s} {'(read only)':16s} " + "  ".join(f"{e} {floors[path.name, e]:.4f}s" for e in args.engines), flush=True)
        mes_seconds = None
        for rule in args.rules:
            if rule == "phragmen" and vote_type not in ("approval", "choose-1"):
                continue  # pabutools' Phragmén takes approval profiles only
            selected, seconds, parse, steps = ours(path, rule, args.repeat, args.our_timeout, main_engine, args.explain)
            others = {e: ours(path, rule, args.repeat, args.our_timeout, e, args.explain) for e in args.engines[1:]}
            for e, other in others.items():
                if other[0] is not None and selected is not None and other[0] != selected:
                    print(f"ENGINES DIFFER: {path.name} {rule} {e}", flush=True)
            # pabutools' Add1 counts MES from scratch at each step (parsing once): about steps x its plain MES
            # time without the parse. Not started only where that is over twice the limit.
            predicted = (steps or 1) * mes_seconds if rule in NEEDS_MES and mes_seconds is not None else 0
            if predicted > 2 * args.timeout:
                ref, problem = None, "predicted"
            else:
                ref, problem = pabutools(path, rule, args.timeout)
            if rule == "mes":
                mes_seconds = ref["rule_seconds"] if ref else args.timeout if problem == "timeout" else None
            agree = None
            if ref is not None and selected is not None:
                theirs = ref["selected"]
                agree = sorted(selected) == sorted(theirs) if rule == "phragmen" else selected == theirs
            row = {"file": path.name, "rule": rule, "ours": seconds, "ref": ref["seconds"] if ref else None, "agree": agree, "problem": problem,
                   "ours_rule": None if seconds is None else seconds - parse, "ref_rule": ref["rule_seconds"] if ref else None,
                   "floor": floors[path.name, main_engine], "other": {e: o[1] for e, o in others.items()},
                   "engines_agree": all(o[0] is None or selected is None or o[0] == selected for o in others.values())}
            rows.append(row)
            status = "agree" if agree else ("DIFFER" if agree is False else problem or "-")
            # (to the microsecond: a tiny file's count takes a few hundred)
            mine_s = f"{seconds:9.6f}s" if seconds is not None else f">{args.our_timeout:.0f}s"
            theirs_s = f"{ref['seconds']:.4f}s" if ref else f">{args.timeout:.0f}s" if problem in ("timeout", "predicted") else "-"
            alone = f"  counting alone {row['ours_rule']:.4f}s / {row['ref_rule']:.3f}s" if ref and seconds is not None else ""
            other_s = "".join(f"  {e} {o:.3f}s" if o is not None else f"  {e} >{args.our_timeout:.0f}s" for e, o in row["other"].items())
            print(f"{path.name:58s} {rule:16s} pbtools {mine_s:>10s}{other_s}  pabutools {theirs_s:>8s}  {status}{alone}", flush=True)
    print("end:", load())
    print(timed_what)
    print()
    print(f"{'rule':16s} {'agree/compared':>14s} {'pbtools median':>14s} {'pbtools worst':>13s}  {'slowest file':44s} {'ratio median':>12s} {'ratio worst':>11s} {'no parse':>9s}")
    for rule in args.rules:
        rs = [r for r in rows if r["rule"] == rule]
        if not rs:
            continue
        compared = [r for r in rs if r["agree"] is not None]
        ratios = [r["ref"] / r["ours"] for r in compared]
        # the same without either side's parse: the counting alone
        counted = [r["ref_rule"] / max(r["ours_rule"], 1e-6) for r in compared]
        timed = [r for r in rs if r["ours"] is not None]
        unfinished = [r for r in rs if r["ours"] is None]
        slow = max(timed, key=lambda r: r["ours"]) if timed else None
        med = f"{statistics.median(r['ours'] for r in timed):.3f}s" if timed else "-"
        worst = f">{args.our_timeout:.0f}s" if unfinished else f"{slow['ours']:.3f}s" if slow else "-"
        slowest = unfinished[0]["file"] if unfinished else slow["file"] if slow else "-"
        agreed = sum(1 for r in compared if r["agree"])
        rmed = f"{statistics.median(ratios):.1f}x" if ratios else "-"
        rworst = f"{min(ratios):.1f}x" if ratios else "-"
        rcount = f"{statistics.median(counted):.1f}x" if counted else "-"
        print(f"{rule:16s} {agreed:>6d}/{len(compared):<7d} {med:>14s} {worst:>13s}  {slowest[:44]:44s} {rmed:>12s} {rworst:>11s} {rcount:>9s}")
    print()
    print(f"engine {main_engine}: reading alone (the floor) median {statistics.median(floors[f.name, main_engine] for f in files):.4f}s, "
          f"worst {max(floors[f.name, main_engine] for f in files):.4f}s"
          + "".join(f"; {e}: median {statistics.median(floors[f.name, e] for f in files):.4f}s, worst {max(floors[f.name, e] for f in files):.4f}s"
                    for e in args.engines[1:]))
    print(f"{'rule':16s} {'median':>8s} {'worst':>8s} {'under 1s':>9s} {'x above reading (median)':>25s} "
          + "".join(f"{e + '/' + main_engine + ' med':>18s} {'worst':>7s}" for e in args.engines[1:])
          + f" {'pabutools/' + main_engine + ' med':>22s} {'worst':>7s}")
    for rule in args.rules:
        timed = [r for r in rows if r["rule"] == rule and r["ours"] is not None]
        if not timed:
            continue
        total = len([r for r in rows if r["rule"] == rule])
        above = statistics.median(r["ours"] / max(r["floor"], 1e-6) for r in timed)
        line = f"{rule:16s} {statistics.median(r['ours'] for r in timed):7.3f}s {max(r['ours'] for r in timed):7.3f}s {sum(r['ours'] < 1 for r in timed):>4d}/{total:<4d} {above:>24.1f}x"
        for e in args.engines[1:]:
            ratios = [r["other"][e] / max(r["ours"], 1e-6) for r in timed if r["other"].get(e) is not None]
            line += f" {statistics.median(ratios):>17.2f}x {min(ratios):>6.2f}x" if ratios else f" {'-':>18s} {'-':>7s}"
        ratios = [r["ref"] / max(r["ours"], 1e-6) for r in timed if r["ref"] is not None]
        line += f" {statistics.median(ratios):>21.1f}x {min(ratios):>6.1f}x" if ratios else f" {'-':>22s} {'-':>7s}"
        print(line)
    for rule in args.rules:
        out = [r["file"] for r in rows if r["rule"] == rule and r["problem"] == "timeout"]
        if out:
            print(f"pabutools timed out ({rule}, > {args.timeout:.0f}s): {', '.join(out)}")
        out = [r["file"] for r in rows if r["rule"] == rule and r["problem"] == "predicted"]
        if out:
            print(f"pabutools not started ({rule}: Add1 steps x its plain MES time without parsing > {2 * args.timeout:.0f}s): {', '.join(out)}")
        mine = [r["file"] for r in rows if r["rule"] == rule and r["ours"] is None]
        if mine:
            print(f"pbtools did not finish ({rule}, > {args.our_timeout:.0f}s): {', '.join(mine)}")
    differ = [r for r in rows if r["agree"] is False or not r["engines_agree"]]
    for r in differ:
        print("DIFFER:", r["file"], r["rule"], "from pabutools" if r["agree"] is False else "between engines")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
