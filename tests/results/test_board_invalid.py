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


def test_the_board_head_says_the_hands_beside_the_ballots_so_it_agrees_with_the_chart(tmp_path):
    """A motion voted on paper and by a show of hands: the chart counts both, so the head says both (it said only
    the ballots: "2 ballots counted" above a chart of 7 votes)."""
    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)
        for typed in ("1", "2"):  # yes, no
            store.cast_typed("motion", typed, actor="clerk")
        store.enter_count("motion", {"f": {"yes": 3, "no": 1}, "m": {"abstain": 1}}, actor="commission", group_by="sex")
        board = snapshot(store.refresh(), "motion", hidden=False)
        assert board.ballots == 2 and board.hand_votes == 5 == sum(board.tally.values()) - board.ballots
        for lang, hands in (("en", "votes by show of hands"), ("ru", "голосов поднятием рук")):  # 5: the "many" form
            head = ResultsApp(ws, lang=lang).head_html(board)
            assert 'id="pb-board-hands">5<small>' + hands in head and 'id="pb-board-ballots">2<small>' in head
        store.cast_typed("single", "1", actor="clerk")
        plain = snapshot(store.refresh(), "single", hidden=False)  # no hands for this question: no such figure
        assert plain.hand_votes == 0 and "pb-board-hands" not in ResultsApp(ws, lang="en").head_html(plain)
