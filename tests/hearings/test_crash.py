"""SIGKILL while ballots are being typed: after restart every confirmed ballot is there, none twice, chain intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from pbtools.hearings.store import state
from tests.hearings.conftest import build
from tests.hearings.crash_child import ballot_for

ROOT = Path(__file__).resolve().parents[2]


def run_and_kill(workspace: Path, first: int, kill_after: int, db_url: str | None,
                 child_module: str = "tests.hearings.crash_child") -> list[tuple[int, int]]:
    """Start the child at ballot ``first``, SIGKILL it once ``kill_after`` ballots were confirmed (``ok i n`` lines:
    ballot i, and the receipt's seq or the number its screen showed); the confirmations seen."""
    args = [sys.executable, "-m", child_module, str(workspace), str(first)] + ([db_url] if db_url else [])
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1)
    receipts = []
    try:
        assert child.stdout.readline().strip() == "ready"
        while len(receipts) < kill_after:
            line = child.stdout.readline()
            assert line.startswith("ok "), line
            _, i, seq = line.split()
            receipts.append((int(i), int(seq)))
        os.kill(child.pid, signal.SIGKILL)  # mid-way through the next ballot, most likely
    finally:
        child.kill()
        child.wait()
    # what it confirmed between the last line read and the kill (a loaded machine lets it run on a few ballots)
    for line in child.stdout.read().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ok":  # (a line cut by the kill was not shown whole: not confirmed)
            receipts.append((int(parts[1]), int(parts[2])))
    child.stdout.close()
    return receipts


def test_sigkill_loses_no_confirmed_ballot(tmp_path, db_url):
    from pbtools.storage import open_workspace

    workspace = tmp_path / "ws"
    with open_workspace(workspace, db_url=db_url) as ws:
        build(ws)
    rng = random.Random(7)
    confirmed: list[tuple[int, int]] = []
    next_i = 0
    earlier = 0  # committed but not confirmed in the runs before (each run may leave one)
    for _ in range(4):
        confirmed += run_and_kill(workspace, next_i, rng.randint(5, 60), db_url)
        with open_workspace(workspace, db_url=db_url) as ws:
            st = state(ws, "h1")
            stored = sorted(st.ballots.values(), key=lambda b: b.seq)
            # every confirmed receipt is there, with the ballot it confirmed
            by_seq = {b.seq: b for b in stored}
            for i, seq in confirmed:
                assert by_seq[seq].ballot == ballot_for(i)
            # nothing twice: the stored ballots are exactly ballots 0, 1, 2, ... in order; at most one more than
            # confirmed (committed just before the kill, its receipt not yet printed)
            assert [b.ballot for b in stored] == [ballot_for(i) for i in range(len(stored))]
            assert len(confirmed) + earlier <= len(stored) <= len(confirmed) + earlier + 1
            assert ws.ledger.verify("hearing:h1") == []
            next_i, earlier = len(stored), len(stored) - len(confirmed)
    assert len(confirmed) >= 20


def test_sigkill_of_the_console_loses_no_ballot_its_screen_confirmed(tmp_path, db_url):
    from pbtools.storage import open_workspace

    workspace = tmp_path / "ws"
    with open_workspace(workspace, db_url=db_url) as ws:
        build(ws)
    rng = random.Random(11)
    confirmed: list[tuple[int, int]] = []
    next_i = 0
    earlier = 0  # committed but not confirmed in the runs before (each run may leave one)
    for _ in range(3):
        confirmed += run_and_kill(workspace, next_i, rng.randint(5, 40), db_url, "tests.hearings.console_crash_child")
        with open_workspace(workspace, db_url=db_url) as ws:
            stored = sorted(state(ws, "h1").ballots_for("approval"), key=lambda b: b.seq)
            # ballot number n on the screen is the n-th stored ballot, and it is the one typed
            for i, number in confirmed:
                assert stored[number - 1].ballot == ballot_for(i)
            # nothing twice, nothing out of order; at most one committed after the last confirmation
            assert [b.ballot for b in stored] == [ballot_for(i) for i in range(len(stored))]
            assert len(confirmed) + earlier <= len(stored) <= len(confirmed) + earlier + 1
            assert all(b.voter == {"sex": "f"} and b.channel == "paper" for b in stored)
            assert ws.ledger.verify("hearing:h1") == []
            next_i, earlier = len(stored), len(stored) - len(confirmed)
    assert len(confirmed) >= 15
