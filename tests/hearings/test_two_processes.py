"""A voting code is used once even when two processes try it at the same instant."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pbtools.hearings.store import HearingStore, state
from tests.hearings.conftest import build

ROOT = Path(__file__).resolve().parents[2]


def test_same_codes_from_two_processes_at_once(tmp_path, db_url):
    from pbtools.storage import open_workspace

    workspace = tmp_path / "ws"
    with open_workspace(workspace, db_url=db_url) as ws:
        codes = build(ws).issue_codes(40, actor="secretary")
    args = [sys.executable, "-m", "tests.hearings.code_child", str(workspace)] + ([db_url] if db_url else [])
    children = [subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:  # both hold every code, then start together
        child.stdin.write("\n".join(codes) + "\n")
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=120)[0].split("\n") for child in children]
    results = [dict(reversed(line.split(" ", 1)) for line in out if line) for out in outputs]
    for code in codes:
        assert sorted(r[code] for r in results) == ["ok", "used"], code
    with open_workspace(workspace, db_url=db_url) as ws:
        st = state(ws, "h1")
        assert len(st.ballots) == len(codes) == len(st.used_codes)
        assert ws.ledger.verify("hearing:h1") == []
        assert HearingStore(ws, "h1").verify() == []
