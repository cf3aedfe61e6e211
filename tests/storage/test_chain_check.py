"""A row changed in the database behind pbtools' back (with sqlite3) stops `hearing show`, the board, the protocol
and every export, with a message naming the record and what to do; nothing is written."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from pbtools.hearings.model import Ballot
from pbtools.hearings.store import HearingStore
from pbtools.i18n import Msg, N_
from pbtools.results.board import chain_problem
from pbtools.storage import open_workspace
from tests.server.hall import make_hall

BROKEN = N_("The record of this hearing does not verify at record {seq}: {problem}. Its results are not shown, "
            "printed or exported, because they cannot be trusted. Do not use this copy: restore the workspace from "
            "its latest backup or audit export (check that one with pbtools verify), and report the change.")
CHANGED = N_("Record {seq} was changed after it was written")


def pbtools(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def tampered(tmp_path):
    workspace = tmp_path / "ws"
    hearing, codes = make_hall(workspace, codes=3)
    with open_workspace(workspace, create=False) as ws:
        store = HearingStore(ws, hearing)
        seqs = [store.cast("motion", Ballot(answer=a), "clerk").seq for a in ("no", "no", "yes")]
    # before: everything works
    assert pbtools("hearing", "show", hearing, "--workspace", str(workspace)).returncode == 0
    db = sqlite3.connect(workspace / "pbtools.sqlite")
    row = db.execute("SELECT payload FROM ledger_records WHERE seq = ? AND stream LIKE 'hearing:%'", (seqs[0],)).fetchone()
    payload = json.loads(row[0])
    payload["ballot"]["answer"] = "yes"  # a "no" turned into a "yes"
    db.execute("UPDATE ledger_records SET payload = ? WHERE seq = ? AND stream LIKE 'hearing:%'",
               (json.dumps(payload), seqs[0]))
    db.commit()
    db.close()
    return workspace, hearing, seqs[0]


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_hearing_show_refuses_a_changed_record(tampered, lang):
    workspace, hearing, seq = tampered
    done = pbtools("hearing", "show", hearing, "--workspace", str(workspace), "--lang", lang)
    assert done.returncode != 0 and "yes" not in done.stdout
    expected = Msg(BROKEN, seq=seq, problem=Msg(CHANGED, seq=seq)).render(lang)
    assert expected in done.stderr + done.stdout


def test_protocol_and_exports_are_not_written_from_a_changed_record(tampered, tmp_path):
    workspace, hearing, seq = tampered
    expected = Msg(BROKEN, seq=seq, problem=Msg(CHANGED, seq=seq)).render("ru")
    runs = {tmp_path / "protocol.pdf": ("report", hearing, "--format", "pdf")}
    for fmt, ext in (("xlsx", "xlsx"), ("csv", "zip"), ("audit", "json"), ("pb", "pb")):
        runs[tmp_path / f"export.{ext}"] = ("export", hearing, "--format", fmt)
    for out, args in runs.items():
        done = pbtools(*args, "--out", str(out), "--workspace", str(workspace), "--lang", "ru")
        assert done.returncode != 0, args
        assert expected in done.stderr + done.stdout, (args, done.stderr)
        assert not out.exists() and not list(tmp_path.glob(out.stem + "*")), args


def test_the_board_shows_the_problem_instead_of_results(tampered):
    workspace, hearing, seq = tampered
    with open_workspace(workspace, create=False) as ws:
        problem = chain_problem(ws, hearing)
        assert problem == Msg(BROKEN, seq=seq, problem=Msg(CHANGED, seq=seq))
        pytest.importorskip("ipywidgets")
        from pbtools_widgets.results_app import ResultsApp

        app = ResultsApp(ws, lang="ky")
        app.hearing.value = hearing
        app.redraw()
        assert app.board is None and problem.render("ky").split(":")[0] in app.head.value


def test_an_intact_record_opens(tmp_path):
    workspace = tmp_path / "ws"
    hearing, _ = make_hall(workspace, codes=1)
    with open_workspace(workspace, create=False) as ws:
        assert chain_problem(ws, hearing) is None
