"""The board follows what other processes do: a question defined or a hearing opened after the board was opened
shows up at the next tick of its timer, and the facilitator's current choice stays."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """
from decimal import Decimal
from pbtools.hearings.model import APPROVAL, PB_VOTE, Hearing, Option, Question
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.storage import open_workspace
"""


def in_another_process(folder, code: str) -> None:
    """Run ``code`` with ``ws`` open on the same workspace in a separate Python process, as another laptop would."""
    script = PRELUDE + f"with open_workspace({str(folder)!r}, create=False) as ws:\n" + textwrap.indent(textwrap.dedent(code), "    ")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


NEW_HEARING = """
s = create_hearing(ws, Hearing("h2", "Кара-Булак", PB_VOTE, "2026-06-01", budget=Decimal(100_000)), actor="secretary")
s.add_option(Option("x", 1, {"ky": "Көпүрө", "ru": "Мост", "en": "Bridge"}, Decimal(50_000)), actor="secretary")
s.define_question(Question("v", APPROVAL, {"en": "Choose", "ru": "Выберите"}, ("x",)), actor="secretary")
s.open(actor="chair")
"""


def test_a_question_and_a_hearing_added_elsewhere_appear_and_the_choice_stays(store, ws):
    pytest.importorskip("ipywidgets")
    from pbtools_widgets.results_app import ResultsApp

    app = ResultsApp(ws, lang="en")
    app.question.value = "pt"
    assert app.hearing.value == "h1" and [v for _, v in app.question.options] == ["ap", "pt", "rk", "mo"]
    in_another_process(ws.path, """
        HearingStore(ws, "h1").define_question(Question("late", APPROVAL, {"en": "Added later"}, ("a", "b")), actor="f")
    """)
    app.poll()
    assert ("Added later", "late") in [tuple(o) for o in app.question.options]
    assert app.question.value == "pt" and app.board.question_id == "pt"
    in_another_process(ws.path, NEW_HEARING)
    app.poll()
    assert "h2" in [v for _, v in app.hearing.options]
    assert app.hearing.value == "h1" and app.question.value == "pt"  # nobody asked to switch
    app.hearing.value = "h2"
    assert app.board.hearing_id == "h2" and [v for _, v in app.question.options] == ["v"]


def test_an_empty_board_shows_the_first_hearing_opened_elsewhere(ws):
    pytest.importorskip("ipywidgets")
    from pbtools_widgets.results_app import ResultsApp

    app = ResultsApp(ws, lang="ru")
    assert app.board is None and app.hearing.value is None
    in_another_process(ws.path, NEW_HEARING)
    app.poll()
    assert app.hearing.value == "h2" and app.question.value == "v"
    assert app.board is not None and app.board.question_id == "v" and "Выберите" in app.head.value
    in_another_process(ws.path, """
        from pbtools.hearings.model import Ballot
        HearingStore(ws, "h2").cast("v", Ballot((("x", 1),)), actor="clerk")
    """)
    app.poll()
    assert app.board.ballots == 1
