"""Several real processes appending to one stream at once, and a process killed (SIGKILL) in the middle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_appender(target, stream, worker, count, shared, go=""):
    args = [sys.executable, "-m", "tests.storage.appender", str(target.folder), target.arg, stream, str(worker),
            str(count), str(shared)] + ([str(go)] if go else [])
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_processes_keep_the_chain_whole_and_each_key_once(target, tmp_path):
    with target.open():
        pass  # create the workspace first, so the workers only open it
    workers, own, shared = 4, 40, 15
    go = tmp_path / "go"
    procs = [start_appender(target, "hearing:x", w, own, shared, go) for w in range(workers)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    go.touch()
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outputs.append(out.split("\n"))
    ok = {}  # seq -> key, as the workers saw their appends return
    taken = []
    for lines in outputs:
        for line in filter(None, lines):
            word, *rest = line.split()
            if word == "ok":
                ok[int(rest[0])] = rest[1]
            else:
                taken.append(rest[0])
    with target.open(create=False) as ws:
        records = ws.ledger.records("hearing:x")
        assert ws.ledger.verify("hearing:x") == []
        assert ws.ledger.head("hearing:x") == len(records)
    assert [r.seq for r in records] == list(range(1, workers * own + shared + 1))
    assert {r.seq: r.key for r in records} == ok
    keys = [r.key for r in records]
    assert len(set(keys)) == len(keys)
    assert sorted(k for k in keys if k.startswith("shared-")) == sorted(f"shared-{j}" for j in range(shared))
    assert sorted(taken) == sorted(f"shared-{j}" for j in range(shared) for _ in range(workers - 1))


def test_a_killed_appender_loses_no_confirmed_record(target):
    with target.open():
        pass
    proc = start_appender(target, "hearing:y", 1, 5000, 0)
    assert proc.stdout.readline().strip() == "ready"
    confirmed = {}
    while len(confirmed) < 150:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        _, seq, key = line.split()
        confirmed[int(seq)] = key
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=60)  # lines printed before the kill also count as confirmed
    for line in filter(None, rest.split("\n")):
        _, seq, key = line.split()
        confirmed[int(seq)] = key
    assert proc.returncode == -signal.SIGKILL
    with target.open(create=False) as ws:
        records = ws.ledger.records("hearing:y")
        assert ws.ledger.verify("hearing:y") == []
    stored = {r.seq: r.key for r in records}
    assert len(records) < 5000, "the appender finished before it was killed; the test proved nothing"
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    assert {seq: stored.get(seq) for seq in confirmed} == confirmed
    assert len(set(stored.values())) == len(stored)
