"""What a screen's poll pays for reading on only from a record still the stream's (``after_hash``): the record it
folded last is read again and its hash compared, and the poll's "anything new?" compares the head's hash too.

Builds a stream of ``--records`` small records (a hearing's ballots) in a temporary SQLite workspace, and times, in
the same run:

- ``records(after_seq)`` (the baseline: by number alone) against ``records(after_seq, after_hash)``, with nothing new
  and with one new record per poll, after a small last record and after a large one (10,000 codes' hashes, as
  ``issue_codes(10000)`` writes);
- ``head`` against ``tip`` (the console's and the results board's ``has_news``);
- a read through an engine that follows its file (``engine._follow_file``: one ``stat`` per use) against one that
  does not;
- ``HearingStore.refresh()`` with nothing new (the console's poll when ``has_news`` said so).

    .venv/bin/python benchmarks/fold_poll.py [--records 5000] [--polls 2000]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from pbtools.hearings.model import PB_VOTE, Hearing  # noqa: E402
from pbtools.hearings.store import create_hearing  # noqa: E402
from pbtools.storage import Entry, open_workspace  # noqa: E402
from pbtools.storage.engine import make_engine, sqlite_url  # noqa: E402
from pbtools.storage.ledger import Ledger  # noqa: E402

STREAM = "bench:ballots"


def timed(fn, polls: int) -> tuple[float, float]:
    """(median, p95) of ``fn()`` in microseconds."""
    fn()
    times = []
    for _ in range(polls):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def line(name: str, base: tuple[float, float], checked: tuple[float, float]) -> None:
    print(f"{name:52} {base[0]:8.1f} {checked[0]:8.1f} µs  (p95 {base[1]:7.1f} {checked[1]:7.1f})  x{checked[0] / base[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--polls", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "ws") as ws:
        ledger = ws.ledger
        for start in range(0, args.records, 500):
            ledger.append_many(STREAM, [Entry("ballot.cast", {"question": "q1", "ballot": [["P3", 1]], "channel": "paper"})
                                        for _ in range(min(500, args.records - start))])
        print(f"{args.records} records; {args.polls} polls each; median µs: by seq alone | with the hash")
        last = ledger.records(STREAM, after_seq=args.records - 1)[-1]
        line("nothing new, small last record", timed(lambda: ledger.records(STREAM, after_seq=last.seq), args.polls),
             timed(lambda: ledger.records(STREAM, after_seq=last.seq, after_hash=last.hash), args.polls))

        def one_new(hashed: bool):
            point = [ledger.records(STREAM, after_seq=ledger.head(STREAM) - 1)[-1]]

            def poll():
                ledger.append(STREAM, "ballot.cast", {"question": "q1", "ballot": [["P1", 1]], "channel": "phone"})
                t = time.perf_counter()
                new = ledger.records(STREAM, after_seq=point[0].seq, after_hash=point[0].hash if hashed else None)
                point[0] = new[-1]
                return time.perf_counter() - t
            times = sorted(poll() * 1e6 for _ in range(max(50, args.polls // 10)))
            return statistics.median(times), times[int(len(times) * 0.95)]
        line("one new record per poll (the read only)", one_new(False), one_new(True))

        codes = ledger.append(STREAM, "codes.issued", {"hashes": [secrets.token_hex(16) for _ in range(10000)]})
        line("nothing new, last record 10,000 codes' hashes", timed(lambda: ledger.records(STREAM, after_seq=codes.seq), args.polls),
             timed(lambda: ledger.records(STREAM, after_seq=codes.seq, after_hash=codes.hash), args.polls))
        line("has_news: head | tip", timed(lambda: ledger.head(STREAM), args.polls), timed(lambda: ledger.tip(STREAM), args.polls))

        unfollowing = make_engine(sqlite_url(Path(tmp) / "ws"))
        for listener in list(unfollowing.pool.dispatch.checkout):  # the same engine but for the file's ``stat``
            event.remove(unfollowing, "checkout", listener)
        plain = Ledger(unfollowing)
        line("head: engine not following | following its file", timed(lambda: plain.head(STREAM), args.polls),
             timed(lambda: ledger.head(STREAM), args.polls))
        unfollowing.dispose()

        store = create_hearing(ws, Hearing("", "Ак-Суу айыл аймагы", PB_VOTE, "2026-05-14", villages=("Ак-Суу",)), actor="bench")
        for _ in range(20):
            store.update(actor="bench", venue="school")
        unchecked = timed(lambda: ledger.records(store.stream, after_seq=store.state.seq), args.polls)
        line("HearingStore.refresh(), nothing new (baseline: the read by seq)", unchecked, timed(store.refresh, args.polls))


if __name__ == "__main__":
    main()
