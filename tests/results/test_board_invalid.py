"""The board's small line: invalid ballots and the ballots-vs-registrations warning, shown even while hidden."""

from __future__ import annotations

from pbtools.hearings.model import Participant
from pbtools.results.board import snapshot
from pbtools.storage import open_workspace
from tests.hearings.conftest import build
from widgets.results_app import ResultsApp


def test_board_shows_invalid_ballots_and_warns_of_more_ballots_than_registered(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)
        store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
        store.cast_typed("single", "1", actor="clerk")
        assert snapshot(store.state, "single", hidden=True).warning is None
        store.cast_typed("single", "0", actor="clerk")
        board = snapshot(store.refresh(), "single", hidden=True)
        assert (board.ballots, board.invalid) == (1, 1) and "2 ballots" in board.warning.render("en")
        app = ResultsApp(ws, lang="en")
        head = app.head_html(board)
        assert "Invalid ballots: 1" in head and "pb-board-warning" in head and "(1)" in head
