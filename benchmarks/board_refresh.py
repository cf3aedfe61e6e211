"""Results board refresh with 10,000 ballots: one new ballot arrives, the board folds it, counts and redraws.

Builds an open hearing (12 options, an approval question, 10,000 paper ballots through ``HearingStore.cast``) in a
temporary workspace, then repeats: append one ballot through another ``HearingStore`` (not timed), and time the results
app's own ``poll()`` (fold the new record, count by the question's rule, draw the board chart to PNG). Also times
the count alone by each rule. Baseline, measured in the same run: folding all the hearing's records from scratch.
Target (issue 5): a refresh within 300 ms on a 2-core machine.

    .venv/bin/python benchmarks/board_refresh.py [--ballots 10000] [--repeats 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.hearings import records as R  # noqa: E402
from pbtools.hearings.model import APPROVAL, PB_VOTE, Ballot, Hearing, Option, Question  # noqa: E402
from pbtools.hearings.store import HearingStore, create_hearing, state  # noqa: E402
from pbtools.results.board import set_results_hidden  # noqa: E402
from pbtools.results.count import count_question  # noqa: E402
from pbtools.storage import open_workspace  # noqa: E402

OPTIONS = 12


def build(ws, ballots: int, seed: int = 5) -> HearingStore:
    rng = random.Random(seed)
    hearing = Hearing("bench", "Ак-Суу айыл аймагы", PB_VOTE, "2026-05-14", villages=("Ак-Суу", "Кара-Булак"), budget=Decimal(3_000_000))
    store = create_hearing(ws, hearing, actor="bench")
    store.add_options([Option(f"P{n}", n, {"ky": f"Долбоор {n}", "ru": f"Проект {n}", "en": f"Project {n}"},
                              Decimal(rng.randrange(150, 1500) * 1000)) for n in range(1, OPTIONS + 1)], actor="bench")
    ids = tuple(f"P{n}" for n in range(1, OPTIONS + 1))
    store.define_question(Question("q1", APPROVAL, {"en": "Choose up to 4"}, ids, max_choices=4), actor="bench")
    store.open(actor="bench")
    weights = [OPTIONS - i + rng.random() * 4 for i in range(OPTIONS)]
    for _ in range(ballots):  # appended as cast() appends them, without its per-ballot check, to build quickly
        chosen = set(rng.choices(ids, weights, k=rng.randint(1, 4)))
        ballot = Ballot(tuple((o, 1) for o in sorted(chosen)))
        ws.ledger.append(store.stream, R.BALLOT_CAST, {"question": "q1", "ballot": ballot.to_json(), "channel": "paper"}, actor="bench")
    store.refresh()
    return store


def timed(fn, repeats: int, before=None) -> list[float]:
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    from pbtools_widgets.results_app import ResultsApp

    folder = Path(tempfile.mkdtemp(prefix="pbtools-board-"))
    with open_workspace(folder) as ws:
        start = time.perf_counter()
        store = build(ws, args.ballots)
        print(f"built {args.ballots} ballots in {time.perf_counter() - start:.1f} s ({os.cpu_count()} CPUs)")
        set_results_hidden(ws, store.id, False)
        app = ResultsApp(ws, lang="ky")
        other = HearingStore(ws, store.id)  # the clerk's laptop, another process in the hall
        rng = random.Random(1)

        def new_ballot() -> None:
            other.cast("q1", Ballot(tuple((f"P{n}", 1) for n in sorted(rng.sample(range(1, OPTIONS + 1), 3)))), actor="clerk")

        rows = [("fold all records from scratch (baseline)", timed(lambda: state(ws, store.id), args.repeats))]
        rows.append(("board refresh: fold + count + redraw", timed(app.poll, args.repeats, before=new_ballot)))
        st = app.store.state
        for rule in ("greedy", "mes", "phragmen"):
            rows.append((f"count alone: {rule}", timed(lambda: count_question(st, "q1", rule), args.repeats)))
        assert app.board is not None and app.board.ballots == len(st.ballots_for("q1"))
    base = statistics.median(rows[0][1])
    print(f"{'':44} {'median ms':>10} {'p95 ms':>8} {'vs baseline':>12}")
    for name, times in rows:
        median = statistics.median(times)
        print(f"{name:44} {median * 1000:10.1f} {p95(times) * 1000:8.1f} {median / base:11.2f}x")
    print("target: board refresh p95 <= 300 ms on a 2-core machine")


if __name__ == "__main__":
    main()
