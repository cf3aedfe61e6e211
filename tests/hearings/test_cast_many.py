"""Ballots cast together (``cast_many``): checked like ``cast``, stored in one commit, refused ones in their slots.

Run as a script, this file is also the child of the crash test: it casts ballots ``ballot_for(i)`` from FIRST on,
BATCH at a time, printing ``ok <i> <seq>`` for each once its batch returned.

    python -m tests.hearings.test_cast_many WORKSPACE FIRST BATCH [DB_URL]

With ``race`` first, it casts COUNT ballots in batches while another child does the same, then prints the seqs of
its receipts and whether its store's state is the state folded afresh from the ledger.

    python -m tests.hearings.test_cast_many race WORKSPACE COUNT BATCH GO_FILE [DB_URL]
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.codes import code_hash, format_code, new_code
from pbtools.hearings.errors import CodeUsed
from pbtools.hearings.model import Ballot
from pbtools.hearings.store import CastItem, HearingError, HearingStore, Receipt, state
from pbtools.i18n import N_, Msg
from tests.hearings.conftest import build
from tests.hearings.crash_child import ballot_for

ROOT = Path(__file__).resolve().parents[2]


def one(*ids):
    return Ballot(tuple((i, 1) for i in ids))


def pool(codes: list[str]) -> list[CastItem]:
    """Accepted and refused ballots of every sort: bad ballots, bad, foreign, repeated and reused codes, device
    keys, double entry with automatic and given positions."""
    c = codes
    typo = c[5][:-1] + ("2" if c[5][-1] != "2" else "3")
    return [
        CastItem("single", one("P1"), "phone", "phone", code=c[0]),
        CastItem("single", one("P2"), "phone", "phone", code=c[0]),  # the same code again: refused
        CastItem("approval", one("P1", "P2"), "phone", "phone", code=c[0]),  # the same code, another question
        CastItem("approval", one("P1", "P2", "P3", "P4"), "phone", "phone", code=c[1]),  # too many choices
        CastItem("approval", one("P3"), "phone", "phone", code=c[1]),  # accepted: the refused one used nothing
        CastItem("points", Ballot((("P1", 3), ("P2", 2))), "phone", "phone", code=c[2]),
        CastItem("points", Ballot((("P1", 4), ("P2", 2))), "phone", "phone", code=c[3]),  # 6 of 5 points
        CastItem("ranking", Ballot((("P2", 1), ("P5", 2))), "phone", "phone", code=c[4]),
        CastItem("knapsack", one("P1", "P3"), "phone", "phone", code=c[4]),  # over the budget
        CastItem("motion", Ballot(answer="yes"), "phone", "phone", code=typo),
        CastItem("motion", Ballot(answer="no"), "phone", "phone", code=new_code()),  # never issued here
        CastItem("motion", Ballot(answer="abstain"), "phone", "phone", code=format_code(c[6]).lower()),
        CastItem("motion", Ballot(answer="yes"), "phone", "phone", code=c[6]),  # as typed differently: same code
        CastItem("motion", Ballot(answer="yes"), "phone", "phone", code=c[7]),  # used before the batch
        CastItem("nope", one("P1"), "phone", "phone", code=c[8]),
        CastItem("motion", Ballot(answer="no"), "phone:d1", "phone", key="device:motion:d1"),
        CastItem("motion", Ballot(answer="yes"), "phone:d1", "phone", key="device:motion:d1"),
        CastItem("single", one("P4"), "phone:d1", "phone", key="device:single:d1"),
        CastItem("single", one("P1"), "clerk 1", pile="A"),
        CastItem("single", one("P2"), "clerk 1", pile="A"),
        CastItem("single", one("P2"), "clerk 2", pile="A", entry=2),
        CastItem("single", one("P2"), "clerk 2", pile="A", entry=2, position=1),  # position 1 taken just before
        CastItem("single", one("P3"), "clerk 1", pile="A", code=c[9]),  # pile and code: its group ends here
        CastItem("single", one("P5"), "clerk 1", pile="A", code=c[9]),  # code used just before: refused
        CastItem("single", one("P5"), "clerk 1", pile="A"),  # so this one takes the next position
        CastItem("single", one("P5"), "clerk 2", entry=2),  # a second entry needs a pile
        CastItem("single", one("P2"), "clerk 3"),
    ]


def hearing_with_codes(ws, hearing_id: str, codes: list[str]) -> HearingStore:
    """An open hearing where ``codes`` are issued and ``codes[7]`` already voted on the motion."""
    store = build(ws, id=hearing_id)
    ws.ledger.append(store.stream, R.CODES_ISSUED, {"hashes": [code_hash(hearing_id, c) for c in codes]}, actor="secretary")
    store.cast("motion", Ballot(answer="no"), "phone", channel="phone", code=codes[7])
    store.cast("single", one("P5"), "clerk 1", pile="A")
    return store


def outcome(result):
    """What a voter would be told: the receipt (seq, question, running number) or the problems, in every language."""
    if isinstance(result, Receipt):
        return ("receipt", result.seq, result.question, result.number)
    return ("refused", *(result.render(lang) for lang in ("ky", "ru", "en")))


def stored(ws, hearing_id: str, codes: list[str]):
    st = state(ws, hearing_id)
    ballots = {seq: (b.question, b.ballot, b.channel, b.actor, b.pile, b.entry, b.position)
               for seq, b in (*st.ballots.items(), *st.checks.items())}
    codes_used = {(key.split(":")[0], codes.index(h)) for key in st.used_codes
                  for h in [next(c for c in codes if code_hash(hearing_id, c) == key.split(":")[1])]}
    return ballots, codes_used


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_casting_together_gives_what_casting_one_by_one_gives(ws, seed):
    codes = [new_code() for _ in range(10)]
    items = pool(codes)
    if seed is not None:
        random.Random(seed).shuffle(items)
    alone = hearing_with_codes(ws, "alone", codes)
    together = hearing_with_codes(ws, "together", codes)
    expected = []
    for item in items:
        try:
            expected.append(alone.cast(item.question_id, item.ballot, item.actor, channel=item.channel, code=item.code,
                                       key=item.key, pile=item.pile, entry=item.entry, position=item.position))
        except HearingError as e:
            expected.append(e)
    head = ws.ledger.head(together.stream)
    got = together.cast_many(items)
    assert [outcome(r) for r in got] == [outcome(r) for r in expected]
    assert sum(isinstance(r, Receipt) for r in got) >= 12 and sum(isinstance(r, HearingError) for r in got) >= 10
    assert stored(ws, "together", codes) == stored(ws, "alone", codes)
    assert together.state.ballots_for("single") == together.refresh().ballots_for("single")  # the store is up to date
    # the accepted ballots follow each other in the chain: one commit (two when a pile ballot had a code)
    seqs = sorted(r.seq for r in got if isinstance(r, Receipt))
    assert seqs == list(range(head + 1, head + 1 + len(seqs)))
    assert together.verify() == [] and alone.verify() == []


def test_the_refusal_names_the_problem_of_that_ballot_only(store):
    codes = store.issue_codes(2, actor="secretary")
    got = store.cast_many([
        CastItem("approval", one("P1", "P9"), "phone", "phone", code=codes[0]),
        CastItem("approval", one("P1"), "phone", "phone", code=codes[0]),
        CastItem("approval", one("P1"), "phone", "phone", code=codes[0]),
        CastItem("approval", one("P2"), "phone", "phone", code=codes[1]),
    ])
    assert [type(r) for r in got] == [HearingError, Receipt, CodeUsed, Receipt]  # the used code: its own class
    assert "P9" in got[0].render("ru") and "код" in got[2].render("ru").lower()
    assert [r.number for r in got if isinstance(r, Receipt)] == [1, 2]


def test_committed_ballots_keep_their_receipts_when_reading_them_back_fails(store, monkeypatch):
    """After the commit nothing may turn a stored ballot into a refusal: a phone cast again would be told its code
    was used, and never see its receipt."""
    import pbtools.hearings.store as store_module

    codes = store.issue_codes(2, actor="secretary")
    before = store.state.seq

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away after the commit")

    commit = store.ws.ledger.append_many

    def commit_then_break(*args, **kwargs):  # the reading back after the commit fails, not the commit
        written = commit(*args, **kwargs)
        m.setattr(store_module, "fold", broken)
        m.setattr(store, "refresh", broken)
        return written

    with monkeypatch.context() as m:
        m.setattr(store.ws.ledger, "append_many", commit_then_break)
        got = store.cast_many([CastItem("approval", one("P1"), "phone", "phone", code=c) for c in codes])
    assert [type(r) for r in got] == [Receipt, Receipt]
    assert [r.seq for r in got] == [before + 1, before + 2]
    st = store.refresh()  # read again from the ledger: both are there, once
    assert sorted(b.seq for b in st.ballots_for("approval"))[-2:] == [before + 1, before + 2]
    assert all(isinstance(r, HearingError) for r in store.cast_many([CastItem("approval", one("P1"), "phone", "phone", code=c) for c in codes]))


def test_a_closed_or_not_yet_open_hearing_refuses_every_ballot(ws):
    draft = build(ws, open_it=False, id="draft")
    got = draft.cast_many([CastItem("single", one("P1"), "clerk"), CastItem("single", one("P2"), "clerk")])
    assert [r.render("en") for r in got] == ["Voting has not been opened yet"] * 2
    closed = build(ws, id="closed")
    closed.close(actor="chair")
    got = closed.cast_many([CastItem("single", one("P1"), "clerk")])
    assert got[0].render("ky") == Msg(N_("The hearing is closed; nothing can be changed")).render("ky")
    assert state(ws, "closed").ballots == {} and closed.verify() == []
    assert draft.cast_many([]) == []


# -- SIGKILL while batches are being committed

def run_and_kill(workspace: Path, first: int, batch: int, kill_after: int, db_url: str | None) -> list[tuple[int, int]]:
    args = [sys.executable, "-m", "tests.hearings.test_cast_many", str(workspace), str(first), str(batch)] + ([db_url] if db_url else [])
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1)
    lines = []
    try:
        assert child.stdout.readline().strip() == "ready"
        while len(lines) < kill_after:
            lines.append(child.stdout.readline())
            assert lines[-1].startswith("ok "), lines[-1]
        os.kill(child.pid, signal.SIGKILL)  # most likely during a batch
        # printed before the kill: confirmed too. Read through the same buffered reader (communicate() would
        # read the pipe directly, missing what readline() already buffered); the child is dead, so EOF comes.
        lines.append(child.stdout.read())
    finally:
        child.kill()
        child.wait()
    return [(int(i), int(seq)) for i, seq in re.findall(r"^ok (\d+) (\d+)\n", "".join(lines), re.MULTILINE)]


def test_sigkill_during_batches_loses_no_confirmed_ballot(tmp_path, db_url):
    from pbtools.storage import open_workspace

    workspace, batch = tmp_path / "ws", 7
    with open_workspace(workspace, db_url=db_url) as ws:
        build(ws)
    rng = random.Random(11)
    confirmed: list[tuple[int, int]] = []
    next_i = 0
    for _ in range(4):
        receipts = run_and_kill(workspace, next_i, batch, rng.randint(5, 60), db_url)
        confirmed += receipts
        with open_workspace(workspace, db_url=db_url) as ws:
            ballots = sorted(state(ws, "h1").ballots.values(), key=lambda b: b.seq)
            by_seq = {b.seq: b for b in ballots}
            for i, seq in confirmed:
                assert by_seq[seq].ballot == ballot_for(i)
            # nothing twice, nothing out of order; unconfirmed: at most the batch committed as the kill came
            assert [b.ballot for b in ballots] == [ballot_for(i) for i in range(len(ballots))]
            assert len(receipts) <= len(ballots) - next_i <= len(receipts) + batch
            assert ws.ledger.verify("hearing:h1") == []
            next_i = len(ballots)
    assert len(confirmed) >= 20


def test_two_processes_casting_batches_at_once_keep_their_states_whole(tmp_path, db_url):
    """Each store folds its own batch without reading it back only when nobody wrote in between; otherwise it reads."""
    from pbtools.storage import open_workspace

    workspace, go = tmp_path / "ws", tmp_path / "go"
    with open_workspace(workspace, db_url=db_url) as ws:
        build(ws)
    args = [sys.executable, "-m", "tests.hearings.test_cast_many", "race", str(workspace), "240", "3", str(go)] + ([db_url] if db_url else [])
    children = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    outputs = [child.communicate(timeout=300)[0].split() for child in children]
    assert all(child.returncode == 0 for child in children)
    assert [out[0] for out in outputs] == ["whole", "whole"], outputs
    seqs = [int(seq) for out in outputs for seq in out[1:]]
    with open_workspace(workspace, db_url=db_url) as ws:
        st = state(ws, "h1")
        assert sorted(seqs) == sorted(b.seq for b in st.ballots_for("approval")) and len(seqs) == 480
        assert ws.ledger.verify("hearing:h1") == []
    first, second = ([int(x) for x in out[1:]] for out in outputs)
    assert min(first) < max(second) and min(second) < max(first), "one finished before the other began: nothing raced"


def race_main(workspace: str, count: str, batch: str, go: str, db_url: str | None = None) -> None:
    from pbtools.hearings.fold import fold
    from pbtools.storage import open_workspace

    with open_workspace(workspace, db_url=db_url) as ws:
        store = HearingStore(ws, "h1")
        print("ready", flush=True)
        while not Path(go).exists():
            time.sleep(0.001)
        seqs = []
        for start in range(0, int(count), int(batch)):
            got = store.cast_many([CastItem("approval", ballot_for(j), "clerk") for j in range(start, start + int(batch))])
            seqs += [r.seq for r in got]
            # a moment between batches, as between ballots in a hall: SQLite's busy wait backs off, so a process
            # that takes the lock again at once can starve the other, and then nothing races
            time.sleep(0.002)
        mine = store.state
        afresh = fold(ws.ledger.records(store.stream)[: mine.seq], hearing_id="h1")
        whole = mine.ballots == afresh.ballots and mine.seq == afresh.seq
        print("whole" if whole else "broken", *seqs, flush=True)


def child_main(workspace: str, first: str, batch: str, db_url: str | None = None) -> None:
    from pbtools.storage import open_workspace

    with open_workspace(workspace, db_url=db_url) as ws:
        store = HearingStore(ws, "h1")
        print("ready", flush=True)
        i, size = int(first), int(batch)
        while True:
            got = store.cast_many([CastItem("approval", ballot_for(j), "clerk") for j in range(i, i + size)])
            assert all(isinstance(receipt, Receipt) for receipt in got), got
            # printed only once the batch is committed; one write, so a kill cuts no line (PYTHONUNBUFFERED may be set)
            sys.stdout.write("".join(f"ok {j} {receipt.seq}\n" for j, receipt in enumerate(got, start=i)))
            sys.stdout.flush()
            i += size


if __name__ == "__main__":
    if sys.argv[1] == "race":
        race_main(*sys.argv[2:])
    else:
        child_main(*sys.argv[1:])
