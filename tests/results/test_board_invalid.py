"""The board's small line: invalid ballots, shown even while hidden; the ballots-vs-registrations warning is the
facilitator's (console, protocol), never on the hall's screen."""

from __future__ import annotations

from pbtools.hearings.model import Participant
from pbtools.hearings.turnout import turnout
from pbtools.results.board import snapshot
from pbtools.storage import open_workspace
from tests.hearings.conftest import build
from pbtools_widgets.results_app import ResultsApp


def test_board_shows_invalid_ballots_and_keeps_the_registrations_warning_off_the_projector(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)
        store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
        store.cast_typed("single", "1", actor="clerk")
        store.cast_typed("single", "0", actor="clerk")
        board = snapshot(store.refresh(), "single", hidden=True)
        warning = turnout(store.state, "single").warning
        assert (board.ballots, board.invalid) == (1, 1) and "2 ballots" in warning.render("en")
        app = ResultsApp(ws, lang="en")
        head = app.head_html(board)
        assert "Invalid ballots: 1" in head
        assert warning.render("en") not in head and "pb-board-warning" not in head
