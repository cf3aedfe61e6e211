"""Group commit: ``append_many`` writes several records in one transaction, each refused entry in its own slot.

Run as a script, this file is also the child process of the concurrency test:

    python -m tests.storage.test_append_many FOLDER DB_URL|- STREAM WORKER COUNT SHARED BATCH GO_FILE

It appends COUNT records keyed ``w<worker>-<i>`` and tries the SHARED keys ``shared-<j>`` that every worker tries,
BATCH at a time with ``append_many`` (BATCH 1: one ``append`` each), printing ``ok <seq> <key>`` or ``taken <key>``
for each once its call returned.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pbtools.storage import BadPayload, DatabaseUnavailable, Entry, KeyTaken, LedgerError, Record, StreamMoved, StreamSealed, VoidRefused, head_is

ROOT = Path(__file__).resolve().parents[2]


def one_by_one(ledger, stream, entries):
    """The reference: the same entries through ``append``, each refusal caught."""
    results = []
    for e in entries:
        try:
            results.append(ledger.append(stream, e.kind, e.payload, actor=e.actor, key=e.key, voids=e.voids, reason=e.reason))
        except LedgerError as error:
            results.append(error)
    return results


def same_outcome(a, b) -> bool:
    """Two results of the same entry agree: the same error (type and message) or the same record but its stream,
    time and hashes (which depend on the time)."""
    if isinstance(a, LedgerError) or isinstance(b, LedgerError):
        return type(a) is type(b) and a.render("en").replace("many", "one") == b.render("en").replace("many", "one")
    fields = lambda r: (r.seq, r.kind, r.payload, r.actor, r.key, r.voids, r.reason)  # noqa: E731
    return fields(a) == fields(b)


MIXED = [  # stream "one"/"many" already holds seq 1 (key "k0") and seq 2 (voided by seq 3)
    Entry("ballot", {"n": 1}, "clerk", key="k1"),
    Entry("ballot", {"n": 2}, "clerk", key="k0"),  # taken before the call
    Entry("ballot", {"n": 3}, "clerk", key="k1"),  # taken by the first entry of this call
    Entry("ballot", {"n": 4}, "phone", key="k4"),
    Entry("ballot", {"n": float("nan")}, "clerk", key="k5"),  # not JSON
    Entry("void", {}, "clerk", voids=1, reason="typo"),
    Entry("void", {}, "clerk", voids=1, reason="twice"),  # voided by the entry before, in this call
    Entry("void", {}, "clerk", voids=2, reason="again"),  # voided before the call
    Entry("void", {}, "clerk", voids=4, reason="in this call"),  # seq 4 is the first record of this call
    Entry("void", {}, "clerk", voids=99, reason="no such"),
    Entry("ballot", {"text": "Жаңы-Жол, өң"}, "Айгүл", key="k5"),  # k5 free: the entry that named it was refused
]


def prefill(ledger, stream):
    ledger.append(stream, "ballot", {"n": 0}, actor="clerk", key="k0")
    ledger.append(stream, "ballot", {"n": -1}, actor="clerk")
    ledger.append(stream, "void", {}, actor="clerk", voids=2, reason="before")


def test_refused_entries_keep_their_slot_and_the_rest_is_committed_as_one_by_one_would(ws):
    for stream in ("one", "many"):
        prefill(ws.ledger, stream)
    expected = one_by_one(ws.ledger, "one", MIXED)
    got = ws.ledger.append_many("many", MIXED)
    assert len(got) == len(MIXED)
    assert all(same_outcome(a, b) for a, b in zip(got, expected)), list(zip(got, expected))
    kinds = [type(r).__name__ for r in got]
    assert kinds == ["Record", "KeyTaken", "KeyTaken", "Record", "BadPayload", "Record", "VoidRefused", "VoidRefused",
                     "Record", "VoidRefused", "Record"]
    written = [r for r in got if isinstance(r, Record)]
    assert [r.seq for r in written] == [4, 5, 6, 7, 8]  # no gaps over the committed ones
    assert ws.ledger.records("many", after_seq=3) == written  # what was returned is what is stored
    assert ws.ledger.head("many") == 8 and ws.ledger.verify("many") == []
    assert "k1" in got[2].render("ky") and "1" in got[6].render("ru")


def test_keys_of_one_call_clash_with_each_other_and_with_stored_ones(ws):
    ws.ledger.append("s", "ballot", {}, key="code:q1:a")
    entries = [Entry("ballot", {"i": i}, key=key) for i, key in enumerate(["code:q1:b", "code:q1:a", "code:q2:a", "code:q1:b", None, None])]
    got = ws.ledger.append_many("s", entries)
    assert [isinstance(r, KeyTaken) for r in got] == [False, True, False, True, False, False]
    assert [r.seq for r in got if isinstance(r, Record)] == [2, 3, 4, 5]
    assert [r.payload["i"] for r in ws.ledger.records("s", after_seq=1)] == [0, 2, 4, 5]
    assert ws.ledger.verify("s") == []


def test_all_or_nothing_rolls_the_whole_call_back_when_one_entry_is_refused(ws):
    first = ws.ledger.append("s", "ballot", {"i": 0})
    ws.ledger.append("s", "void", {}, voids=first.seq)  # another screen voided it a moment ago
    # a correction: void the old ballot and store the right one; the void is refused, so the ballot must not stay
    got = ws.ledger.append_many("s", [Entry("void", {}, voids=first.seq), Entry("ballot", {"i": 1}, key="p:1")],
                                all_or_nothing=True)
    assert [type(r) for r in got] == [VoidRefused, VoidRefused]
    assert ws.ledger.head("s") == 2 and ws.ledger.verify("s") == []
    assert ws.ledger.append("s", "ballot", {"i": 2}, key="p:1").seq == 3  # its key was never taken


def test_head_is_writes_only_over_the_record_the_write_was_based_on(target):
    """A form saved over what it was loaded from: if another record came in since, nothing is written."""
    with target.open() as ws:
        assert type(ws.ledger.append_many("s", [Entry("x", {})], check=head_is(1))[0]) is StreamMoved  # no record 1 yet
        assert "s" not in ws.ledger.streams()
        assert ws.ledger.append_many("s", [Entry("x", {"i": 1})], check=head_is(0))[0].seq == 1
        ws.ledger.append("s", "x", {"i": 2})  # another screen, a moment before
        got = ws.ledger.append_many("s", [Entry("x", {"i": 3}), Entry("x", {"i": 4})], all_or_nothing=True, check=head_is(1))
        assert [type(r) for r in got] == [StreamMoved, StreamMoved] and "2" in got[0].render("en")
        assert ws.ledger.head("s") == 2 and ws.ledger.verify("s") == []
        assert [r.seq for r in ws.ledger.append_many("s", [Entry("x", {"i": 3})], check=head_is(2))] == [3]


def test_a_check_reads_the_stream_under_its_lock_and_its_refusal_is_every_entrys(ws):
    """The one way to check before writing: the check sees the stream as it is with the lock held (head, records);
    the refusal it returns is every entry's (but a bad payload's own) and nothing is written, not even the stream's
    row; a sealed stream refuses without asking it."""
    from pbtools.i18n import Msg
    from tests.storage.locks import stream_locked

    seen = []
    refusal = LedgerError(Msg("not now"))

    def check(locked):
        seen.append((locked.stream, locked.head, [r.payload for r in locked.records(after_seq=1)]))
        if locked.head:  # the stream's row exists (committed) for another connection to find locked
            assert stream_locked(ws.url, locked.stream)
        return refusal if locked.stream == "t" else None

    got = ws.ledger.append_many("t", [Entry("x", {"i": 1}), Entry("x", ["bad"])], check=check)
    assert got[0] is refusal and type(got[1]) is BadPayload and "t" not in ws.ledger.streams()
    ws.ledger.append_many("s", [Entry("x", {"i": 1}), Entry("x", {"i": 2})])
    assert [r.seq for r in ws.ledger.append_many("s", [Entry("x", {"i": 3})], check=check)] == [3]
    assert seen == [("t", 0, []), ("s", 2, [{"i": 2}])]
    ws.ledger.seal("s", actor="chair")
    assert type(ws.ledger.append_many("s", [Entry("x", {})], check=check)[0]) is StreamSealed and len(seen) == 2


def test_a_sealed_stream_refuses_every_entry_and_nothing_is_written(ws):
    ws.ledger.append("s", "ballot", {})
    ws.ledger.seal("s", actor="chair")
    got = ws.ledger.append_many("s", [Entry("ballot", {"i": i}, key=f"k{i}") for i in range(3)] + [Entry("ballot", ["x"])])
    assert [type(r) for r in got] == [StreamSealed, StreamSealed, StreamSealed, BadPayload]
    assert ws.ledger.head("s") == 2 and ws.ledger.verify("s") == []


def test_when_every_entry_is_refused_not_even_the_stream_is_created(ws):
    got = ws.ledger.append_many("new", [Entry("void", {}, voids=1), Entry("ballot", {"x": object()})])
    assert [type(r) for r in got] == [VoidRefused, BadPayload]
    assert ws.ledger.streams() == [] and ws.ledger.head("new") == 0
    assert ws.ledger.append_many("new", []) == []


@pytest.mark.parametrize("bad, error", [(Entry("", {}), ValueError), (Entry("k", {}, actor="a\x00b"), ValueError),
                                        (Entry("k", {}, voids="1"), TypeError), (Entry("k", {}, voids=True), TypeError)])
def test_a_malformed_call_raises_and_writes_nothing(ws, bad, error):
    with pytest.raises(error):
        ws.ledger.append_many("s", [Entry("k", {"ok": 1}), bad])
    assert ws.ledger.head("s") == 0


def test_a_call_that_cannot_get_the_lock_says_so_in_every_slot_and_writes_nothing(tmp_path):
    from tests.storage.test_sqlite_engine import hold_write_lock

    from pbtools.storage import Ledger, open_workspace
    from pbtools.storage.engine import make_engine, sqlite_url

    open_workspace(tmp_path).close()
    ledger = Ledger(make_engine(sqlite_url(tmp_path), busy_timeout_s=0.2))
    timer = hold_write_lock(tmp_path, 1.0)
    got = ledger.append_many("s", [Entry("k", {"i": 1}, key="a"), Entry("k", {"i": 2}), Entry("k", [2])])
    timer.join()
    assert [type(r) for r in got] == [DatabaseUnavailable, DatabaseUnavailable, BadPayload]
    assert "s" in got[0].render("ky")
    assert ledger.head("s") == 0
    assert [r.seq for r in ledger.append_many("s", [Entry("k", {"i": 1}, key="a"), Entry("k", {"i": 2})])] == [1, 2]
    ledger.engine.dispose()


def test_the_records_of_one_call_hash_like_those_appended_alone(ws):
    from tests.storage.test_ledger import reference_hash

    got = ws.ledger.append_many("s", [Entry("ballot", {"i": i, "nested": [1, 2.5, None]}, actor="Айгүл") for i in range(4)])
    assert [r.prev_hash for r in got] == [""] + [r.hash for r in got[:-1]]
    assert all(r.hash == reference_hash(r) for r in got)
    assert ws.ledger.records("s") == got and ws.ledger.verify("s") == []


# -- several processes, some appending one by one, some in batches

def start_worker(target, stream, worker, count, shared, batch, go):
    args = [sys.executable, "-m", "tests.storage.test_append_many", str(target.folder), target.arg, stream,
            str(worker), str(count), str(shared), str(batch), str(go)]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_processes_mixing_append_and_append_many_keep_one_chain_and_each_key_once(target, tmp_path):
    with target.open():
        pass
    batches, own, shared = [1, 5, 1, 12], 36, 15
    go = tmp_path / "go"
    procs = [start_worker(target, "hearing:x", w, own, shared, batch, go) for w, batch in enumerate(batches)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    go.touch()
    ok, taken = {}, []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        for line in filter(None, out.split("\n")):
            word, *rest = line.split()
            if word == "ok":
                assert int(rest[0]) not in ok
                ok[int(rest[0])] = rest[1]
            else:
                taken.append(rest[0])
    with target.open(create=False) as ws:
        records = ws.ledger.records("hearing:x")
        assert ws.ledger.verify("hearing:x") == []
    assert [r.seq for r in records] == list(range(1, len(batches) * own + shared + 1))
    assert {r.seq: r.key for r in records} == ok
    assert sorted(k for k in ok.values() if k.startswith("shared-")) == sorted(f"shared-{j}" for j in range(shared))
    assert sorted(taken) == sorted(f"shared-{j}" for j in range(shared) for _ in range(len(batches) - 1))
    # the records of one append_many call are contiguous: no other process's record lands inside a call
    calls: dict[str, list[int]] = {}
    for record in records:
        calls.setdefault(record.payload["call"], []).append(record.seq)
    assert all(seqs == list(range(seqs[0], seqs[0] + len(seqs))) for seqs in calls.values())
    assert max(len(seqs) for seqs in calls.values()) > 1


def worker_main(folder: str, db_url: str, stream: str, worker: str, count: str, shared: str, batch: str, go: str) -> None:
    from pbtools.storage import open_workspace

    ws = open_workspace(Path(folder), db_url=None if db_url == "-" else db_url)
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.005)
    keys = [f"w{worker}-{i}" for i in range(int(count))]
    order = keys[: len(keys) // 2] + [f"shared-{j}" for j in range(int(shared))] + keys[len(keys) // 2:]
    size = int(batch)
    for start in range(0, len(order), size):
        chunk = order[start:start + size]
        payload = {"worker": worker, "call": f"{worker}/{start}"}
        if size == 1:
            try:
                results = [ws.ledger.append(stream, "test.append", payload, actor=f"worker {worker}", key=chunk[0])]
            except KeyTaken as e:
                results = [e]
        else:
            results = ws.ledger.append_many(stream, [Entry("test.append", payload, f"worker {worker}", key) for key in chunk])
        for key, result in zip(chunk, results):
            print(f"ok {result.seq} {key}" if isinstance(result, Record) else f"taken {key}", flush=True)
    ws.close()


if __name__ == "__main__":
    worker_main(*sys.argv[1:])


def test_a_check_reads_another_stream_as_the_write_sees_it(target):
    """A write decided on another stream's records (a hearing's options made of a needs assessment's top problems)
    reads that stream's head inside its transaction (``Locked.other``), locking its row on PostgreSQL; a stream with
    no record yet is (0, "") and gets no row from being read."""
    heads = []

    def check(locked):
        other = locked.other("needs")
        heads.append((other.head, other.head_hash, other.holds(1, first.hash) if first else True))
        return None

    with target.open() as ws:
        first = None
        ws.ledger.append("hearing", "x", {}, check=check)
        assert heads == [(0, "", True)] and "needs" not in ws.ledger.streams()
        first = ws.ledger.append("needs", "x", {"i": 1})
        second = ws.ledger.append("needs", "x", {"i": 2})
        ws.ledger.append("hearing", "x", {}, check=check)
        assert heads[1] == (2, second.hash, True)
